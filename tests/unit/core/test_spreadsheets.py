"""One cell writer: formula-like text stays text in xlsx, and the CSV escape is undone on import."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from xueshi_core import spreadsheets

HOSTILE = ("=1+2", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1")


@pytest.mark.parametrize("write_only", [True, False])
def test_formula_like_text_is_a_quoted_string_cell(write_only: bool) -> None:
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("s") if write_only else book.active
    spreadsheets.append_row(sheet, [*HOSTILE, "plain", 3, "bad\x01char"])
    out = io.BytesIO()
    book.save(out)
    cells = next(load_workbook(io.BytesIO(out.getvalue())).worksheets[0].iter_rows())
    assert [c.value for c in cells] == [*HOSTILE, "plain", 3, "badchar"]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells[: len(HOSTILE)])


@given(st.text())
def test_csv_escaping_round_trips_any_text(text: str) -> None:
    data = spreadsheets.csv_bytes(["h"], [[text]])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    field = rows[1][0] if len(rows) > 1 and rows[1] else ""
    assert not spreadsheets.is_formula_like(field)
    assert (
        spreadsheets.unescape_csv(field) == text.replace("\r\n", "\n")
        or spreadsheets.unescape_csv(field) == text
    )
