"""Results of a questionnaire, confined to the viewer's scope: counts, scale figures, texts, xlsx (ADR 0312).

Scope is decided once, by ``xueshi_core.permissions.scope_of``: a county supervisor's results count
only the responses of learners who were in that county when they answered (``Response`` keeps the
region codes under the profile's column names, so the scope's own filter applies). Names appear
masked, and only on real-name questionnaires; anonymous responses have no user to name.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from xueshi_core import audit
from xueshi_core.permissions import scope_of
from xueshi_core.scopes import Scope
from xueshi_core.spreadsheets import append_row

from .models import Answer, Question, Questionnaire, Response

MAX_TEXTS_SHOWN = 200
CHUNK = 500


@dataclass
class QuestionResult:
    """What one question's answers add up to, among the responses in scope."""

    question: Question
    answered: int = 0
    bars: list[tuple[str, int, int]] = field(default_factory=list)  # (label, count, percent)
    average: float | None = None
    texts: list[tuple[str, str]] = field(default_factory=list)  # (masked name or "", text)


def responses_in_scope(user: Any, row: Questionnaire) -> QuerySet[Response]:
    """The questionnaire's responses from learners in the viewer's scope."""
    scope = scope_of(user)
    result: QuerySet[Response] = scope.filter_profiles(Response.objects.filter(questionnaire=row), via="")
    return result


def describe_scope(scope: Scope) -> str:
    """The scope in words for the export audit row."""
    if scope.everything:
        return "everything"
    parts = [f"regions={','.join(scope.regions)}"] if scope.regions else []
    return (
        "; ".join(parts + ([f"employers={'|'.join(scope.employers)}"] if scope.employers else [])) or "nobody"
    )


def _percent(n: int, total: int) -> int:
    return round(100 * n / total) if total else 0


def _names(user_ids: list[int]) -> dict[int, str]:
    from xueshi_identity import api as identity

    return {uid: masked for uid, (masked, _id) in identity.masked_names(user_ids).items()}


def results(user: Any, row: Questionnaire) -> tuple[int, list[QuestionResult]]:
    """How many responses are in scope, and each question's figures (a few grouped queries)."""
    responses = responses_in_scope(user, row)
    total = responses.count()
    answers = Answer.objects.filter(response__in=responses.values("id"))
    answered = dict(
        answers.values("question_id")
        .annotate(n=Count("response_id", distinct=True))
        .values_list("question_id", "n")
    )
    chosen = dict(
        answers.filter(option__isnull=False)
        .values("option_id")
        .annotate(n=Count("id"))
        .values_list("option_id", "n")
    )
    numbers: dict[tuple[int, int], int] = {
        (q, v): n
        for q, v, n in answers.filter(number__isnull=False)
        .values("question_id", "number")
        .annotate(n=Count("id"))
        .values_list("question_id", "number", "n")
    }
    means = dict(
        answers.filter(number__isnull=False)
        .values("question_id")
        .annotate(m=Avg("number"))
        .values_list("question_id", "m")
    )
    figures = []
    for question in row.questions.prefetch_related("options"):
        done = int(answered.get(question.pk, 0))
        item = QuestionResult(question, done)
        if question.kind in (Question.SINGLE, Question.MULTIPLE):
            item.bars = [
                (o.label, chosen.get(o.pk, 0), _percent(chosen.get(o.pk, 0), done))
                for o in question.options.all()
            ]
        elif question.scale_max:
            counts = [(str(v), numbers.get((question.pk, v), 0)) for v in range(1, question.scale_max + 1)]
            item.bars = [(label, n, _percent(n, done)) for label, n in counts]
            item.average = round(float(means[question.pk]), 2) if question.pk in means else None
        else:
            item.texts = _texts(answers.filter(question=question), row.anonymous)
        figures.append(item)
    return total, figures


def _texts(answers: QuerySet[Answer], anonymous: bool) -> list[tuple[str, str]]:
    rows = list(
        answers.exclude(text="")
        .order_by("response__day", "id")
        .values_list("response__user_id", "text")[:MAX_TEXTS_SHOWN]
    )
    names = {} if anonymous else _names([uid for uid, _t in rows if uid])
    return [(names.get(uid, "") if uid else "", text) for uid, text in rows]


def export_xlsx(user: Any, row: Questionnaire, request: Any = None) -> Any:
    """The scoped responses as an xlsx file (spooled to disk past 8 MB), the export recorded in the audit."""
    questions = list(row.questions.prefetch_related("options"))
    labels = {o.pk: o.label for q in questions for o in q.options.all()}
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_("Responses")))
    append_row(
        sheet,
        [str(_("Respondent")), str(_("Region code")), str(_("Day"))]
        + [f"{q.position}. {q.text}" for q in questions],
    )
    written = 0
    responses = responses_in_scope(user, row).order_by("day", "id").prefetch_related("answers")
    batch: list[Response] = []
    for response in responses.iterator(chunk_size=CHUNK):
        batch.append(response)
        if len(batch) == CHUNK:
            written += _write_batch(sheet, row, questions, labels, batch)
            batch = []
    written += _write_batch(sheet, row, questions, labels, batch)
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115  (the response closes it)
    book.save(out)
    out.seek(0)
    what = f"questionnaire {row.slug} responses (xlsx)"
    audit.record_export(user, what, describe_scope(scope_of(user)), written, masked=True, request=request)
    return out


def _write_batch(
    sheet: Any, row: Questionnaire, questions: list[Question], labels: dict[int, str], batch: list[Response]
) -> int:
    """One spreadsheet row per response; masked names in one query per batch (real-name only)."""
    names = {} if row.anonymous else _names([r.user_id for r in batch if r.user_id])
    for response in batch:
        cells: dict[int, list[str]] = {}
        for answer in response.answers.all():
            value = labels.get(answer.option_id or 0) or (
                str(answer.number) if answer.number else answer.text
            )
            cells.setdefault(answer.question_id, []).append(value)
        who = names.get(response.user_id or 0, "") if response.user_id else str(_("Anonymous"))
        region = response.county_code or response.city_code or response.province_code
        append_row(
            sheet,
            [who, region, response.day.isoformat()] + ["；".join(cells.get(q.pk, [])) for q in questions],
        )
    return len(batch)
