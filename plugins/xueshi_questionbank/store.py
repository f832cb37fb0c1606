"""Writing questions: banks per course, new questions, and edits that add immutable versions.

Every path that stores content (the staff page, the REST API, imports, questions written inside
a block) comes through here, so versioning and tag indexing happen in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, OuterRef, Q, Subquery
from opaque_keys.edx.keys import CourseKey

from .data import Question, Tags
from .models import Bank, QuestionVersion
from .models import Question as QuestionRow


@dataclass(frozen=True)
class NewQuestion:
    """Content and tags of a question about to be stored (an import row, a form)."""

    question: Question
    tags: Tags
    uid: str = ""


def course_key_of(course_key: Any) -> CourseKey:
    """Parse a course key (raises ``InvalidKeyError``)."""
    return course_key if isinstance(course_key, CourseKey) else CourseKey.from_string(str(course_key))


def bank_for(course_key: Any) -> Bank:
    """The course's own bank, created on first use."""
    key = course_key_of(course_key)
    bank, _ = Bank.objects.get_or_create(course_key=key, defaults={"org": key.org})
    return bank


def visible_banks(course_key: Any) -> Q:
    """Banks a course draws from: its own and those its organisation shares."""
    key = course_key_of(course_key)
    return Q(course_key=key) | Q(org=key.org, shared=True)


def _version_row(row: QuestionRow, number: int, item: NewQuestion, user: Any) -> QuestionVersion:
    q = item.question
    content = q.as_dict()
    return QuestionVersion(
        question=row,
        number=number,
        type=q.type,
        stem=q.stem,
        options=content["options"],
        answer=content["answer"],
        blanks=content["blanks"],
        explanation=q.explanation,
        trade=item.tags.trade,
        knowledge_point=item.tags.knowledge_point,
        difficulty=item.tags.difficulty,
        content_hash=q.content_hash(),
        created_by=user if getattr(user, "pk", None) else None,
    )


def _index(row: QuestionRow, item: NewQuestion) -> None:
    row.type = item.question.type
    row.stem_search = item.question.stem[:255]
    row.trade, row.knowledge_point, row.difficulty = (
        item.tags.trade,
        item.tags.knowledge_point,
        item.tags.difficulty,
    )


@transaction.atomic
def create_question(bank: Bank, item: NewQuestion, user: Any = None, **extra: Any) -> QuestionVersion:
    """Store a new question with its first version."""
    row = QuestionRow(bank=bank, **extra)
    _index(row, item)
    row.save()
    version = _version_row(row, 1, item, user)
    version.save()
    row.current_version = version
    row.save(update_fields=["current_version"])
    return version


@transaction.atomic
def edit_question(row: QuestionRow, item: NewQuestion, user: Any = None) -> tuple[QuestionVersion, bool]:
    """Add a version when content or tags changed; return ``(current version, whether one was added)``."""
    row = QuestionRow.objects.select_for_update().get(pk=row.pk)
    current = row.current_version
    if (
        current is not None
        and current.content_hash == item.question.content_hash()
        and current.tags() == item.tags
    ):
        return current, False
    number = (row.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = _version_row(row, number, item, user)
    version.save()
    _index(row, item)
    row.current_version = version
    row.active = True
    row.save()
    return version, True


def bulk_create(bank: Bank, items: Iterable[NewQuestion], user: Any = None) -> list[int]:
    """Store many new questions in a few queries (an import); the caller holds the transaction."""
    items = list(items)
    rows = []
    for item in items:
        row = QuestionRow(bank=bank)
        _index(row, item)
        rows.append(row)
    QuestionRow.objects.bulk_create(rows, batch_size=500)
    by_uid = dict(QuestionRow.objects.filter(uid__in=[r.uid for r in rows]).values_list("uid", "id"))
    versions = []
    for row, item in zip(rows, items, strict=True):
        row.pk = row.id = by_uid[row.uid]
        versions.append(_version_row(row, 1, item, user))
    QuestionVersion.objects.bulk_create(versions, batch_size=500)
    # One UPDATE … SET current_version = (subquery) instead of a CASE per row (bulk_update).
    first = QuestionVersion.objects.filter(question=OuterRef("pk"), number=1).values("id")[:1]
    QuestionRow.objects.filter(id__in=by_uid.values(), current_version__isnull=True).update(
        current_version=Subquery(first)
    )
    version_ids = dict(
        QuestionVersion.objects.filter(question_id__in=by_uid.values(), number=1).values_list(
            "question_id", "id"
        )
    )
    return [version_ids[row.pk] for row in rows]
