"""The frozen record of what a certificate certifies, and the printed wording built from it.

The snapshot is plain JSON (decimals as strings) written once at issue. Titles, the sentence
citing the rule and every figure are derived from it alone, so a PDF or a credential rebuilt a
year later is the same document even if the hours, the rule or this code's wording of *new*
certificates changes (ADR 0121). The wording is the document's language, Simplified Chinese: the
certificate is an official paper in China whatever language its holder reads the site in.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date
from decimal import Decimal
from typing import Any

from .holders import Holder

VERSION = 1
UNIT_LABELS = {"xueshi": "学时", "xuefen": "学分", "keshi": "课时"}
CATEGORY_LABELS = {"public": "公需科目", "professional": "专业科目", "": "其他"}


def _num(value: Decimal | int | float | str) -> str:
    """A decimal as text without a trailing ``.0`` (92.50 → "92.5", 90.0 → "90")."""
    text = format(Decimal(str(value)).normalize(), "f")
    return text


def _courses(lines: Any) -> list[list[str]]:
    """Counted hours per course or item (title, hours), in the order they first appear."""
    totals: OrderedDict[tuple[str, str], Decimal] = OrderedDict()
    for line in lines:
        if Decimal(line.hours) > 0:
            key = (line.ref, line.title)
            totals[key] = totals.get(key, Decimal(0)) + Decimal(line.hours)
    return [[title, _num(hours)] for (_ref, title), hours in totals.items()]


def _holder(holder: Holder) -> dict[str, str]:
    return {
        "name": holder.name,
        "id_masked": holder.id_masked,
        "id_type": holder.id_type,
        "id_salt": holder.id_salt,
        "id_hash": holder.id_hash,
    }


def from_account(account: Any, holder: Holder, issuer: dict[str, str], issued_on: date) -> dict[str, Any]:
    """The snapshot of a yearly certificate, from an ``xueshi_hours.api.HourAccount``."""
    return {
        "v": VERSION,
        "kind": "year",
        "course_key": "",
        "holder": _holder(holder),
        "period": {
            "label": account.period_label,
            "start": account.period_start.isoformat(),
            "end": account.period_end.isoformat(),
        },
        "rule": {"id": account.rule_id, "version": int(account.rule_version), "title": account.rule_title},
        "unit": account.unit,
        "required_total": _num(account.required_total),
        "total": _num(account.earned_total),
        "by_category": {k: _num(v) for k, v in sorted(account.earned_by_category.items()) if Decimal(v) > 0},
        "courses": _courses(account.lines),
        "issuer": dict(issuer),
        "issued_on": issued_on.isoformat(),
    }


def for_course(
    *,
    course_key: str,
    title: str,
    hours: Decimal,
    category: str,
    completed_on: date,
    holder: Holder,
    issuer: dict[str, str],
    issued_on: date,
    rule: dict[str, Any],
    unit: str = "xueshi",
) -> dict[str, Any]:
    """The snapshot of a per-course certificate (declared hours granted on completion)."""
    return {
        "v": VERSION,
        "kind": "course",
        "course_key": course_key,
        "holder": _holder(holder),
        "period": {
            "label": str(completed_on.year),
            "start": completed_on.isoformat(),
            "end": completed_on.isoformat(),
        },
        "rule": rule,
        "unit": unit,
        "required_total": _num(hours),
        "total": _num(hours),
        "by_category": {category: _num(hours)} if hours > 0 else {},
        "courses": [[title, _num(hours)]],
        "issuer": dict(issuer),
        "issued_on": issued_on.isoformat(),
    }


def unit_label(snap: dict[str, Any]) -> str:
    """学时 / 学分 / 课时."""
    return UNIT_LABELS.get(str(snap.get("unit")), "学时")


def title(snap: dict[str, Any]) -> str:
    """The heading printed on the certificate."""
    label = snap["period"]["label"]
    if snap["kind"] == "course":
        return f"继续教育课程结业证明（{snap['courses'][0][0]}）"
    year = f"{label}年度" if str(label).isdigit() else f"{label} "
    return f"{year}继续教育{unit_label(snap)}证明"


def body(snap: dict[str, Any]) -> str:
    """The sentence citing the rule and the hours, as Chinese 学时证明 word it."""
    unit = unit_label(snap)
    parts = "，".join(
        f"其中{CATEGORY_LABELS.get(k, k)}{v}{unit}" for k, v in snap.get("by_category", {}).items()
    )
    rule = snap["rule"].get("title") or snap["rule"].get("id")
    name = snap["holder"]["name"]
    period = snap["period"]
    span = f"{period['start']}至{period['end']}"
    tail = f"，{parts}" if parts else ""
    return f"依据《{rule}》，{name}于{span}参加继续教育，累计取得{snap['total']}{unit}{tail}，特此证明。"


def by_category_labelled(snap: dict[str, Any]) -> list[tuple[str, Decimal]]:
    """[("公需科目", 30), ("专业科目", 62)] for the PDF."""
    return [(CATEGORY_LABELS.get(k, k), Decimal(v)) for k, v in snap.get("by_category", {}).items()]
