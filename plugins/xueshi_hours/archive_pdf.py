"""The printable list of all hours (学时明细, regulators' items 000/004) of one learner and period.

Built from the same hour account as 我的学时 and the archive, printed by the PDF renderer of
``xueshi_certificates.pdf`` (a rendering library with no models: hours import nothing else of the
certificates app, ``.importlinter``). Personal data is printed masked: the real name and the masked
ID number from the real-name profile, never the full number.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils import translation

from . import accounts, labels
from .data import COURSE_CATEGORIES, HourAccount

#: The printed list is a Chinese document (its fixed words are the renderer's): reasons in zh_CN.
PRINT_LANGUAGE = "zh-cn"
CATEGORY_NAMES = {"public": "公需科目", "professional": "专业科目", "": "未分类"}
UNIT_NAMES = {"xueshi": "学时", "xuefen": "学分", "keshi": "课时"}


def _reason(code: str) -> str:
    """The reason as a Chinese sentence (the renderer knows only a few codes; ours has them all)."""
    if code == "counted":
        return code  # the renderer prints 计入 and styles counted rows
    with translation.override(PRINT_LANGUAGE):
        return str(labels.REASONS.get(code, code))


def listing_for(account: HourAccount) -> object:
    """The ``HoursListing`` of an account: every line by day, totals per category and overall."""
    from xueshi_certificates.pdf import HoursListing, HoursRow
    from xueshi_identity import api as identity

    profile = identity.get_profile(account.user_id)
    lines = sorted(account.lines, key=lambda x: (x.day is None, x.day, x.title))
    totals: list[tuple[str, Decimal]] = [
        (CATEGORY_NAMES.get(k, k), account.earned_by_category[k])
        for k in (*COURSE_CATEGORIES, "")
        if k in account.earned_by_category
    ]
    totals.append(("合计", account.earned_total))
    return HoursListing(
        learner_name=profile.real_name if profile else "",
        holder_id_masked=profile.id_number_masked if profile else "",
        period_label=account.period_label,
        unit_label=UNIT_NAMES.get(account.unit, account.unit),
        rows=tuple(HoursRow(x.day, x.title, x.source, x.category, x.hours, _reason(x.reason)) for x in lines),
        issuer_name=str(getattr(settings, "PLATFORM_NAME", "") or ""),
        generated_on=accounts.today(),
        rule_title=f"{account.rule_title}（{account.rule_id} 第{account.rule_version}版）",
        totals=tuple(totals),
    )


def hours_list_pdf(account: HourAccount) -> bytes:
    """The listing as PDF bytes (A4, as many pages as the lines need)."""
    from xueshi_certificates.pdf import render_hours_list_pdf

    return render_hours_list_pdf(listing_for(account))  # type: ignore[arg-type]
