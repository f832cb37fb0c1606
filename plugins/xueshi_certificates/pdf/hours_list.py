"""The printable list of all hours (学时明细, regulators' items 000/004): a multi-page A4 table.

WeasyPrint repeats a table's ``<thead>`` on every page it spans, so each printed page names its
columns; the page footer says 第 N 页 共 M 页 so a missing sheet is noticed.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date
from typing import Any, Protocol

from django.template import Context, Template
from django.utils.safestring import mark_safe

from .data import HoursListing, HoursRow
from .engine import Renderer, pdf_dates
from .templates import ASSETS, BUILTIN_TEMPLATES, load_template
from .text import hours_text

SOURCES = {
    "video": "视频学习",
    "course_completion": "课程结业",
    "practice": "练习",
    "exam": "考试",
    "external": "外部学时",
}
CATEGORIES = {"public": "公需科目", "professional": "专业科目", "": "未分类"}
REASONS = {
    "counted": "计入",
    "daily_cap": "超出每日上限",
    "wrong_category": "类别不计入",
    "not_completed": "未完成",
    "not_in_rule_region": "不属本地区规则",
}


class HourLineLike(Protocol):
    """What ``rows_from_lines`` reads: the fields of ``xueshi_hours.api.HourLine``."""

    day: date | None
    title: str
    source: str
    category: str
    hours: Any
    reason: str


def rows_from_lines(lines: Iterable[HourLineLike]) -> tuple[HoursRow, ...]:
    """Rows for the listing from hour lines (duck-typed: this package does not import the hours app)."""
    return tuple(
        HoursRow(line.day, line.title, line.source, line.category, line.hours, line.reason) for line in lines
    )


def _row(row: HoursRow) -> dict[str, str | bool]:
    return {
        "day": row.day.isoformat() if row.day else "",
        "title": row.title,
        "source": SOURCES.get(row.source, row.source),
        "category": CATEGORIES.get(row.category, row.category),
        "hours": hours_text(row.hours),
        "counted": row.reason == "counted",
        "reason": REASONS.get(row.reason, row.reason),
    }


@functools.lru_cache(maxsize=1)
def _renderer() -> Renderer:
    return Renderer([ASSETS / "hours_list.css"], [BUILTIN_TEMPLATES, ASSETS])


@functools.lru_cache(maxsize=1)
def _template() -> Template:
    return load_template("hours_list.html", None)


def render_hours_list_pdf(listing: HoursListing) -> bytes:
    """The listing as PDF bytes, as many A4 pages as the rows need, header repeated on each."""
    day = listing.generated_on or date(2000, 1, 1)
    context = {
        "listing": listing,
        "rows": [_row(row) for row in listing.rows],
        "totals": [{"name": name, "hours": hours_text(value)} for name, value in listing.totals],
        "generated_on": listing.generated_on.isoformat() if listing.generated_on else "",
        "head_meta": mark_safe(pdf_dates(day)),  # noqa: S308 — our own ISO date
    }
    html = _template().render(Context(context, autoescape=True))
    renderer = _renderer()
    return renderer.write(renderer.layout(str(html), BUILTIN_TEMPLATES))
