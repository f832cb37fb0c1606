"""The spreadsheet batch profile: one xlsx per batch, for bureaus that take uploads.

Files go to ``XUESHI_REPORTING_XLSX_DIR``, written atomically under the batch id, so a retried
batch rewrites the same file; an operator downloads it from the reporting page and uploads it
to the bureau's site.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from xueshi_core.spreadsheets import append_row

from .. import conf
from .base import STORED, Adapter, Answer, Outcome

HEAD = [
    "幂等键",
    "类型",
    "序号",
    "姓名",
    "证件类型",
    "证件号码",
    "地区",
    "人员类别",
    "工作单位",
    "课程代码",
    "课程名称",
    "课程类别",
    "内容",
    "发生时间",
]


def batch_path(code: str, batch: str) -> Path:
    """Where the file of ``batch`` of destination ``code`` is written."""
    return Path(conf.xlsx_dir()) / code / f"{batch}.xlsx"


class XlsxAdapter(Adapter):
    """Writes the batch as a sheet; every record counts as handed over once the file is in place."""

    def push(self, destination: Any, batch: str, records: list[dict[str, Any]]) -> Answer:
        """Write the sheet to a temporary name, then move it in place (a retry rewrites it)."""
        import json

        path = batch_path(destination.code, batch)
        path.parent.mkdir(parents=True, exist_ok=True)
        book = Workbook(write_only=True)
        sheet = book.create_sheet("上报记录")
        append_row(sheet, HEAD)
        for r in records:
            learner, course = r.get("learner", {}), r.get("course") or {}
            append_row(
                sheet,
                [
                    r["key"],
                    r["kind"],
                    r["seq"],
                    learner.get("real_name", ""),
                    learner.get("id_type", ""),
                    learner.get("id_number", ""),
                    learner.get("region", ""),
                    learner.get("category", ""),
                    learner.get("employer", ""),
                    course.get("code", ""),
                    course.get("title", ""),
                    course.get("category", ""),
                    json.dumps(r.get("data", {}), ensure_ascii=False, sort_keys=True),
                    r.get("occurred_at", ""),
                ],
            )
        temp = path.with_suffix(".part")
        book.save(temp)
        os.replace(temp, path)
        return Answer(
            "answered", outcomes={r["key"]: Outcome(STORED) for r in records}, detail=str(path.name)
        )
