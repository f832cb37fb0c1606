"""Reading and writing the question template as xlsx (openpyxl) or CSV, with hard limits.

Files come from outside (providers' spreadsheets), so everything is bounded before parsing: the
upload's size, an xlsx file's unpacked size (a zip bomb is refused without inflating it) and the
number of rows. CSV from Chinese Excel is often GB18030, not UTF-8; both are read. Cells are
written through ``xueshi_core.spreadsheets`` (formula-like text stays text) and a CSV's escape
marker is removed on reading, so an export imports back to the same text (ADR 0021).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any

from django.utils.translation import gettext as _

from xueshi_core.spreadsheets import append_row, csv_bytes, unescape_csv

from . import conf
from .exceptions import ImportRefused

OPTION_COLUMNS = tuple(f"选项{k}" for k in "ABCDEF")
#: The template's columns, in order. 编号 (the question's id) is filled by exports so a file can
#: come back to update the same questions; providers' files leave it empty.
HEADERS: tuple[str, ...] = ("题型", "题干", *OPTION_COLUMNS, "答案", "解析", "工种", "知识点", "难度", "编号")
#: Other names providers use for the same columns.
ALIASES = {
    "试题类型": "题型",
    "类型": "题型",
    "题目": "题干",
    "试题内容": "题干",
    "题目内容": "题干",
    "正确答案": "答案",
    "参考答案": "答案",
    "答案解析": "解析",
    "试题解析": "解析",
    "工种名称": "工种",
    "职业工种": "工种",
    "知识点名称": "知识点",
    "难易度": "难度",
    "难易程度": "难度",
    "试题编号": "编号",
    "ID": "编号",
    **{f"选项{k}（{k}）": f"选项{k}" for k in "ABCDEF"},
    **{k: f"选项{k}" for k in "ABCDEF"},
}
REQUIRED = ("题型", "题干", "答案")
XLSX, CSV = "xlsx", "csv"


def cell_text(value: Any) -> str:
    """A cell as text: ``2.0`` read from Excel becomes ``"2"``; None becomes ``""``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "正确" if value else "错误"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def detect_format(name: str, data: bytes) -> str:
    """``xlsx`` when the bytes are a zip archive (whatever the name says), else ``csv`` for .csv/.txt."""
    if data[:4] == b"PK\x03\x04":
        return XLSX
    if name.lower().endswith((".csv", ".txt")):
        return CSV
    raise ImportRefused("unsupported_format", _("Upload an .xlsx workbook or a .csv file."), 415)


def read_rows(name: str, data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Return the header row and ``(spreadsheet row number, cells)`` for each non-empty data row.

    Raises:
        ImportRefused: too large, not a spreadsheet, unreadable, no header, too many rows.
    """
    if len(data) > conf.max_import_bytes():
        raise ImportRefused(
            "file_too_large",
            _("The file is larger than %(limit)s MB.")
            % {"limit": round(conf.max_import_bytes() / 1048576, 1)},
            413,
        )
    if not data.strip():
        raise ImportRefused("empty_file", _("The file is empty."))
    raw_rows = _xlsx_rows(data) if detect_format(name, data) == XLSX else _csv_rows(data)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, cells in raw_rows:
        texts = [cell_text(c) for c in cells]
        if not any(texts):
            continue
        if header is None:
            header = [ALIASES.get(t, t) for t in texts]
            continue
        rows.append((number, texts))
        if len(rows) > conf.max_import_rows():
            raise ImportRefused(
                "too_many_rows",
                _("The file has more than %(limit)s question rows; split it into smaller files.")
                % {"limit": conf.max_import_rows()},
                413,
            )
    if header is None or not all(column in header for column in REQUIRED):
        raise ImportRefused(
            "no_header",
            _("The first row must be the template's header (题型, 题干, 选项A…, 答案, …)."),
        )
    return header, rows


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, Sequence[Any]]]:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ImportRefused("not_xlsx", _("The file is not a readable .xlsx workbook.")) from exc
    if unpacked > conf.max_unpacked_bytes():
        raise ImportRefused("file_too_large", _("The workbook unpacks to more than the allowed size."), 413)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = [(n, row) for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
        workbook.close()
    except ImportRefused:
        raise
    except Exception as exc:  # openpyxl raises many types for damaged files; all mean "unreadable"
        raise ImportRefused("not_xlsx", _("The file is not a readable .xlsx workbook.")) from exc
    yield from rows


def _csv_rows(data: bytes) -> Iterator[tuple[int, Sequence[Any]]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover  (gb18030 decodes any byte string)
        raise ImportRefused("bad_encoding", _("The CSV file is neither UTF-8 nor GB18030 text."))
    if "\x00" in text:
        raise ImportRefused("not_csv", _("The file is not a CSV text file."))
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            yield number, [unescape_csv(cell) for cell in cells]  # our exports mark formula-like text
    except csv.Error as exc:
        raise ImportRefused("not_csv", _("The CSV file is malformed: %(error)s") % {"error": exc}) from exc


def write_xlsx(rows: Sequence[Sequence[Any]], notes: Sequence[str] = ()) -> bytes:
    """A workbook with the template header, ``rows`` and (optionally) a 填写说明 sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "题库"
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, row)
    widths = {"A": 10, "B": 48, "J": 10, "K": 36, "L": 12, "M": 16, "N": 8, "O": 38}
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
    for column in "CDEFGH":
        sheet.column_dimensions[column].width = 20
    sheet.freeze_panes = "A2"
    if notes:
        help_sheet = workbook.create_sheet("填写说明")
        help_sheet.column_dimensions["A"].width = 110
        for line in notes:
            append_row(help_sheet, [line])
            help_sheet.cell(row=help_sheet.max_row, column=1).alignment = Alignment(wrap_text=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_csv(rows: Sequence[Sequence[Any]]) -> bytes:
    """UTF-8 CSV with a byte-order mark, so Excel on Chinese Windows shows it correctly."""
    return csv_bytes(HEADERS, rows)
