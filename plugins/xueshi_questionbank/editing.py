"""Editing one question from the staff page or the REST API, in the template's own terms.

A form row is checked by the importer's row parser, so a question typed into the page obeys
exactly the rules (and gets exactly the messages) of an imported row. Saving an edit adds a
version; nothing stored is ever changed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from . import store
from .data import OPTION_KEYS
from .exporting import answer_text
from .importing import DIFFICULTY_LABELS, TYPE_LABELS, RowError, parse_row
from .models import Question as QuestionRow

FORM_FIELDS = ("题型", "题干", *(f"选项{k}" for k in OPTION_KEYS), "答案", "解析", "工种", "知识点", "难度")
#: Field names of the page's form and the REST API, mapped to template columns.
API_FIELDS = {
    "type": "题型",
    "stem": "题干",
    "answer": "答案",
    "explanation": "解析",
    "trade": "工种",
    "knowledge_point": "知识点",
    "difficulty": "难度",
    **{f"option_{k.lower()}": f"选项{k}" for k in OPTION_KEYS},
}


def cells_from(values: Any) -> dict[str, str]:
    """Template cells from form or JSON values (English field names)."""
    cells = {column: str(values.get(name) or "").strip() for name, column in API_FIELDS.items()}
    if isinstance(values.get("options"), dict):
        for key, text in values["options"].items():
            cells[f"选项{str(key).upper()}"] = str(text or "").strip()
    return cells


def values_of(row: QuestionRow) -> dict[str, Any]:
    """A question's current content as form values (English field names, template answer text)."""
    version = row.current_version
    options = {o["key"]: o["text"] for o in version.options} if version else {}
    return {
        "type": TYPE_LABELS.get(row.type, row.type),
        "stem": version.stem if version else "",
        "answer": answer_text(version) if version else "",
        "explanation": version.explanation if version else "",
        "trade": row.trade,
        "knowledge_point": row.knowledge_point,
        "difficulty": DIFFICULTY_LABELS.get(row.difficulty, "中"),
        **{
            f"option_{k.lower()}": options.get(k, "") if row.type in ("single", "multiple") else ""
            for k in OPTION_KEYS
        },
    }


def save(
    course_key: Any, values: Any, user: Any, row: QuestionRow | None = None
) -> tuple[Any, list[RowError]]:
    """Create (``row`` None) or edit a question from form values; return ``(version, errors)``."""
    parsed, errors = parse_row(0, cells_from(values))
    if parsed is None:
        return None, errors
    if row is None:
        clash = (
            QuestionRow.objects.filter(
                bank=store.bank_for(course_key), source=QuestionRow.BANK, type=parsed.item.question.type
            )
            .filter(current_version__stem=parsed.item.question.stem)
            .first()
        )
        if clash is not None:
            return None, [RowError(0, "题干", _("A question with this stem is already in the bank."))]
        return store.create_question(store.bank_for(course_key), parsed.item, user), []
    version, _added = store.edit_question(row, parsed.item, user)
    return version, []


def search(course_key: Any, params: Any) -> QuerySet[QuestionRow]:
    """The course bank's questions filtered by text (stem), tags, type and state."""
    query = QuestionRow.objects.filter(
        bank=store.bank_for(course_key), source=QuestionRow.BANK
    ).select_related("current_version")
    text = str(params.get("q") or "").strip()
    if text:
        query = query.filter(Q(current_version__stem__icontains=text) | Q(knowledge_point__icontains=text))
    for name in ("trade", "knowledge_point"):
        value = str(params.get(name) or "").strip()
        if value:
            query = query.filter(**{name: value})
    difficulty = str(params.get("difficulty") or "")
    if difficulty in ("1", "2", "3"):
        query = query.filter(difficulty=int(difficulty))
    qtype = str(params.get("type") or "")
    if qtype in TYPE_LABELS:
        query = query.filter(type=qtype)
    if str(params.get("retired") or "") == "1":
        query = query.filter(active=False)
    else:
        query = query.filter(active=True)
    return query.order_by("-modified", "-id")
