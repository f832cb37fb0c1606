"""Plain value types of the question bank and the rules that judge an answer (no Django here).

A ``Question`` is what an author wrote: type, stem, options with stable keys, the answer and the
explanation. A ``QuestionView`` is the only shape that may reach a browser before the learner
answers: options shuffled per seed, and never the answer or the explanation. ``judge`` decides
an answer on the server and only then hands back the correct answer and the explanation.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

SINGLE, MULTIPLE, TRUEFALSE, BLANK = "single", "multiple", "truefalse", "blank"
QUESTION_TYPES: tuple[str, ...] = (SINGLE, MULTIPLE, TRUEFALSE, BLANK)
CHOICE_TYPES = (SINGLE, MULTIPLE)
CONTEXTS: tuple[str, ...] = ("checkpoint", "practice", "exam")
TRUE, FALSE = "true", "false"
#: Option texts of a true-or-false question (the content of Chinese question banks is Chinese).
TRUEFALSE_OPTIONS: tuple[tuple[str, str], ...] = ((TRUE, "正确"), (FALSE, "错误"))
OPTION_KEYS = ("A", "B", "C", "D", "E", "F")
DIFFICULTIES: tuple[int, ...] = (1, 2, 3)  # easy, medium, hard
MAX_STEM = 2000
MAX_OPTION = 500
MAX_EXPLANATION = 4000
MAX_BLANKS = 10
TAG_NAMES: tuple[str, ...] = ("trade", "knowledge_point", "difficulty")
#: A blank in a stem: three or more underscores, or empty brackets (（ ） and ( )).
BLANK_MARK = re.compile(r"_{3,}|＿{2,}|（\s*）|\(\s*\)")


class InvalidQuestion(ValueError):
    """Content that cannot be a question; ``errors`` names every problem found."""

    def __init__(self, errors: Sequence[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = tuple(errors)


class InvalidAnswer(ValueError):
    """An answer whose shape does not fit the question (not merely a wrong answer)."""


@dataclass(frozen=True)
class Option:
    """One choice; ``key`` (A..F as authored) never changes when the options are shuffled."""

    key: str
    text: str


@dataclass(frozen=True)
class Question:
    """A question as authored.

    ``answer`` holds option keys for choice types and ``"true"``/``"false"`` for true-or-false;
    ``blanks`` holds, for each blank in order, the accepted spellings.
    """

    type: str
    stem: str
    options: tuple[Option, ...] = ()
    answer: tuple[str, ...] = ()
    blanks: tuple[tuple[str, ...], ...] = ()
    explanation: str = ""

    def __post_init__(self) -> None:
        """Refuse inconsistent content at construction, so no invalid question is ever stored."""
        errors = validation_errors(self)
        if errors:
            raise InvalidQuestion(errors)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready content (what ``question_from_dict`` reads back)."""
        return {
            "type": self.type,
            "stem": self.stem,
            "options": [{"key": o.key, "text": o.text} for o in self.options],
            "answer": list(self.answer),
            "blanks": [list(b) for b in self.blanks],
            "explanation": self.explanation,
        }

    def content_hash(self) -> str:
        """A digest of the content: equal questions hash equal, so unchanged edits make no new version."""
        canonical = json.dumps(self.as_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def correct_answer(self) -> tuple[str, ...]:
        """The answer to show after judging: option keys, true/false, or the first spelling per blank."""
        return tuple(b[0] for b in self.blanks) if self.type == BLANK else self.answer


@dataclass(frozen=True)
class Tags:
    """A question's tags: trade (工种), knowledge point (知识点), difficulty (1 easy, 2 medium, 3 hard)."""

    trade: str = ""
    knowledge_point: str = ""
    difficulty: int = 2


@dataclass(frozen=True)
class QuestionView:
    """What a browser may see before answering: NEVER the answer or the explanation."""

    version_id: int
    type: str
    stem: str
    options: tuple[Option, ...] = ()
    blank_count: int = 0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict for pages and handlers."""
        return {
            "version_id": self.version_id,
            "type": self.type,
            "stem": self.stem,
            "options": [{"key": o.key, "text": o.text} for o in self.options],
            "blank_count": self.blank_count,
        }


@dataclass(frozen=True)
class Judgement:
    """The server's decision on one answer, with what the learner may now see."""

    correct: bool
    correct_answer: tuple[str, ...]
    explanation: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "correct": self.correct,
            "correct_answer": list(self.correct_answer),
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class TagFilter:
    """Which questions a draw may pick: each given tag matches any of its values; empty = anything."""

    trades: tuple[str, ...] = ()
    knowledge_points: tuple[str, ...] = ()
    difficulties: tuple[int, ...] = ()
    types: tuple[str, ...] = ()

    @classmethod
    def from_mapping(cls, tags: Mapping[str, Any] | None) -> TagFilter:
        """Read ``{"trade": "电工" or [...], "knowledge_point": ..., "difficulty": 2 or [...]}``."""
        tags = dict(tags or {})
        unknown = set(tags) - {*TAG_NAMES, "type"}
        if unknown:
            raise ValueError(f"unknown tag names: {sorted(unknown)}")

        def values(name: str) -> tuple[Any, ...]:
            raw = tags.get(name)
            if raw in (None, "", [], ()):
                return ()
            items = [raw] if isinstance(raw, str | int) else list(raw)
            return tuple(str(v).strip() for v in items if str(v).strip())

        try:
            difficulties = tuple(int(v) for v in values("difficulty"))
        except ValueError as exc:
            raise ValueError("difficulty must be 1, 2 or 3") from exc
        return cls(values("trade"), values("knowledge_point"), difficulties, values("type"))

    def as_dict(self) -> dict[str, list[Any]]:
        """JSON-ready dict (the shape ``from_mapping`` reads)."""
        return {
            "trade": list(self.trades),
            "knowledge_point": list(self.knowledge_points),
            "difficulty": list(self.difficulties),
            "type": list(self.types),
        }


@dataclass(frozen=True)
class AttemptRecord:
    """One recorded answer: who, where, which question version, what, whether right, when (server)."""

    id: int
    user_id: int
    course_key: str
    usage_key: str
    context: str
    context_id: str
    version_id: int
    answer: Any
    correct: bool
    created_at: float
    idempotency_key: str
    replayed: bool = False


@dataclass(frozen=True)
class QuestionStats:
    """How often a question (all its versions) was answered, and how often right."""

    answered: int
    correct: int
    learners: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def right_rate(self) -> float:
        """Share of answers that were right (0 when never answered)."""
        return self.correct / self.answered if self.answered else 0.0


# -- validation and construction ----------------------------------------------------------------
def clean_text(value: Any) -> str:
    """Strip and normalise line endings; Chinese full-width text is kept as written."""
    return str(value if value is not None else "").replace("\r\n", "\n").replace("\r", "\n").strip()


def validation_errors(q: Question) -> list[str]:
    """Every problem with ``q`` (empty when it is a valid question)."""
    errors: list[str] = []
    if q.type not in QUESTION_TYPES:
        return [f"unknown question type {q.type!r}"]
    if not q.stem:
        errors.append("the stem is empty")
    elif len(q.stem) > MAX_STEM:
        errors.append(f"the stem is longer than {MAX_STEM} characters")
    if len(q.explanation) > MAX_EXPLANATION:
        errors.append(f"the explanation is longer than {MAX_EXPLANATION} characters")
    if q.type in CHOICE_TYPES:
        errors.extend(_choice_errors(q))
    elif q.type == TRUEFALSE:
        if len(q.answer) != 1 or q.answer[0] not in (TRUE, FALSE):
            errors.append("a true-or-false answer must be true or false")
    else:
        errors.extend(_blank_errors(q))
    return errors


def _choice_errors(q: Question) -> list[str]:
    errors = []
    keys = [o.key for o in q.options]
    if len(q.options) < 2:
        errors.append("a choice question needs at least two options")
    if len(set(keys)) != len(keys) or any(k not in OPTION_KEYS for k in keys):
        errors.append("option keys must be distinct letters A to F")
    if any(not o.text for o in q.options):
        errors.append("an option is empty")
    if any(len(o.text) > MAX_OPTION for o in q.options):
        errors.append(f"an option is longer than {MAX_OPTION} characters")
    if not q.answer:
        errors.append("the answer is empty")
    elif any(a not in keys for a in q.answer):
        errors.append("the answer names an option that does not exist")
    elif q.type == SINGLE and len(q.answer) != 1:
        errors.append("a single-choice question has exactly one answer")
    elif q.type == MULTIPLE and len(q.answer) < 2:
        errors.append("a multiple-choice question has at least two answers")
    if len(set(q.answer)) != len(q.answer):
        errors.append("the answer repeats an option")
    return errors


def _blank_errors(q: Question) -> list[str]:
    if not q.blanks or any(not b or any(not s for s in b) for b in q.blanks):
        return ["every blank needs at least one accepted answer"]
    if len(q.blanks) > MAX_BLANKS:
        return [f"at most {MAX_BLANKS} blanks"]
    marks = count_blank_marks(q.stem)
    if marks and marks != len(q.blanks):
        return [f"the stem has {marks} blanks but the answer gives {len(q.blanks)}"]
    return []


def count_blank_marks(stem: str) -> int:
    """How many blanks (``____`` or empty brackets) the stem shows."""
    return len(BLANK_MARK.findall(stem))


def question_from_dict(content: Mapping[str, Any]) -> Question:
    """Build a question from a JSON-like dict (``Question.as_dict`` shape; options may be a mapping).

    Raises:
        InvalidQuestion: naming every problem.
    """
    if not isinstance(content, Mapping):
        raise InvalidQuestion(["question content must be an object"])
    qtype = str(content.get("type", "")).strip()
    raw_options = content.get("options") or []
    try:
        if isinstance(raw_options, Mapping):
            options = tuple(Option(str(k).strip().upper(), clean_text(v)) for k, v in raw_options.items())
        else:
            options = tuple(
                Option(str(o.get("key", "")).strip().upper(), clean_text(o.get("text"))) for o in raw_options
            )
        answer_raw = content.get("answer")
        if answer_raw is None or answer_raw == "":
            answer_raw = []
        answer_items = [answer_raw] if isinstance(answer_raw, str | bool) else list(answer_raw)
        if qtype == TRUEFALSE:
            answer = tuple(_truefalse_key(a) for a in answer_items)
        else:
            answer = (
                tuple(sorted(str(a).strip().upper() for a in answer_items)) if qtype in CHOICE_TYPES else ()
            )
        blanks_raw = content.get("blanks") or []
        blanks = tuple(
            tuple(clean_text(s) for s in ([b] if isinstance(b, str) else b) if clean_text(s))
            for b in blanks_raw
        )
    except (AttributeError, TypeError) as exc:
        raise InvalidQuestion([f"malformed question content: {exc}"]) from exc
    if qtype == TRUEFALSE:
        options = tuple(Option(k, t) for k, t in TRUEFALSE_OPTIONS)
    elif qtype == BLANK:
        options = ()
    return Question(
        type=qtype,
        stem=clean_text(content.get("stem")),
        options=options,
        answer=answer,
        blanks=blanks if qtype == BLANK else (),
        explanation=clean_text(content.get("explanation")),
    )


def _truefalse_key(value: Any) -> str:
    if value is True or str(value).strip().lower() == TRUE:
        return TRUE
    if value is False or str(value).strip().lower() == FALSE:
        return FALSE
    return str(value)


# -- what the browser sees ----------------------------------------------------------------------
def seeded_random(seed: Any, version_id: int) -> random.Random:
    """A generator fixed by (seed, version): the same learner sees the same order on every reload."""
    digest = hashlib.sha256(f"{seed}|{version_id}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311  (ordering, not secrecy)


def make_view(version_id: int, question: Question, seed: Any) -> QuestionView:
    """The browser's view of ``question``: options shuffled by ``seed`` (true/false keeps its order)."""
    options = list(question.options)
    if question.type in CHOICE_TYPES:
        seeded_random(seed, version_id).shuffle(options)
    return QuestionView(
        version_id=version_id,
        type=question.type,
        stem=question.stem,
        options=tuple(options),
        blank_count=len(question.blanks),
    )


# -- judging ------------------------------------------------------------------------------------
def normalize_blank(text: Any) -> str:
    """Compare blanks leniently: NFKC (full-width to half-width), case and inner spaces ignored."""
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    return re.sub(r"\s+", "", folded)


def parse_answer(question: Question, answer: Any) -> tuple[str, ...]:
    """The learner's answer in canonical form (sorted keys, true/false, or one string per blank).

    Raises:
        InvalidAnswer: the answer's shape does not fit the question type.
    """
    if question.type == BLANK:
        items = [answer] if isinstance(answer, str) else answer
        if not isinstance(items, list | tuple) or len(items) != len(question.blanks):
            raise InvalidAnswer(f"give a list of {len(question.blanks)} blank answers")
        if any(not isinstance(s, str | int | float) or len(str(s)) > MAX_OPTION for s in items):
            raise InvalidAnswer("each blank answer must be a short text")
        return tuple(str(s).strip() for s in items)
    if question.type == TRUEFALSE:
        key = _truefalse_key(answer[0] if isinstance(answer, list | tuple) and len(answer) == 1 else answer)
        if key not in (TRUE, FALSE):
            raise InvalidAnswer("answer true or false")
        return (key,)
    items = [answer] if isinstance(answer, str) else answer
    if not isinstance(items, list | tuple) or not all(isinstance(k, str) for k in items):
        raise InvalidAnswer("give the chosen option keys")
    keys = {o.key for o in question.options}
    chosen = tuple(sorted({k.strip().upper() for k in items}))
    if not chosen or any(k not in keys for k in chosen):
        raise InvalidAnswer("choose one or more of the question's options")
    if question.type == SINGLE and len(chosen) != 1:
        raise InvalidAnswer("choose exactly one option")
    return chosen


def judge(question: Question, answer: Any) -> Judgement:
    """Decide ``answer`` against ``question``; an all-or-nothing mark (multiple choice: exactly the set).

    Raises:
        InvalidAnswer: the answer's shape does not fit the question type.
    """
    given = parse_answer(question, answer)
    if question.type == BLANK:
        correct = all(
            normalize_blank(g) in {normalize_blank(s) for s in accepted}
            for g, accepted in zip(given, question.blanks, strict=True)
        )
    else:
        correct = given == tuple(sorted(question.answer))
    return Judgement(
        correct=correct, correct_answer=question.correct_answer(), explanation=question.explanation
    )


def draw_sample(candidate_ids: Sequence[int], count: int, seed: Any) -> list[int]:
    """Pick ``count`` ids (or all, when fewer) in an order fixed by ``seed``."""
    ordered = sorted(candidate_ids)
    digest = hashlib.sha256(f"draw|{seed}".encode()).digest()
    rng = random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311  (a sample, not a secret)
    return rng.sample(ordered, min(max(count, 0), len(ordered)))
