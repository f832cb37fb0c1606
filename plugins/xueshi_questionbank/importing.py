"""Import questions from the template (xlsx or CSV), all or nothing, with a row-by-row report.

Every row is checked before anything is written. When any row is refused, the report names each
refused row (its spreadsheet row number), the column and the reason, and the bank is untouched;
otherwise all rows are written in one transaction. Rows carrying an 编号 of a question in this
bank update that question (a new version when something changed); identical questions already
in the bank are counted as unchanged, so importing the same file twice adds nothing.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from . import store, tabular
from .data import (
    BLANK,
    CHOICE_TYPES,
    FALSE,
    MULTIPLE,
    OPTION_KEYS,
    SINGLE,
    TRUE,
    TRUEFALSE,
    InvalidQuestion,
    Tags,
    count_blank_marks,
    question_from_dict,
)
from .models import Bank
from .models import Question as QuestionRow

TYPE_NAMES = {
    **dict.fromkeys(("单选题", "单选", "单项选择题", "单项选择", "single"), SINGLE),
    **dict.fromkeys(("多选题", "多选", "多项选择题", "多项选择", "multiple"), MULTIPLE),
    **dict.fromkeys(("判断题", "判断", "是非题", "truefalse"), TRUEFALSE),
    **dict.fromkeys(("填空题", "填空", "blank"), BLANK),
}
TYPE_LABELS = {SINGLE: "单选题", MULTIPLE: "多选题", TRUEFALSE: "判断题", BLANK: "填空题"}
TRUE_WORDS = {"正确", "对", "√", "✓", "是", "T", "TRUE", "Y", "YES", "1"}
FALSE_WORDS = {"错误", "错", "×", "✗", "X", "否", "F", "FALSE", "N", "NO", "0"}
DIFFICULTY_WORDS = {
    **dict.fromkeys(("易", "简单", "容易", "低", "1", "easy"), 1),
    **dict.fromkeys(("中", "中等", "一般", "适中", "2", "medium", ""), 2),
    **dict.fromkeys(("难", "困难", "较难", "高", "3", "hard"), 3),
}
DIFFICULTY_LABELS = {1: "易", 2: "中", 3: "难"}
#: Blanks are separated by | (or ；), the accepted spellings of one blank by / ; \/ is a literal slash.
BLANK_SEPARATORS = re.compile(r"[|｜;；]")
CHOICE_SEPARATORS = re.compile(r"[\s,，、;；/|]+")


@dataclass(frozen=True)
class RowError:
    """One reason a row was refused."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportReport:
    """What an import did (or, when refused, would not do) and why."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        """True when every row was good and the bank was changed accordingly."""
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "accepted": self.accepted,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "refused_rows": len({e.row for e in self.errors}),
            "errors": [e.as_dict() for e in self.errors],
        }


@dataclass(frozen=True)
class ParsedRow:
    """A good row: its number, content and tags, and the 编号 it carried."""

    row: int
    item: store.NewQuestion
    uid: str


def split_escaped(text: str, separator: str) -> list[str]:
    """Split on ``separator`` except where a backslash escapes it."""
    parts, current, escaped = [], "", False
    for char in text:
        if escaped:
            current += char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in separator:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [p.strip() for p in parts]


def parse_row(number: int, cells: dict[str, str]) -> tuple[ParsedRow | None, list[RowError]]:
    """Turn one row into question content and tags, or the reasons it cannot be one."""
    errors: list[RowError] = []

    def refuse(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    type_name = cells.get("题型", "")
    qtype = TYPE_NAMES.get(type_name) or TYPE_NAMES.get(type_name.lower())
    if qtype is None:
        refuse(
            "题型",
            _("Unknown question type “%(type)s”: use 单选题, 多选题, 判断题 or 填空题.")
            % {"type": type_name},
        )
    stem = cells.get("题干", "")
    if not stem:
        refuse("题干", _("The stem is empty."))
    options = {k: cells.get(f"选项{k}", "") for k in OPTION_KEYS}
    last = max((i for i, k in enumerate(OPTION_KEYS) if options[k]), default=-1)
    given = {k: v for k, v in options.items() if v}
    content: dict[str, Any] = {"type": qtype, "stem": stem, "explanation": cells.get("解析", "")}
    raw_answer = cells.get("答案", "")
    if not raw_answer:
        refuse("答案", _("The answer is empty."))
    elif qtype in CHOICE_TYPES:
        for key in OPTION_KEYS[: last + 1]:
            if not options[key]:
                refuse(
                    f"选项{key}", _("Option %(key)s is empty but a later option is filled in.") % {"key": key}
                )
        if len(given) < 2:
            refuse("选项A", _("A choice question needs at least two options."))
        letters = "".join(CHOICE_SEPARATORS.split(raw_answer.upper()))
        letters = letters.translate(str.maketrans("ＡＢＣＤＥＦ", "ABCDEF"))
        wrong = [c for c in letters if c not in given]
        if wrong:
            refuse(
                "答案",
                _("The answer “%(answer)s” names options that are not filled in.") % {"answer": raw_answer},
            )
        elif len(set(letters)) != len(letters):
            refuse("答案", _("The answer “%(answer)s” repeats an option.") % {"answer": raw_answer})
        elif qtype == SINGLE and len(letters) != 1:
            refuse(
                "答案",
                _("A single-choice question has exactly one answer, not “%(answer)s”.")
                % {"answer": raw_answer},
            )
        elif qtype == MULTIPLE and len(letters) < 2:
            refuse(
                "答案",
                _("A multiple-choice question needs at least two answers, not “%(answer)s”.")
                % {"answer": raw_answer},
            )
        content.update(options=given, answer=list(letters))
    elif qtype == TRUEFALSE:
        word = raw_answer.strip().upper()
        if word in TRUE_WORDS:
            content["answer"] = TRUE
        elif word in FALSE_WORDS:
            content["answer"] = FALSE
        else:
            refuse(
                "答案",
                _("A true-or-false answer must be 正确 or 错误, not “%(answer)s”.") % {"answer": raw_answer},
            )
    elif qtype == BLANK:
        blanks = [[s for s in split_escaped(b, "/／") if s] for b in _split_blanks(raw_answer)]
        if any(not b for b in blanks):
            refuse("答案", _("A blank has no answer in “%(answer)s”.") % {"answer": raw_answer})
        marks = count_blank_marks(stem)
        if marks and marks != len(blanks):
            refuse(
                "答案",
                _("The stem has %(marks)s blanks but the answer gives %(count)s (separate blanks with |).")
                % {"marks": marks, "count": len(blanks)},
            )
        content["blanks"] = blanks
    tags = _tags(cells, refuse)
    uid = cells.get("编号", "")
    if uid:
        try:
            uid = str(uuid.UUID(uid))
        except ValueError:
            refuse(
                "编号",
                _("“%(uid)s” is not a question number from an export; leave 编号 empty.") % {"uid": uid},
            )
    if errors:
        return None, errors
    try:
        question = question_from_dict(content)
    except InvalidQuestion as exc:
        return None, [RowError(number, "", _("The question is not valid: %(reason)s") % {"reason": exc})]
    return ParsedRow(number, store.NewQuestion(question, tags, uid), uid), []


def _split_blanks(text: str) -> list[str]:
    parts, current, escaped = [], "", False
    for char in text:
        if escaped:
            current += "\\" + char
            escaped = False
        elif char == "\\":
            escaped = True
        elif BLANK_SEPARATORS.match(char):
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [p.strip() for p in parts]


def _tags(cells: dict[str, str], refuse: Any) -> Tags:
    trade, point = cells.get("工种", ""), cells.get("知识点", "")
    if len(trade) > 64:
        refuse("工种", _("The trade is longer than 64 characters."))
    if len(point) > 128:
        refuse("知识点", _("The knowledge point is longer than 128 characters."))
    level = DIFFICULTY_WORDS.get(cells.get("难度", "").strip().lower())
    if level is None:
        refuse(
            "难度",
            _("Difficulty must be 易, 中 or 难 (or 1, 2, 3), not “%(value)s”.")
            % {"value": cells.get("难度")},
        )
        level = 2
    return Tags(trade[:64], point[:128], level)


def parse_file(name: str, data: bytes) -> tuple[list[ParsedRow], ImportReport]:
    """Read and check every row; refuse the whole file (``ImportRefused``) when it cannot be read."""
    header, rows = tabular.read_rows(name, data)
    report = ImportReport(rows=len(rows))
    parsed: list[ParsedRow] = []
    seen: dict[tuple[str, str], int] = {}
    for number, texts in rows:
        cells = {column: texts[i] if i < len(texts) else "" for i, column in enumerate(header) if column}
        good, errors = parse_row(number, cells)
        report.errors.extend(errors)
        if good is None:
            continue
        key = (good.item.question.type, good.item.question.stem)
        if key in seen:
            report.errors.append(
                RowError(
                    number, "题干", _("The same question is already in row %(row)s.") % {"row": seen[key]}
                )
            )
            continue
        seen[key] = number
        parsed.append(good)
    if not rows:
        report.errors.append(RowError(1, "", _("The file has a header but no questions.")))
    return parsed, report


def import_file(course_key: Any, name: str, data: bytes, user: Any = None) -> ImportReport:
    """Import a template file into the course's bank, all or nothing.

    Raises:
        ImportRefused: the file itself cannot be read (size, format, header, row count).
    """
    parsed, report = parse_file(name, data)
    if report.errors:
        return report
    with transaction.atomic():
        bank = Bank.objects.select_for_update().get(pk=store.bank_for(course_key).pk)
        existing = _existing(bank)
        fresh: list[store.NewQuestion] = []
        for good in parsed:
            row = existing["uid"].get(good.uid) if good.uid else None
            key = (good.item.question.type, good.item.question.stem)
            row = row or existing["stem"].get(key)
            if row is None:
                fresh.append(good.item)
                continue
            if not good.uid and row.current_version.content_hash != good.item.question.content_hash():
                report.errors.append(
                    RowError(
                        good.row,
                        "题干",
                        _(
                            "A different question with this stem is already in the bank (编号 %(uid)s); "
                            "put that 编号 in the row to update it."
                        )
                        % {"uid": row.uid},
                    )
                )
                continue
            _version, added = store.edit_question(row, good.item, user)
            report.updated += int(added)
            report.unchanged += int(not added)
        if report.errors:
            transaction.set_rollback(True)
            report.updated = report.unchanged = 0
            return report
        report.created = len(store.bulk_create(bank, fresh, user))
    return report


def _existing(bank: Bank) -> dict[str, dict[Any, QuestionRow]]:
    rows = QuestionRow.objects.filter(bank=bank, source=QuestionRow.BANK).select_related("current_version")
    by_uid, by_stem = {}, {}
    for row in rows:
        by_uid[str(row.uid)] = row
        if row.current_version is not None:
            by_stem[(row.type, row.current_version.stem)] = row
    return {"uid": by_uid, "stem": by_stem}
