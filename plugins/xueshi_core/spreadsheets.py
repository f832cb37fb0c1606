"""Every spreadsheet export writes cells through here, so learner-entered text stays text.

An employer, a user agent or a question stem that starts with ``=``, ``+``, ``-`` or ``@`` (also
tab and carriage return, per OWASP's CSV-injection advice) is a formula when a spreadsheet opens
it: openpyxl even stores a ``=...`` string as a formula itself. Here (ADR 0021):

- xlsx: such a value is written as a string cell with Excel's *quote prefix* style, so the text
  is kept exactly (a re-import reads the learner's own text) and Excel does not evaluate it even
  when the cell is edited; characters xlsx cannot hold (C0 controls) are dropped instead of
  failing the whole export.
- CSV: the value gets a leading apostrophe, which spreadsheet programs show as a text marker;
  :func:`unescape_csv` removes it again on import, so a round trip is lossless.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_ESCAPE = "'"


def is_formula_like(value: Any) -> bool:
    """Say whether a spreadsheet program would read this value as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def xlsx_cell(sheet: Any, value: Any) -> Any:
    """``value`` ready for ``sheet.append``: a plain value, or a quoted text cell when needed."""
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not is_formula_like(text):
        return text
    cell = WriteOnlyCell(sheet, value=None) if isinstance(sheet, WriteOnlyWorksheet) else Cell(sheet)
    cell.value = text
    cell.data_type = "s"  # openpyxl made it "f" (a formula) for a leading "="
    cell.quotePrefix = True
    return cell


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """``sheet.append`` with every value written safely (normal and write-only sheets)."""
    sheet.append([xlsx_cell(sheet, value) for value in values])


def csv_cell(value: Any) -> Any:
    """A CSV field: formula-like text (or text that already starts with the marker) gets the marker."""
    if isinstance(value, str) and (is_formula_like(value) or value.startswith(CSV_ESCAPE)):
        return CSV_ESCAPE + value
    return value


def unescape_csv(text: str) -> str:
    """Undo :func:`csv_cell` on a field read back from a CSV export."""
    rest = text[len(CSV_ESCAPE) :]
    if text.startswith(CSV_ESCAPE) and (is_formula_like(rest) or rest.startswith(CSV_ESCAPE)):
        return rest
    return text


def csv_bytes(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, encoding: str = "utf-8-sig") -> bytes:
    """A whole CSV file with every field through :func:`csv_cell` (BOM: Excel on Chinese Windows)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_cell(v) for v in header])
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return out.getvalue().encode(encoding)
