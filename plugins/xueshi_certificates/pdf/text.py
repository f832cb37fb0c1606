"""How numbers, dates and course lists read on a Chinese certificate."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

# Course titles are cut with "…" so that each stays on one line of its cell (full-width
# characters at the template's sizes; found too long by the overlay's probes, ADR 0360):
WIDE_TITLE_CHARS = 40  # one course per line (up to SINGLE_COLUMN_MAX courses), 9 pt: 40 fit, 44 wrapped
NARROW_TITLE_CHARS = 17  # two courses per line, 9 pt (up to DENSE_AFTER courses): 17 fit, 19 wrapped
DENSE_TITLE_CHARS = 19  # two courses per line, 8 pt (the template's "dense" list)
DENSE_AFTER = 12  # more courses than this: 8 pt (the template's ``course_rows|length > 6``)
SINGLE_COLUMN_MAX = 8


def hours_text(value: Decimal | int | float) -> str:
    """``Decimal("30.50")`` → ``"30.5"``, ``90`` → ``"90"``: no trailing zeros, never exponent form."""
    number = Decimal(str(value)).normalize()
    return format(number, "f")


def chinese_date(day: date) -> str:
    """``2026-01-05`` → ``2026年1月5日`` (the form printed on certificates)."""
    return f"{day.year}年{day.month}月{day.day}日"


def short_title(title: str, limit: int = WIDE_TITLE_CHARS) -> str:
    """The course title on one line, cut with "…" after ``limit`` characters."""
    title = " ".join(title.split())
    return title if len(title) <= limit else title[: limit - 1] + "…"


def capped_courses(courses: Sequence[tuple[str, Decimal]], limit: int) -> tuple[list[dict[str, str]], int]:
    """The first ``limit`` courses as printable rows, and how many there are in all.

    When ``limit`` is smaller than the list, the template prints "等 N 门课程" after the rows.
    """
    shown = courses[: max(limit, 0)]
    if len(shown) <= SINGLE_COLUMN_MAX:
        width = WIDE_TITLE_CHARS
    else:
        width = DENSE_TITLE_CHARS if len(shown) > DENSE_AFTER else NARROW_TITLE_CHARS
    rows = [{"title": short_title(title, width), "hours": hours_text(hours)} for title, hours in shown]
    return rows, len(courses)


def pairs(rows: Sequence[dict[str, str]]) -> list[list[dict[str, str]]]:
    """Rows two by two for the course table, or one by one up to ``SINGLE_COLUMN_MAX`` rows.

    The last pair is padded with a blank cell.
    A table, not CSS columns: WeasyPrint balances columns by laying them out again and again,
    which cost more than the rest of the page (ADR 0129).
    """
    if len(rows) <= SINGLE_COLUMN_MAX:
        return [[row] for row in rows]
    blank = {"title": "", "hours": ""}
    return [[rows[i], rows[i + 1] if i + 1 < len(rows) else blank] for i in range(0, len(rows), 2)]
