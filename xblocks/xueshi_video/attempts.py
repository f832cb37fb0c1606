"""Pure rules of answering a checkpoint: how many tries, what a wrong answer leads to, what is shown.

A script that can guess for ever, or reuse what one learner was told, earns credit without
watching (issue 15, ADR 0413). So:

- a learner gets ``max_attempts`` answers at one drawn question under the "retry" policy; the
  last wrong one rewinds to the segment start, and the next *round* serves a fresh question (a
  new bank draw, or the fixed question with its options in a new order);
- "rewind" is a round of one answer; "continue" is one answer that ends the checkpoint, right or
  *failed* (the video goes on, the result stays wrong);
- options are shown with letters by their shown position (``A`` is the first one on this
  learner's screen), so a letter that was right for one learner says nothing to another's
  script; the block maps them back before judging.

No XBlock, Django or bank imports here (the block's handlers call these functions).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .checkpoints import CONTINUE, DEFAULT_ATTEMPTS, MAX_ATTEMPTS, OPTION_KEYS, REWIND

PASSED, FAILED = "passed", "failed"


def attempts_limit(policy: str, max_attempts: Any) -> int:
    """Answers allowed at one question before the learner is rewound (continue and rewind: one)."""
    if policy in (REWIND, CONTINUE):
        return 1
    try:
        limit = int(max_attempts)
    except (TypeError, ValueError):
        return DEFAULT_ATTEMPTS
    return min(max(limit, 1), MAX_ATTEMPTS)


@dataclass(frozen=True)
class Decision:
    """What one judged answer leads to."""

    outcome: str  # "passed", "retry", "rewind" or "continue"
    over: bool  # the checkpoint is finished (its barrier is released)
    result: str | None  # "passed", "failed" or None while the learner may still answer
    new_round: bool  # the next answer gets a fresh question
    attempts_left: int  # answers left at the current question


def decide(policy: str, correct: bool, wrong_in_round: int, limit: int) -> Decision:
    """The outcome of an answer; ``wrong_in_round`` counts this one when it is wrong."""
    if correct:
        return Decision(PASSED, True, PASSED, False, 0)
    if policy == CONTINUE:
        return Decision(CONTINUE, True, FAILED, False, 0)
    left = max(0, limit - wrong_in_round)
    if policy != REWIND and left > 0:
        return Decision("retry", False, None, False, left)
    return Decision(REWIND, False, None, True, 0)


def round_seed(base: str, round_number: int) -> str:
    """The seed of one round's question (round 0 keeps the seed a learner always had)."""
    if round_number <= 0:
        return base
    return hashlib.sha256(f"{base}|round|{round_number}".encode()).hexdigest()[:16]


def relabel(options: Sequence[Mapping[str, Any]]) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Shown options lettered by position, and the map from shown letter to the stored key."""
    shown, mapping = [], {}
    for letter, option in zip(OPTION_KEYS, options, strict=False):
        shown.append({"key": letter, "text": str(option["text"])})
        mapping[letter] = str(option["key"])
    return shown, mapping


def stored_answer(answer: Any, mapping: Mapping[str, str]) -> Any:
    """The learner's shown letters as stored keys; unknown letters stay unknown (the bank refuses them)."""

    def one(key: Any) -> Any:
        return mapping.get(key.strip().upper(), "?") if isinstance(key, str) else key

    if isinstance(answer, str):
        return one(answer)
    if isinstance(answer, list | tuple):
        return [one(k) for k in answer]
    return answer


def attempt_key_prefix(user_id: int, usage_key: str, slot_id: str, round_number: int) -> str:
    """The bank idempotency-key prefix of one round: ``<prefix><n>`` is its n-th answer.

    Numbering answers in the key makes the database's unique index enforce the limit: two
    answers sent at once both claim the same number and only one is recorded.
    """
    block = hashlib.sha256(usage_key.encode()).hexdigest()[:12]
    return f"cp:{user_id}:{block}:{slot_id}:r{round_number}:"
