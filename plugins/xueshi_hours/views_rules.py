"""Operator pages for rule sets: list, view a version, edit (adds a version), import and export files.

Gate: ``MANAGE_HOURS_RULES`` (``xueshi_core.permissions``). A bad file or bad JSON answers 400
with every problem listed and its place, and stores nothing (imports are all or nothing).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xueshi_core.api import requires
from xueshi_core.jsonbody import BadInput, loads
from xueshi_core.permissions import MANAGE_HOURS_RULES

from . import rulestore
from .forms import RuleEditForm, RuleImportForm
from .models import AccountPin, RuleVersion
from .rules import RuleFileError, file_of, parse_file, parse_rule


@require_GET
@requires(MANAGE_HOURS_RULES)
def rule_list(request: Any) -> HttpResponse:
    """Every rule set with its newest version, region, category and how many accounts use each."""
    newest = rulestore.latest_versions()
    rows = RuleVersion.objects.filter(rule_id__in=list(newest)).order_by("region", "rule_id")
    current = [r for r in rows if r.version == newest[r.rule_id]]
    return render(request, "xueshi_hours/rules.html", {"rules": current, "import_form": RuleImportForm()})


@require_GET
@requires(MANAGE_HOURS_RULES)
def rule_detail(request: Any, rule_id: str) -> HttpResponse:
    """One rule set: its versions, and the chosen version's content and how many accounts pinned it."""
    versions = list(RuleVersion.objects.filter(rule_id=rule_id).order_by("-version"))
    if not versions:
        return render(request, "xueshi_hours/problem.html", {"code": "no_rule"}, status=404)
    wanted = request.GET.get("version", "")
    chosen = next((v for v in versions if str(v.version) == wanted), versions[0])
    context = {
        "versions": versions,
        "chosen": chosen,
        "pretty": json.dumps(chosen.body, ensure_ascii=False, indent=2),
        "pinned": AccountPin.objects.filter(rule_id=rule_id, version=chosen.version).count(),
    }
    return render(request, "xueshi_hours/rule_detail.html", context)


def _edit_problems(form: RuleEditForm, rule_id: str) -> tuple[Any, list[str]]:
    try:
        body = loads(form.cleaned_data["body"], max_bytes=_max_bytes())
    except BadInput as exc:
        return None, [_("Not valid JSON: %(error)s") % {"error": exc}]
    try:
        rule = parse_rule(body)
    except RuleFileError as exc:
        return None, exc.problems
    if rule.id != rule_id:
        return None, [_("The id must stay %(id)s (a new id is a new rule set: import it).") % {"id": rule_id}]
    return rule, []


@require_http_methods(["GET", "POST"])
@requires(MANAGE_HOURS_RULES)
def rule_edit(request: Any, rule_id: str) -> HttpResponse:
    """Edit a rule set: saving adds a version; accounts already computed keep the version they used."""
    newest = RuleVersion.objects.filter(rule_id=rule_id).order_by("-version").first()
    if newest is None:
        return render(request, "xueshi_hours/problem.html", {"code": "no_rule"}, status=404)
    if request.method == "GET":
        form = RuleEditForm(initial={"body": json.dumps(newest.body, ensure_ascii=False, indent=2)})
        return render(request, "xueshi_hours/rule_edit.html", {"form": form, "rule": newest})
    form = RuleEditForm(request.POST)
    problems: list[str] = []
    if form.is_valid():
        rule, problems = _edit_problems(form, rule_id)
        if rule is not None:
            version, _created = rulestore.add_version(rule, user=request.user, note=form.cleaned_data["note"])
            return redirect(f"{request.path.rsplit('edit/', 1)[0]}?version={version}")
    context = {"form": form, "rule": newest, "problems": problems}
    return render(request, "xueshi_hours/rule_edit.html", context, status=400)


def _max_bytes() -> int:
    return int(getattr(settings, "XUESHI_HOURS_RULE_FILE_MAX_BYTES", 512 * 1024))


@require_http_methods(["POST"])
@requires(MANAGE_HOURS_RULES)
def rule_import(request: Any) -> HttpResponse:
    """Import a rule file: every rule becomes a new version of its set (unchanged ones add nothing)."""
    form = RuleImportForm(request.POST, request.FILES)
    problems: list[str] = []
    if not form.is_valid():
        problems = [_("Choose a rule file.")]
    else:
        upload = form.cleaned_data["file"]
        if upload.size > _max_bytes():
            problems = [_("The file is larger than %(kb)s KB.") % {"kb": _max_bytes() // 1024}]
        else:
            try:
                rules = parse_file(loads(upload.read(), max_bytes=_max_bytes(), max_depth=12))
            except BadInput as exc:
                problems = [_("Not valid JSON: %(error)s") % {"error": exc}]
            except RuleFileError as exc:
                problems = exc.problems
    if problems:
        context = {"problems": problems, "rules": [], "import_form": form}
        return render(request, "xueshi_hours/rules.html", context, status=400)
    with transaction.atomic():
        done = [rulestore.add_version(rule, user=request.user, note=_("imported file")) for rule in rules]
    added = sum(1 for _version, created in done if created)
    return redirect(f"{request.path.rsplit('import/', 1)[0]}?imported={added}")


@require_GET
@requires(MANAGE_HOURS_RULES)
def rule_export(request: Any, rule_id: str = "") -> HttpResponse:
    """Download the newest version of every rule set (or of one) as a rule file."""
    newest = rulestore.latest_versions()
    if rule_id:
        if rule_id not in newest:
            return JsonResponse({"error": "no_rule", "message": _("No such rule set.")}, status=404)
        newest = {rule_id: newest[rule_id]}
    rules = [rulestore.rule_version(i, v) for i, v in sorted(newest.items())]
    response = HttpResponse(
        json.dumps(file_of(rules), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{rule_id or "xueshi-hour-rules"}.json"'
    return response
