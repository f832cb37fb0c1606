"""Pages of ``xueshi_access``: the ended-session notice, the sign-in audit, suspicious IPs.

The audit needs ``VIEW_AUDIT`` (operators and auditors), the suspicious-IP report
``VIEW_SUSPICIOUS_IPS`` (supervisors too), exports ``EXPORT`` as well (``xueshi_core.permissions``).
Both show the sign-ins of the account's scope only; accounts without ``VIEW_AUDIT`` see the
report's IPs masked to their network, as in the exports (ADR 0063).
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from xueshi_core.api import EXPORT, VIEW_AUDIT, VIEW_SUSPICIOUS_IPS, may, requires, scope_of

from . import audit, compat, conf, exports, geo, messages, suspicious
from .data import REFUSED
from .forms import AuditFilter, SuspiciousFilter, day_start
from .models import AccessEvent


def ended(request: HttpRequest) -> HttpResponse:
    """Tell a signed-out browser why, and offer to sign in again."""
    reason = str(request.GET.get("reason", ""))[:32]
    next_url = str(request.GET.get("next", ""))
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    message = (
        messages.refused_message(conf.active_seconds() // 60)
        if reason == REFUSED
        else messages.ended_message(reason)
    )
    context = {"message": message, "reason": reason, "login_url": settings.LOGIN_URL, "next": next_url}
    return render(request, "xueshi_access/ended.html", context)


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _audit_rows(request: HttpRequest, form: AuditFilter) -> Any:
    if form.is_bound:
        start, end = form.bounds()
        rows = audit.search(
            q=form.cleaned_data.get("q") or "",
            event=form.cleaned_data.get("event") or "",
            ip=form.cleaned_data.get("ip") or "",
            start=start,
            end=end,
        )
    else:
        rows = audit.search()
    return scope_of(request.user).filter_by_user(rows)


@requires(VIEW_AUDIT)
def audit_page(request: HttpRequest) -> HttpResponse:
    """Search the sign-in audit, 50 rows a page."""
    form = AuditFilter(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "xueshi_access/audit.html", {"form": form, "page": None}, status=400)
    rows = _audit_rows(request, form)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "retention_days": conf.retention_days(),
    }
    return render(request, "xueshi_access/audit.html", context)


@requires(VIEW_AUDIT)
@requires(EXPORT)
def audit_export(request: HttpRequest) -> HttpResponse:
    """The same search as xlsx, IPs masked."""
    form = AuditFilter(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "xueshi_access/audit.html", {"form": form, "page": None}, status=400)
    rows = _audit_rows(request, form)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return _xlsx(exports.audit_xlsx(rows.iterator(chunk_size=2000)), f"sign-in-audit-{stamp}.xlsx")


def _masked(report: suspicious.Report) -> suspicious.Report:
    """The report with every IP cut to its network (for accounts that may not read the audit)."""
    mask = exports.mask_ip
    report.shared_ips = [dataclasses.replace(s, ip=mask(s.ip)) for s in report.shared_ips]
    report.jumps = [
        dataclasses.replace(j, from_ip=mask(j.from_ip), to_ip=mask(j.to_ip)) for j in report.jumps
    ]
    return report


def _report(request: HttpRequest, form: SuspiciousFilter, *, masked: bool = True) -> suspicious.Report:
    end_day = form.cleaned_data.get("end")
    end = day_start(end_day + timedelta(days=1)) if end_day else datetime.fromtimestamp(conf.now(), tz=UTC)
    report = suspicious.build(
        end,
        days=form.cleaned_data.get("days"),
        course_key=form.cleaned_data.get("course") or "",
        scope=scope_of(request.user),
    )
    return report if not masked or may(request.user, VIEW_AUDIT) else _masked(report)


@requires(VIEW_SUSPICIOUS_IPS)
def suspicious_page(request: HttpRequest) -> HttpResponse:
    """Suspicious-IP statistics: shared IPs, roaming accounts, region jumps, per region and course."""
    form = SuspiciousFilter(request.GET)
    context: dict[str, Any] = {"form": form, "courses": compat.course_choices(), "data": geo.data_info()}
    if not form.is_valid():
        return render(request, "xueshi_access/suspicious.html", context, status=400)
    context["report"] = _report(request, form)
    context["query"] = request.GET.urlencode()
    return render(request, "xueshi_access/suspicious.html", context)


@requires(VIEW_SUSPICIOUS_IPS)
@requires(EXPORT)
def suspicious_export(request: HttpRequest) -> HttpResponse:
    """The report as xlsx, IPs masked."""
    form = SuspiciousFilter(request.GET)
    if not form.is_valid():
        context = {"form": form, "courses": compat.course_choices(), "data": geo.data_info()}
        return render(request, "xueshi_access/suspicious.html", context, status=400)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    report = _report(request, form, masked=False)  # the workbook masks every IP itself
    return _xlsx(exports.suspicious_xlsx(report), f"suspicious-ips-{stamp}.xlsx")


def event_labels() -> dict[str, str]:
    """Display names of audit events."""
    return {k: str(v) for k, v in AccessEvent.EVENT_CHOICES}
