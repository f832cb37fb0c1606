"""Public Python API of ``xueshi_questionbank`` (contract C2): the only module blocks and apps call.

Checkpoints in ``xueshi_video`` and the ``xueshi_practice`` block draw questions, show them,
judge answers and record attempts through these functions. Arguments and results are plain
values from ``data.py``; no model ever leaves this module.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from opaque_keys.edx.keys import UsageKey

from . import conf, store
from .data import (
    CONTEXTS,
    AttemptRecord,
    InvalidAnswer,
    InvalidQuestion,
    Judgement,
    QuestionView,
    TagFilter,
    Tags,
    draw_sample,
    judge,
    make_view,
    question_from_dict,
)
from .exceptions import AttemptConflict, QuestionNotFound
from .models import Attempt, QuestionVersion
from .models import Question as QuestionRow

__all__ = [
    "AttemptConflict",
    "AttemptRecord",
    "InvalidAnswer",
    "InvalidQuestion",
    "Judgement",
    "QuestionNotFound",
    "QuestionView",
    "WrongEntry",
    "count_attempts",
    "count_available",
    "draw",
    "judge_answer",
    "latest_version_id",
    "now",
    "record_attempt",
    "reveal",
    "tag_values",
    "upsert_block_question",
    "view",
    "wrong_book",
]
MAX_ANSWER_JSON = 4096


def now() -> float:
    """The bank's server clock (epoch seconds); blocks use it for deadlines so tests can move it."""
    return conf.now()


def _version(version_id: Any) -> QuestionVersion:
    try:
        return QuestionVersion.objects.select_related("question").get(pk=int(version_id))
    except (QuestionVersion.DoesNotExist, TypeError, ValueError) as exc:
        raise QuestionNotFound(f"no question version {version_id!r}") from exc


def draw(
    course_key: Any, *, tags: Mapping[str, Any] | None, count: int, seed: Any, exclude: Iterable[int] = ()
) -> list[QuestionView]:
    """Draw up to ``count`` bank questions of the course (and its organisation's shared banks) by tag.

    ``tags`` maps ``trade``, ``knowledge_point``, ``difficulty`` (and ``type``) to a value or a list
    of values (any matches); empty means any question. The same ``seed`` gives the same questions
    in the same order with the same option order. ``exclude`` holds version ids whose questions
    must not be drawn (e.g. ones already shown). Fewer than ``count`` come back when the bank has
    fewer. Questions written inside blocks are never drawn.
    """
    query = _candidates(course_key, TagFilter.from_mapping(tags), exclude)
    chosen = draw_sample(list(query), min(int(count), conf.max_draw()), seed)
    versions = {
        row.id: row.current_version
        for row in QuestionRow.objects.filter(id__in=chosen).select_related("current_version")
    }
    return [_view(versions[qid], seed) for qid in chosen]


def _candidates(course_key: Any, wanted: TagFilter, exclude: Iterable[int] = ()) -> Any:
    """Ids of the bank questions a draw may pick (active, drawable, matching every given tag)."""
    query = QuestionRow.objects.filter(
        bank__in=_bank_ids(course_key), source=QuestionRow.BANK, active=True, current_version__isnull=False
    )
    if wanted.trades:
        query = query.filter(trade__in=wanted.trades)
    if wanted.knowledge_points:
        query = query.filter(knowledge_point__in=wanted.knowledge_points)
    if wanted.difficulties:
        query = query.filter(difficulty__in=wanted.difficulties)
    if wanted.types:
        query = query.filter(type__in=wanted.types)
    excluded = [int(v) for v in exclude]
    if excluded:
        query = query.exclude(versions__id__in=excluded)
    return query.values_list("id", flat=True)


def _bank_ids(course_key: Any) -> list[int]:
    from .models import Bank

    return list(Bank.objects.filter(store.visible_banks(course_key)).values_list("id", flat=True))


def _view(version: QuestionVersion | None, seed: Any) -> QuestionView:
    assert version is not None  # drawn rows have a current version
    return make_view(version.pk, version.to_question(), seed)


def view(version_id: int, seed: Any) -> QuestionView:
    """The browser's view of one question version, options shuffled by ``seed``.

    Raises:
        QuestionNotFound: no such version.
    """
    return _view(_version(version_id), seed)


def judge_answer(version_id: int, answer: Any) -> Judgement:
    """Judge ``answer`` against exactly this version (earlier answers stay judged as they were).

    Raises:
        QuestionNotFound: no such version.
        InvalidAnswer: the answer's shape does not fit the question.
    """
    return judge(_version(version_id).to_question(), answer)


def reveal(version_id: int) -> Judgement:
    """The correct answer and explanation without an answer (``correct`` is False).

    Only for after a submission, e.g. an exam question the learner left unanswered.

    Raises:
        QuestionNotFound: no such version.
    """
    question = _version(version_id).to_question()
    return Judgement(
        correct=False, correct_answer=question.correct_answer(), explanation=question.explanation
    )


def record_attempt(
    user_id: int,
    course_key: Any,
    usage_key: Any,
    context: str,
    context_id: str,
    version_id: int,
    answer: Any,
    correct: bool,
    idempotency_key: str,
) -> AttemptRecord:
    """Record one judged answer once: a replay with the same key returns the first record (``replayed``).

    Raises:
        QuestionNotFound: no such version.
        AttemptConflict: the key was used for another learner or question.
        ValueError: unknown context, bad key, or an oversized answer.
    """
    if context not in CONTEXTS:
        raise ValueError(f"context must be one of {CONTEXTS}")
    key = str(idempotency_key or "")
    if not key or len(key) > 191:
        raise ValueError("idempotency_key must be 1 to 191 characters")
    if len(json.dumps(answer, ensure_ascii=False, default=str)) > MAX_ANSWER_JSON:
        raise ValueError("answer too large")
    version = _version(version_id)
    usage = usage_key if isinstance(usage_key, UsageKey) else UsageKey.from_string(str(usage_key))
    course = store.course_key_of(course_key)
    try:
        with transaction.atomic():
            row = Attempt.objects.create(
                user_id=user_id,
                course_key=course,
                usage_key=usage,
                context=context,
                context_id=str(context_id)[:128],
                question_id=version.question_id,
                version=version,
                answer=answer,
                correct=bool(correct),
                created=datetime.fromtimestamp(now(), tz=UTC),
                idempotency_key=key,
            )
        return _record(row)
    except IntegrityError:
        row = Attempt.objects.filter(idempotency_key=key).first()
        if row is None:
            raise
        if row.user_id != user_id or row.version_id != version.pk:
            raise AttemptConflict("this idempotency key belongs to another attempt") from None
        return _record(row, replayed=True)


def count_attempts(user_id: int, key_prefix: str) -> int:
    """How many answers of ``user_id`` were recorded with an idempotency key starting ``key_prefix``.

    Blocks that number a learner's answers in their keys (``<prefix><n>``) read here how many
    were taken, from the database rather than from state a lost request may not have saved.
    """
    if not key_prefix:
        raise ValueError("key_prefix must not be empty")
    return int(Attempt.objects.filter(user_id=user_id, idempotency_key__startswith=key_prefix).count())


def _record(row: Attempt, replayed: bool = False) -> AttemptRecord:
    return AttemptRecord(
        id=row.pk,
        user_id=row.user_id,
        course_key=str(row.course_key),
        usage_key=str(row.usage_key),
        context=row.context,
        context_id=row.context_id,
        version_id=row.version_id,
        answer=row.answer,
        correct=row.correct,
        created_at=row.created.timestamp(),
        idempotency_key=row.idempotency_key,
        replayed=replayed,
    )


def upsert_block_question(course_key: Any, usage_key: Any, local_id: str, content: Mapping[str, Any]) -> int:
    """Store a question written inside a block; return its current version id.

    The same ``(usage_key, local_id)`` keeps one question: unchanged content returns the same
    version, changed content adds a version. ``content`` is ``Question.as_dict()``-shaped and may
    carry ``tags`` (``trade``/``knowledge_point``/``difficulty``).

    Raises:
        InvalidQuestion: naming every problem with the content.
    """
    question = question_from_dict(content)
    raw_tags = content.get("tags") or {}
    try:
        tags = Tags(
            str(raw_tags.get("trade", "")),
            str(raw_tags.get("knowledge_point", "")),
            int(raw_tags.get("difficulty", 2)),
        )
    except (AttributeError, TypeError, ValueError) as exc:
        raise InvalidQuestion(["tags must be an object with a numeric difficulty"]) from exc
    usage = usage_key if isinstance(usage_key, UsageKey) else UsageKey.from_string(str(usage_key))
    local = str(local_id)[:64]
    item = store.NewQuestion(question, tags)
    with transaction.atomic():
        row = QuestionRow.objects.filter(source=QuestionRow.BLOCK, usage_key=usage, local_id=local).first()
        if row is None:
            try:
                with transaction.atomic():
                    bank = store.bank_for(course_key)
                    return store.create_question(
                        bank, item, source=QuestionRow.BLOCK, usage_key=usage, local_id=local
                    ).pk
            except IntegrityError:  # a concurrent first save won; edit its question instead
                row = QuestionRow.objects.get(source=QuestionRow.BLOCK, usage_key=usage, local_id=local)
        version, _added = store.edit_question(row, item)
        return version.pk


def latest_version_id(version_id: int) -> int:
    """The current version of the question ``version_id`` belongs to (retrying uses the latest text)."""
    version = _version(version_id)
    return int(version.question.current_version_id or version.pk)


@dataclass(frozen=True)
class WrongEntry:
    """A question in a learner's wrong-answer book (错题本)."""

    version_id: int
    missed_at: float
    times_wrong: int


def wrong_book(user_id: int, course_key: Any, *, limit: int = 200) -> list[WrongEntry]:
    """The learner's bank questions in this course whose latest practice or exam answer was wrong.

    A question leaves the book as soon as the learner answers it right. Entries name the
    question's current version (an author's fix applies to the retry), most recent miss first.
    """
    course = store.course_key_of(course_key)
    attempts = Attempt.objects.filter(
        user_id=user_id,
        course_key=course,
        context__in=("practice", "exam"),
        question__source=QuestionRow.BANK,
    )
    latest = attempts.values("question_id").annotate(
        last=Max("id"), wrong=Count("id", filter=Q(correct=False))
    )
    last_ids = {row["last"]: row["wrong"] for row in latest}
    rows = (
        Attempt.objects.filter(id__in=last_ids, correct=False)
        .select_related("question")
        .order_by("-created", "-id")[:limit]
    )
    return [
        WrongEntry(
            version_id=int(row.question.current_version_id or row.version_id),
            missed_at=row.created.timestamp(),
            times_wrong=last_ids[row.pk],
        )
        for row in rows
    ]


def tag_values(course_key: Any) -> dict[str, list[Any]]:
    """Trades, knowledge points and difficulties present in the banks a course draws from (for editors)."""
    rows = QuestionRow.objects.filter(
        bank__in=_bank_ids(course_key), source=QuestionRow.BANK, active=True
    ).values_list("trade", "knowledge_point", "difficulty")
    trades, points, levels = set(), set(), set()
    for trade, point, level in rows:
        trades.add(trade)
        points.add(point)
        levels.add(level)
    return {
        "trade": sorted(t for t in trades if t),
        "knowledge_point": sorted(p for p in points if p),
        "difficulty": sorted(levels),
    }


def count_available(course_key: Any, tags: Mapping[str, Any] | None) -> int:
    """How many bank questions a draw with ``tags`` could pick from."""
    return int(_candidates(course_key, TagFilter.from_mapping(tags)).count())


@dataclass(frozen=True)
class RoundResult:
    """One practice or exam round of a learner, from recorded attempts (server-judged answers)."""

    course_key: str
    usage_key: str
    context: str  # "practice" | "exam"
    round_id: str
    answered: int
    correct: int
    finished_at: datetime

    @property
    def percent(self) -> int:
        """Share of correct answers, in whole percent (rounded down)."""
        return (100 * self.correct) // self.answered if self.answered else 0


def round_results(user_id: int, since: datetime, until: datetime) -> list[RoundResult]:
    """The learner's practice and exam rounds whose last answer was recorded in ``[since, until)``.

    For study hours (``xueshi_hours``): an exam's score is the share of its questions recorded
    correct when it was graded on the server (``xueshi_practice`` records every question of a
    submitted exam, unanswered ones as wrong).
    """
    rows = (
        Attempt.objects.filter(user_id=user_id, context__in=("practice", "exam"))
        .values("course_key", "usage_key", "context", "context_id")
        .annotate(answered=Count("id"), right=Count("id", filter=Q(correct=True)), last=Max("created"))
        .filter(last__gte=since, last__lt=until)
        .order_by("last")
    )
    return [
        RoundResult(
            course_key=str(r["course_key"]),
            usage_key=str(r["usage_key"]),
            context=r["context"],
            round_id=r["context_id"],
            answered=int(r["answered"]),
            correct=int(r["right"]),
            finished_at=r["last"],
        )
        for r in rows
    ]


def attempt_fingerprint(user_id: int) -> tuple[int, int]:
    """(how many answers, the newest answer's id) of the learner.

    Attempts are append-only, so equal fingerprints mean the same practice and exam results
    (``xueshi_hours`` reuses an hour account on it).
    """
    row = Attempt.objects.filter(user_id=user_id).aggregate(n=Count("id"), last=Max("id"))
    return int(row["n"] or 0), int(row["last"] or 0)


# -- read functions for the statistics roll-ups (xueshi_stats, ADR 0150) ---------------------------
EXAM = "exam"


def exam_pairs_after(after_id: int, limit: int = 5000) -> tuple[int, set[tuple[int, str]]]:
    """The (learner, course) pairs with exam answers recorded after ``after_id``, and the last id read."""
    rows = list(
        Attempt.objects.filter(id__gt=after_id, context=EXAM)
        .order_by("id")
        .values_list("id", "user_id", "course_key")[:limit]
    )
    if not rows:  # answers of other contexts may lie ahead: move past them too
        last = Attempt.objects.filter(id__gt=after_id).order_by("-id").values_list("id", flat=True).first()
        return (last or after_id), set()
    return rows[-1][0], {(uid, str(course)) for _id, uid, course in rows}


Rounds = dict[tuple[int, str], list[tuple[datetime, int]]]


def exam_rounds(pairs: Iterable[tuple[int, str]] | None = None) -> Rounds:
    """Each exam round of these (learner, course) pairs (all when ``None``): (submitted at, percent).

    A round is the answers sharing one ``context_id``; its percent is the share answered right
    (every question of a round is recorded on submission, unanswered ones as wrong), rounded down.
    """
    rows = Attempt.objects.filter(context=EXAM)
    if pairs is not None:
        wanted = set(pairs)
        if not wanted:
            return {}
        rows = rows.filter(user_id__in={p[0] for p in wanted}, course_key__in={p[1] for p in wanted})
    else:
        wanted = None
    grouped = (
        rows.values_list("user_id", "course_key", "context_id")
        .annotate(total=Count("id"), right=Count("id", filter=Q(correct=True)), at=Max("created"))
        .order_by()
    )
    result: Rounds = {}
    for uid, course, _round, total, right, at in grouped:
        key = (uid, str(course))
        if wanted is None or key in wanted:
            result.setdefault(key, []).append((at, (100 * right) // total if total else 0))
    return result


def checkpoint_results(user_id: int, since: datetime, until: datetime) -> list[RoundResult]:
    """The learner's video checkpoints answered in ``[since, until)``: one result per (block, checkpoint).

    For the learning archive (``xueshi_hours``): a checkpoint with a correct answer (``correct`` ≥ 1)
    was passed; ``answered`` counts every try. Card checkpoints record no answer and are absent.
    ``round_id`` is the checkpoint's id in its block.
    """
    rows = (
        Attempt.objects.filter(user_id=user_id, context="checkpoint")
        .values("course_key", "usage_key", "context", "context_id")
        .annotate(answered=Count("id"), right=Count("id", filter=Q(correct=True)), last=Max("created"))
        .filter(last__gte=since, last__lt=until)
        .order_by("last")
    )
    return [
        RoundResult(
            course_key=str(r["course_key"]),
            usage_key=str(r["usage_key"]),
            context=r["context"],
            round_id=r["context_id"],
            answered=int(r["answered"]),
            correct=int(r["right"]),
            finished_at=r["last"],
        )
        for r in rows
    ]
