"""How numbers, dates and course lists read on a Chinese certificate."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

TITLE_CHARS = 40  # a course title longer than this ends in "…" (one line in the two-column list)


def hours_text(value: Decimal | int | float) -> str:
    """``Decimal("30.50")`` → ``"30.5"``, ``90`` → ``"90"``: no trailing zeros, never exponent form."""
    number = Decimal(str(value)).normalize()
    return format(number, "f")


def chinese_date(day: date) -> str:
    """``2026-01-05`` → ``2026年1月5日`` (the form printed on certificates)."""
    return f"{day.year}年{day.month}月{day.day}日"


def short_title(title: str) -> str:
    """The course title, cut with "…" when it would not fit one column line."""
    title = " ".join(title.split())
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"


def capped_courses(courses: Sequence[tuple[str, Decimal]], limit: int) -> tuple[list[dict[str, str]], int]:
    """The first ``limit`` courses as printable rows, and how many there are in all.

    When ``limit`` is smaller than the list, the template prints "等 N 门课程" after the rows.
    """
    rows = [
        {"title": short_title(title), "hours": hours_text(hours)} for title, hours in courses[: max(limit, 0)]
    ]
    return rows, len(courses)


def pairs(rows: Sequence[dict[str, str]]) -> list[list[dict[str, str]]]:
    """Rows two by two for the two-column course table (the last pair padded with a blank cell).

    A table, not CSS columns: WeasyPrint balances columns by laying them out again and again,
    which cost more than the rest of the page (ADR 0129).
    """
    blank = {"title": "", "hours": ""}
    return [[rows[i], rows[i + 1] if i + 1 < len(rows) else blank] for i in range(0, len(rows), 2)]
