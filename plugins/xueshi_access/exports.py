"""Staff exports as xlsx (openpyxl), with client IPs masked as personal data.

The audit export masks the host part of each IP (``202.96.128.*``, ``2408:8207:*``); the page
shows full IPs to staff only, because an investigation needs them and the page is access-checked.
Rows are streamed with openpyxl's write-only workbook, so a 100,000-row export stays small in memory.
Every row goes through ``xueshi_core.spreadsheets.append_row``: a user agent or reason that looks
like a formula stays text (ADR 0021).
"""

from __future__ import annotations

import io
import ipaddress
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook

from xueshi_core.spreadsheets import append_row

from .models import AccessEvent
from .suspicious import Report

MAX_ROWS = 100_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def mask_ip(ip: str | None) -> str:
    """Keep the network, hide the host: ``202.96.128.86`` → ``202.96.128.*``."""
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return ""
    if address.version == 4:
        return ".".join([*str(address).split(".")[:3], "*"])
    return ":".join([*address.exploded.split(":")[:2], "*"])


def _local(dt: datetime) -> str:
    zone = ZoneInfo(str(getattr(settings, "XUESHI_TIME_ZONE", "Asia/Shanghai")))
    return dt.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def audit_xlsx(rows: Iterable[AccessEvent]) -> bytes:
    """The audit rows as one sheet (at most ``MAX_ROWS``)."""
    labels = dict(AccessEvent.EVENT_CHOICES)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Sign-in audit"))
    append_row(
        sheet,
        [
            _("Time (Beijing)"),
            _("Event"),
            _("Reason"),
            _("Account"),
            _("IP (masked)"),
            _("Region"),
            _("Device"),
            _("Channel"),
            _("User agent"),
            _("Service"),
        ],
    )
    for count, row in enumerate(rows):
        if count >= MAX_ROWS:
            break
        append_row(
            sheet,
            [
                _local(row.at),
                str(labels.get(row.event, row.event)),
                str(row.get_reason_display()),
                row.username,
                mask_ip(row.ip),
                row.region,
                str(row.get_kind_display()),
                str(row.get_channel_display()),
                row.user_agent,
                row.service,
            ],
        )
    return _save(book)


def suspicious_xlsx(report: Report) -> bytes:
    """The suspicious-IP report as four sheets (IPs masked)."""
    book = Workbook(write_only=True)
    shared = book.create_sheet(_("Shared IPs"))
    append_row(
        shared, [_("IP (masked)"), _("Region"), _("Accounts"), _("Accounts seen"), _("First"), _("Last")]
    )
    for s in report.shared_ips:
        append_row(
            shared,
            [mask_ip(s.ip), s.region, s.accounts, ", ".join(s.usernames), _local(s.first), _local(s.last)],
        )
    roaming = book.create_sheet(_("Roaming accounts"))
    append_row(roaming, [_("Account"), _("IPs"), _("Regions")])
    for r in report.roaming:
        append_row(roaming, [r.username, r.ips, ", ".join(r.regions)])
    jumps = book.create_sheet(_("Region jumps"))
    append_row(
        jumps,
        [
            _("Account"),
            _("From"),
            _("From IP (masked)"),
            _("To"),
            _("To IP (masked)"),
            _("Time (Beijing)"),
            _("Minutes apart"),
            _("Distance (km)"),
        ],
    )
    for j in report.jumps:
        append_row(
            jumps,
            [
                j.username,
                j.from_region,
                mask_ip(j.from_ip),
                j.to_region,
                mask_ip(j.to_ip),
                _local(j.at),
                j.minutes,
                j.km if j.km is not None else _("cross-border"),
            ],
        )
    regions = book.create_sheet(_("By region"))
    append_row(regions, [_("Code"), _("Province"), _("Sign-ins"), _("Flagged accounts")])
    for row in report.by_region:
        append_row(regions, list(row))
    courses = book.create_sheet(_("By course"))
    append_row(courses, [_("Course"), _("Flagged accounts")])
    for course in report.by_course:
        append_row(courses, list(course))
    return _save(book)
