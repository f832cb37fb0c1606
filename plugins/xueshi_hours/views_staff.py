"""Staff pages: deciding external hours (operators, within their scope) and a course's hour settings.

The course settings page is served by Studio too: the course team reaches it from their course
(``may(user, EDIT_COURSE_HOURS, course_key)``: platform-wide for operators, per course for teams).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xueshi_core.api import may, may_see_learner, requires, scope_of
from xueshi_core.guards import refusal
from xueshi_core.permissions import DECIDE_EXTERNAL_HOURS, EDIT_COURSE_HOURS

from . import accounts, handlers
from .coursehours import parse_course_key
from .forms import CourseHoursForm
from .models import CourseHoursSetting, ExternalHours

QUEUE_PAGE = 200


@require_GET
@requires(DECIDE_EXTERNAL_HOURS)
def external_queue(request: Any) -> Any:
    """Pending external hours of learners in the reviewer's scope, oldest first."""
    pending = ExternalHours.objects.filter(status=ExternalHours.PENDING)
    rows = list(
        scope_of(request.user)
        .filter_by_user(pending)
        .select_related("user")
        .order_by("submitted_at")[:QUEUE_PAGE]
    )
    return render(request, "xueshi_hours/external_queue.html", {"rows": rows})


@require_POST
@requires(DECIDE_EXTERNAL_HOURS)
def external_decide(request: Any, pk: int) -> Any:
    """Approve or reject one submission (a rejection needs a reason); a decided one stays decided."""
    action = request.POST.get("action", "")
    reason = (request.POST.get("reason") or "").strip()[:255]
    with transaction.atomic():
        row = ExternalHours.objects.select_for_update().filter(pk=pk).first()
        if row is None or not may_see_learner(request.user, DECIDE_EXTERNAL_HOURS, row.user_id):
            return render(request, "xueshi_hours/problem.html", {"code": "not_found"}, status=404)
        problem = ""
        if action not in ("approve", "reject"):
            problem = "bad_action"
        elif row.status != ExternalHours.PENDING:
            problem = "already_decided"
        elif action == "reject" and not reason:
            problem = "reason_required"
        if problem:
            return render(
                request,
                "xueshi_hours/problem.html",
                {"code": problem},
                status=409 if problem == "already_decided" else 400,
            )
        row.status = ExternalHours.APPROVED if action == "approve" else ExternalHours.REJECTED
        row.reason, row.decided_by, row.decided_at = reason, request.user, timezone.now()
        row.decided_day = accounts.today()
        row.save()
        transaction.on_commit(lambda: handlers.changed(row.user_id))
    return redirect("xueshi_hours:external-queue")


@require_http_methods(["GET", "POST"])
def course_settings(request: Any, course_key: str) -> Any:
    """A course's declared hours, category, where it counts and its completion rule."""
    key = parse_course_key(course_key)
    if key is None:
        return render(request, "xueshi_hours/problem.html", {"code": "bad_course_key"}, status=404)
    if not may(request.user, EDIT_COURSE_HOURS, course_key=key):
        return refusal(request, api=False)
    row = CourseHoursSetting.objects.filter(course_key=key).first() or CourseHoursSetting(course_key=key)
    form = CourseHoursForm(request.POST or None, instance=row)
    saved = False
    if request.method == "POST":
        if not form.is_valid():
            return render(
                request, "xueshi_hours/course_settings.html", {"form": form, "course_key": key}, status=400
            )
        setting = form.save(commit=False)
        setting.updated_by = request.user
        setting.save()
        transaction.on_commit(lambda: _announce_course(str(key)))
        saved = True
    context = {"form": form, "course_key": key, "saved": saved, "message": _("Saved.") if saved else ""}
    return render(request, "xueshi_hours/course_settings.html", context)


def _announce_course(course_key: str) -> None:
    """Learners credited in the course this year: their hours may count differently now."""
    from datetime import date

    from xueshi_studytime import api as ledger

    year = accounts.today().year
    for user_id in ledger.learners_with_credit(date(year - 1, 1, 1), date(year, 12, 31), course_key):
        handlers.changed(user_id)
