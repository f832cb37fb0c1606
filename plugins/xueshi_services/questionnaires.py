"""Building questionnaires: save the builder's form, publish, close; who may edit which (ADR 0311).

Operators edit every questionnaire; a supervisor edits the ones they built, and their audience
stays inside their regions (an empty audience becomes their regions), so a county supervisor
cannot survey another county. Once anyone has answered, the questions and the real-name/anonymous
choice are frozen: option ids in stored answers keep their meaning, and answers given under a
promise of anonymity never become named.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xueshi_core import params
from xueshi_core.days import DEFAULT_ZONE
from xueshi_core.jsonbody import BadInput
from xueshi_core.permissions import scope_of
from xueshi_core.scopes import parse_region_codes

from . import questionnaire_source as source
from .models import Participation, Question, Questionnaire, QuestionOption
from .tickets import clean_text

#: The builder's mistakes in the builder's language (``questionnaire_source`` names them by code).
SOURCE_ERRORS = {
    "no_kind": gettext_lazy("a question ends with its kind in brackets, e.g. [单选], [1-5], [文本]"),
    "unknown_kind": gettext_lazy("unknown kind: use 单选, 多选, 1-5, 1-10 or 文本"),
    "question_too_long": gettext_lazy("a question is at most 500 characters"),
    "too_many_questions": gettext_lazy("a questionnaire has at most 50 questions"),
    "no_questions": gettext_lazy("write at least one question"),
    "orphan_option": gettext_lazy("an option (a line starting with -) belongs under a choice question"),
    "bad_option": gettext_lazy("an option is 1 to 200 characters"),
    "duplicate_option": gettext_lazy("the question already has this option"),
    "too_many_options": gettext_lazy("a question has at most 20 options"),
    "few_options": gettext_lazy("a choice question needs at least two options (lines starting with -)"),
}
SLUG_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: read aloud or typed from paper
SLUG_LENGTH = 6
TIME_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends (with seconds when it has them)


def new_slug() -> str:
    """A short random code for the link (31^6 ≈ 887 million: not guessable by walking)."""
    return "".join(secrets.choice(SLUG_ALPHABET) for _ in range(SLUG_LENGTH))


def local_time(raw: object, name: str) -> datetime:
    """A ``YYYY-MM-DDTHH:MM`` wall-clock time in Asia/Shanghai as an aware datetime."""
    text = clean_text(raw, name, 19)
    for shape in (TIME_FORMAT, f"{TIME_FORMAT}:%S"):
        try:
            return datetime.strptime(text, shape).replace(tzinfo=ZoneInfo(DEFAULT_ZONE))
        except ValueError:
            continue
    raise BadInput(f"invalid_{name}", f"{name} must look like 2026-12-01T09:00")


def shown_time(moment: datetime | None) -> str:
    """The value an edit form shows for a stored time (Asia/Shanghai)."""
    return moment.astimezone(ZoneInfo(DEFAULT_ZONE)).strftime(TIME_FORMAT) if moment else ""


def may_edit(user: Any, row: Questionnaire) -> bool:
    """Operators (whole-country scope) edit all; others only the questionnaires they built."""
    return scope_of(user).everything or row.created_by_id == getattr(user, "pk", None)


def _audience(user: Any, form: Any) -> dict[str, str]:
    courses = [
        str(params.course_key(k, "audience_courses"))
        for k in Questionnaire.lines(form.get("audience_courses", ""))
    ]
    try:
        regions = list(
            parse_region_codes(
                clean_text(form.get("audience_regions"), "audience_regions", 2000, required=False)
            )
        )
    except ValueError as exc:
        raise BadInput("invalid_audience_regions", str(exc)) from exc
    scope = scope_of(user)
    if not scope.everything:
        if not regions:
            regions = list(scope.regions)
        outside = [code for code in regions if not scope.covers([code])]
        if outside or not regions:
            raise BadInput("audience_outside_scope", f"regions outside your scope: {','.join(outside)}", 403)
    from xueshi_identity import api as identity

    categories = Questionnaire.lines(
        clean_text(form.get("audience_categories"), "audience_categories", 1000, required=False)
    )
    unknown = sorted(set(categories) - set(identity.category_names()))
    if unknown:
        raise BadInput("invalid_audience_categories", f"unknown personnel categories: {','.join(unknown)}")
    return {
        "audience_courses": "\n".join(dict.fromkeys(courses)),
        "audience_regions": "\n".join(regions),
        "audience_categories": "\n".join(categories),
    }


def save(user: Any, form: Any, row: Questionnaire | None = None) -> Questionnaire:
    """Create (``row`` None) or edit a questionnaire from the builder's form; refusals are ``BadInput``."""
    if row is not None and not may_edit(user, row):
        raise BadInput("not_yours", "only its author or an operator edits this questionnaire", 403)
    values: dict[str, Any] = {
        "title": clean_text(form.get("title"), "title", 200),
        "description": clean_text(form.get("description"), "description", 2000, required=False),
        "starts_at": local_time(form.get("starts_at"), "starts_at"),
        "ends_at": local_time(form.get("ends_at"), "ends_at"),
        "anonymous": form.get("anonymous") in ("on", "1", "true"),
        **_audience(user, form),
    }
    if values["ends_at"] <= values["starts_at"]:
        raise BadInput("invalid_window", "the end must come after the start")
    # A browser sends a textarea's lines with CRLF: compare and keep the text with LF only.
    text = clean_text(str(form.get("source") or "").replace("\r\n", "\n"), "source", 20000)
    try:
        parsed = source.parse(text)
    except source.SourceError as exc:
        problem = SOURCE_ERRORS.get(exc.code, exc.message)
        reason = _("Questions, line %(line)d: %(problem)s") % {"line": exc.line, "problem": problem}
        raise BadInput("invalid_questions", reason) from exc
    with transaction.atomic():
        if row is None:
            row = Questionnaire.objects.create(slug=new_slug(), created_by=user, source=text, **values)
            _write_questions(row, parsed)
            return row
        row = Questionnaire.objects.select_for_update().get(pk=row.pk)
        answered = Participation.objects.filter(questionnaire=row).exists()
        if answered and (text != row.source or values["anonymous"] != row.anonymous):
            raise BadInput(
                "questions_frozen", "people have answered: questions and anonymity can no longer change", 409
            )
        for name, value in values.items():
            setattr(row, name, value)
        if not answered and text != row.source:
            row.source = text
            row.questions.all().delete()
            _write_questions(row, parsed)
        row.save()
    return row


def write_questions(row: Questionnaire, text: str) -> None:
    """Replace the questions of a questionnaire nobody answered yet with those of the builder's text."""
    _write_questions(row, source.parse(text))


def _write_questions(row: Questionnaire, parsed: list[source.ParsedQuestion]) -> None:
    for position, item in enumerate(parsed, start=1):
        question = Question.objects.create(
            questionnaire=row, position=position, kind=item.kind, text=item.text, required=item.required
        )
        QuestionOption.objects.bulk_create(
            QuestionOption(question=question, position=n, label=label)
            for n, label in enumerate(item.options, 1)
        )


def move(user: Any, row: Questionnaire, state: str) -> Questionnaire:
    """Publish a draft (or reopen a closed one) or close it; answers are taken only while published."""
    if not may_edit(user, row):
        raise BadInput("not_yours", "only its author or an operator changes this questionnaire", 403)
    allowed = {
        Questionnaire.DRAFT: {Questionnaire.PUBLISHED},
        Questionnaire.PUBLISHED: {Questionnaire.CLOSED},
        Questionnaire.CLOSED: {Questionnaire.PUBLISHED},
    }
    if state not in allowed[row.state]:
        raise BadInput("invalid_state_change", f"a {row.state} questionnaire cannot become {state}", 409)
    Questionnaire.objects.filter(pk=row.pk).update(state=state, updated_at=timezone.now())
    row.state = state
    return row
