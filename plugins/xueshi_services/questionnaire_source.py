"""The questionnaire builder's text format, parsed without Django (ADR 0311).

Operators and supervisors type questions as plain text, on any device, with no form per option::

    你对本次培训的总体评价？ [单选] *
    - 满意
    - 一般
    - 不满意
    哪些内容对你最有用？ [多选]
    - 政策解读
    - 案例分析
    课程内容的实用性 [1-5] *
    意见和建议 [文本]

A question line ends with its kind in brackets (``单选``/``single``, ``多选``/``multiple``,
``1-5``, ``1-10``, ``文本``/``text``) and an optional ``*`` for required; its options follow as
lines starting with ``-``. Errors name the line, so the builder can fix the text in place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SINGLE, MULTIPLE, SCALE5, SCALE10, TEXT = "single", "multiple", "scale5", "scale10", "text"
MARKERS = {
    "单选": SINGLE,
    "single": SINGLE,
    "多选": MULTIPLE,
    "multiple": MULTIPLE,
    "1-5": SCALE5,
    "1-10": SCALE10,
    "文本": TEXT,
    "text": TEXT,
}
CHOICE_KINDS = (SINGLE, MULTIPLE)
MAX_QUESTIONS, MAX_OPTIONS, MAX_QUESTION, MAX_OPTION = 50, 20, 500, 200
_QUESTION = re.compile(r"^(?P<text>.+?)\s*[\[［](?P<kind>[^\]］]+)[\]］]\s*(?P<required>\*?)\s*$")


class SourceError(ValueError):
    """A line of the builder's text that cannot be read; ``line`` counts from 1.

    ``code`` names the mistake (pages translate it), ``message`` says it in English.
    """

    def __init__(self, line: int, code: str, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line, self.code, self.message = line, code, message


@dataclass
class ParsedQuestion:
    """A question read from the text: kind, wording, required flag, option labels (choices only)."""

    kind: str
    text: str
    required: bool
    options: list[str] = field(default_factory=list)
    line: int = 0


def parse(source: str) -> list[ParsedQuestion]:
    """Read the builder's text into questions; raise ``SourceError`` at the first bad line."""
    questions: list[ParsedQuestion] = []
    for number, raw in enumerate((source or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith(("-", "－")):
            _add_option(questions, number, line[1:].strip())
            continue
        match = _QUESTION.match(line)
        if not match:
            raise SourceError(
                number, "no_kind", "a question ends with its kind in brackets, e.g. [单选], [1-5], [文本]"
            )
        kind = MARKERS.get(match["kind"].strip().lower())
        if kind is None:
            raise SourceError(number, "unknown_kind", "unknown kind: use 单选, 多选, 1-5, 1-10 or 文本")
        text = match["text"].strip()
        if len(text) > MAX_QUESTION:
            raise SourceError(number, "question_too_long", f"a question is at most {MAX_QUESTION} characters")
        _finish(questions)
        questions.append(ParsedQuestion(kind, text, bool(match["required"]), line=number))
        if len(questions) > MAX_QUESTIONS:
            raise SourceError(
                number, "too_many_questions", f"a questionnaire has at most {MAX_QUESTIONS} questions"
            )
    _finish(questions)
    if not questions:
        raise SourceError(1, "no_questions", "write at least one question")
    return questions


def _add_option(questions: list[ParsedQuestion], number: int, label: str) -> None:
    if not questions or questions[-1].kind not in CHOICE_KINDS:
        raise SourceError(
            number, "orphan_option", "an option (a line starting with -) belongs under a choice question"
        )
    if not label or len(label) > MAX_OPTION:
        raise SourceError(number, "bad_option", f"an option is 1 to {MAX_OPTION} characters")
    options = questions[-1].options
    if label in options:
        raise SourceError(number, "duplicate_option", "the question already has this option")
    if len(options) >= MAX_OPTIONS:
        raise SourceError(number, "too_many_options", f"a question has at most {MAX_OPTIONS} options")
    options.append(label)


def _finish(questions: list[ParsedQuestion]) -> None:
    """The question before a new one (or the end) must have its options."""
    if questions and questions[-1].kind in CHOICE_KINDS and len(questions[-1].options) < 2:
        raise SourceError(
            questions[-1].line,
            "few_options",
            "a choice question needs at least two options (lines starting with -)",
        )
