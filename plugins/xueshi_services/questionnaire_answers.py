"""Answering a questionnaire: who may, when, what is a valid answer, and the one-answer rule (ADR 0310).

Every refusal is a ``BadInput`` with a stable code the answer page and the XBlock turn into a clear
4xx: ``not_open``/``not_started``/``ended`` (409), ``real_name_required``/``not_in_audience`` (403),
``unknown_question``/``unknown_option``/``missing_answer``/``text_too_long`` (400) and
``already_answered`` (409), which the unique ``Participation`` row decides even for two submits
racing from two tabs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from xueshi_core.days import china_day
from xueshi_core.jsonbody import BadInput
from xueshi_core.scopes import Scope

from .models import Answer, Participation, Question, Questionnaire, Response

MAX_TEXT = 2000
Row = tuple[Question, int | None, int | None, str]


def find(slug: object) -> Questionnaire:
    """The questionnaire of a short link; drafts do not exist for learners."""
    text = str(slug or "")[:12]
    row = Questionnaire.objects.filter(slug=text).exclude(state=Questionnaire.DRAFT).first()
    if row is None:
        raise BadInput("no_such_questionnaire", "there is no such questionnaire", 404)
    return row


def check_open(row: Questionnaire, now: datetime | None = None) -> None:
    """Published and inside its window (server time)."""
    moment = now or timezone.now()
    if row.state != Questionnaire.PUBLISHED:
        raise BadInput("not_open", "this questionnaire is closed", 409)
    if moment < row.starts_at:
        raise BadInput("not_started", "this questionnaire has not started yet", 409)
    if moment >= row.ends_at:
        raise BadInput("ended", "this questionnaire has ended", 409)


def _profile(user: Any) -> Any:
    from xueshi_identity import api as identity

    if not getattr(user, "is_authenticated", False):
        raise BadInput("sign_in_required", "sign in to answer", 401)
    profile = identity.get_profile(user.pk)
    if profile is None or not profile.complete:
        raise BadInput("real_name_required", "complete your real-name profile before answering", 403)
    return profile


def check_audience(row: Questionnaire, user: Any) -> Any:
    """The learner's complete real-name profile, refused when outside the courses, regions or categories."""
    profile = _profile(user)
    regions = Questionnaire.lines(row.audience_regions)
    codes = [profile.province_code, profile.city_code, profile.county_code]
    categories = Questionnaire.lines(row.audience_categories)
    courses = Questionnaire.lines(row.audience_courses)
    inside = (not regions or Scope(regions=tuple(regions)).covers(codes)) and (
        not categories or profile.category_code in categories
    )
    if inside and courses:
        from xueshi_core import compat as core_compat

        inside = any(core_compat.is_enrolled(user, key) for key in courses)
    if not inside:
        raise BadInput("not_in_audience", "this questionnaire is for other learners", 403)
    return profile


def has_answered(row: Questionnaire, user: Any) -> bool:
    """Whether the learner's one answer is in."""
    return (
        bool(getattr(user, "pk", None))
        and Participation.objects.filter(questionnaire=row, user=user).exists()
    )


def answers_from_form(row: Questionnaire, form: Any) -> dict[str, Any]:
    """The answer page's fields (``q<id>``; several values for multiple choice) as the answers mapping."""
    answers: dict[str, Any] = {}
    for question in row.questions.all():
        name = f"q{question.pk}"
        values = form.getlist(name) if question.kind == Question.MULTIPLE else form.get(name, "")
        if values not in ("", []):
            answers[str(question.pk)] = values
    return answers


def _int(raw: object, code: str, reason: str) -> int:
    if isinstance(raw, bool):
        raise BadInput(code, reason)
    try:
        return int(str(raw).strip())
    except ValueError as exc:
        raise BadInput(code, reason) from exc


def _rows(question: Question, value: Any) -> list[Row]:
    where = f"question {question.position}"
    if question.kind in (Question.SINGLE, Question.MULTIPLE):
        raw = value if isinstance(value, list) else [value]
        if question.kind == Question.SINGLE and len(raw) != 1:
            raise BadInput("unknown_option", f"{where} takes one option")
        ids = {o.pk for o in question.options.all()}
        chosen = [_int(v, "unknown_option", f"{where} has no such option") for v in raw]
        if not chosen or len(chosen) > len(ids) or not set(chosen) <= ids:
            raise BadInput("unknown_option", f"{where} has no such option")
        return [(question, option, None, "") for option in dict.fromkeys(chosen)]
    if question.scale_max:
        number = _int(value, "invalid_scale", f"{where} takes a whole number from 1 to {question.scale_max}")
        if not 1 <= number <= question.scale_max:
            raise BadInput("invalid_scale", f"{where} takes a whole number from 1 to {question.scale_max}")
        return [(question, None, number, "")]
    text = ("" if value is None else str(value)).strip()
    if len(text) > MAX_TEXT:
        raise BadInput("text_too_long", f"{where}: at most {MAX_TEXT} characters")
    if "\x00" in text or any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise BadInput("invalid_text", f"{where} holds characters that are not text")
    return [(question, None, None, text)] if text else []


def validate(row: Questionnaire, answers: Mapping[str, Any]) -> list[Row]:
    """Check every answer against the questions; one ``Row`` per option chosen, number or text."""
    if not isinstance(answers, Mapping):
        raise BadInput("invalid_answers", "answers must be an object keyed by question id")
    questions = {str(q.pk): q for q in row.questions.prefetch_related("options")}
    unknown = sorted(set(map(str, answers)) - set(questions))
    if unknown:
        raise BadInput("unknown_question", f"no such question: {', '.join(unknown[:5])}")
    rows: list[Row] = []
    for key, question in questions.items():
        given = _rows(question, answers[key]) if answers.get(key) not in (None, "", []) else []
        if question.required and not given:
            raise BadInput("missing_answer", f"question {question.position} needs an answer")
        rows.extend(given)
    return rows


def submit(row: Questionnaire, user: Any, answers: Mapping[str, Any], via: str = "link") -> Response:
    """Record the learner's one answer, or refuse; a second (or racing) submit is ``already_answered``."""
    profile = check_audience(row, user)
    check_open(row)
    rows = validate(row, answers)
    try:
        with transaction.atomic():
            Participation.objects.create(questionnaire=row, user=user)
            response = Response.objects.create(
                questionnaire=row,
                user=None if row.anonymous else user,
                province_code=profile.province_code,
                city_code=profile.city_code,
                county_code=profile.county_code,
                employer=profile.employer,
                day=china_day(timezone.now()),
                via=str(via)[:255],
            )
            Answer.objects.bulk_create(
                Answer(response=response, question=q, option_id=option, number=number, text=text)
                for q, option, number, text in rows
            )
    except IntegrityError as exc:
        raise BadInput("already_answered", "you have already answered this questionnaire", 409) from exc
    return response
