"""Pure rules of quiz checkpoints: what an author may save, and each learner's schedule.

An author places *fixed* checkpoints (a time, a kind, a policy) and may ask for N *random* ones.
Random times are drawn by the server per learner from a seed of (learner, block, schedule
version), so they are stable for that learner across reloads and devices and differ between
learners; the browser only ever learns the times, never what is asked or answered.

No XBlock, Django or bank imports here: the block's handlers feed these functions and the Studio
editor's messages come through the caller's ``gettext``.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

Translate = Callable[[str], str]

QUESTION, BANK, CARD = "question", "bank", "card"
KINDS: tuple[str, ...] = (QUESTION, BANK, CARD)
RETRY, REWIND, CONTINUE = "retry", "rewind", "continue"
POLICIES: tuple[str, ...] = (RETRY, REWIND, CONTINUE)
QUESTION_TYPES: tuple[str, ...] = ("single", "multiple", "truefalse", "blank")
OPTION_KEYS = ("A", "B", "C", "D", "E", "F")
MAX_FIXED = 30
MAX_RANDOM = 20
MIN_GAP = 3.0  # seconds between two checkpoints
EDGE = 1.0  # no checkpoint in the first or last second
MAX_STEM, MAX_OPTION, MAX_EXPLANATION, MAX_CARD_TEXT, MAX_TITLE, MAX_TAG = 2000, 500, 4000, 4000, 200, 64
MAX_BLANKS, MAX_SPELLINGS = 10, 10
DEFAULT_ATTEMPTS, MAX_ATTEMPTS = 3, 10  # answers at one question under "retry" (ADR 0413)
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")
TAG_NAMES = ("trade", "knowledge_point", "difficulty")


@dataclass(frozen=True)
class Slot:
    """One checkpoint in one learner's schedule (``config`` is the author's entry; server-side only)."""

    id: str
    at: float
    kind: str
    policy: str
    rewind_to: float | None
    source: str  # "fixed" or "random"
    config: Mapping[str, Any] = field(default_factory=dict, compare=False)


def clock(seconds: float) -> str:
    """``m:ss`` for messages."""
    total = max(0, int(seconds))
    return f"{total // 60}:{total % 60:02d}"


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _text(value: Any) -> str:
    return str(value if value is not None else "").replace("\r\n", "\n").strip()


def _is_image_url(url: str) -> bool:
    if len(url) > 2048 or any(ch.isspace() for ch in url):
        return False
    parsed = urlparse(url)
    if parsed.scheme in ("http", "https"):
        ok = bool(parsed.netloc)
    else:
        ok = not parsed.scheme and not parsed.netloc and url.startswith("/") and not url.startswith("//")
    return ok and parsed.path.lower().endswith(IMAGE_EXTENSIONS)


def clean_tags(raw: Any, _: Translate) -> tuple[dict[str, Any], str | None]:
    """Bank tags: trade and knowledge point (short texts) and difficulty (1, 2 or 3, optional)."""
    if raw in (None, ""):
        raw = {}
    if not isinstance(raw, Mapping) or set(raw) - set(TAG_NAMES):
        return {}, _("Tags must give a trade, a knowledge point and/or a difficulty.")
    tags: dict[str, Any] = {}
    for name in ("trade", "knowledge_point"):
        value = _text(raw.get(name))
        if len(value) > MAX_TAG:
            return {}, _("A tag is longer than 64 characters.")
        if value:
            tags[name] = value
    difficulty = raw.get("difficulty")
    if difficulty not in (None, ""):
        number = _number(difficulty)
        if number not in (1.0, 2.0, 3.0):
            return {}, _("Difficulty must be 1 (easy), 2 (medium) or 3 (hard).")
        tags["difficulty"] = int(number or 0)
    return tags, None


def _clean_choices(raw: Mapping[str, Any], qtype: str, _: Translate) -> tuple[dict[str, Any], str | None]:
    options_raw = raw.get("options") or []
    if not isinstance(options_raw, list):
        return {}, _("Give the options as a list.")
    texts = [_text(o.get("text") if isinstance(o, Mapping) else o) for o in options_raw]
    texts = [t for t in texts if t]
    if not 2 <= len(texts) <= len(OPTION_KEYS):
        return {}, _("A choice question needs 2 to 6 options.")
    if len(set(texts)) != len(texts) or any(len(t) > MAX_OPTION for t in texts):
        return {}, _("Options must be different from each other and at most 500 characters.")
    options = [{"key": k, "text": t} for k, t in zip(OPTION_KEYS, texts, strict=False)]
    answer_raw = raw.get("answer") or []
    items = list(answer_raw) if isinstance(answer_raw, list) else list(str(answer_raw).replace(",", ""))
    answer = sorted({str(a).strip().upper() for a in items if str(a).strip()})
    keys = [o["key"] for o in options]
    if not answer or any(a not in keys for a in answer):
        return {}, _("Mark the correct option(s) by their letters, e.g. A or AC.")
    if qtype == "single" and len(answer) != 1:
        return {}, _("A single-choice question has exactly one correct option.")
    if qtype == "multiple" and len(answer) < 2:
        return {}, _("A multiple-choice question has at least two correct options.")
    return {"options": options, "answer": answer}, None


def _clean_blanks(raw: Mapping[str, Any], _: Translate) -> tuple[dict[str, Any], str | None]:
    blanks_raw = raw.get("blanks") or []
    if not isinstance(blanks_raw, list):
        return {}, _("Give the accepted answers of each blank.")
    blanks = []
    for blank in blanks_raw:
        spellings = blank if isinstance(blank, list) else str(blank).split("|")
        cleaned = [_text(s) for s in spellings if _text(s)]
        if cleaned:
            blanks.append(cleaned[:MAX_SPELLINGS])
    if not 1 <= len(blanks) <= MAX_BLANKS or any(len(s) > MAX_OPTION for b in blanks for s in b):
        return {}, _("A fill-in-the-blank question needs 1 to 10 blanks, each with an accepted answer.")
    return {"blanks": blanks}, None


def clean_question(raw: Any, _: Translate) -> tuple[dict[str, Any], str | None]:
    """An in-block question in the bank's content shape (type, stem, options, answer, blanks, explanation)."""
    if not isinstance(raw, Mapping):
        return {}, _("Write the question.")
    qtype = raw.get("type")
    if qtype not in QUESTION_TYPES:
        return {}, _("Choose the question type.")
    stem = _text(raw.get("stem"))
    if not stem or len(stem) > MAX_STEM:
        return {}, _("The question needs a text of 1 to 2000 characters.")
    explanation = _text(raw.get("explanation"))
    if len(explanation) > MAX_EXPLANATION:
        return {}, _("The explanation is longer than 4000 characters.")
    question: dict[str, Any] = {"type": qtype, "stem": stem, "explanation": explanation}
    if qtype in ("single", "multiple"):
        extra, error = _clean_choices(raw, qtype, _)
    elif qtype == "truefalse":
        answer = raw.get("answer")
        answer = answer[0] if isinstance(answer, list) and len(answer) == 1 else answer
        value = {True: "true", False: "false"}.get(answer, str(answer).strip().lower())  # type: ignore[arg-type]
        extra, error = (
            ({"answer": [value]}, None)
            if value in ("true", "false")
            else ({}, _("Say whether the statement is true or false."))
        )
    else:
        extra, error = _clean_blanks(raw, _)
    if error:
        return {}, error
    return {**question, **extra}, None


def _clean_card(raw: Any, _: Translate) -> tuple[dict[str, Any], str | None]:
    if not isinstance(raw, Mapping):
        return {}, _("Write the knowledge-point card.")
    title, text, image = _text(raw.get("title")), _text(raw.get("text")), _text(raw.get("image_url"))
    if not text or len(text) > MAX_CARD_TEXT or len(title) > MAX_TITLE:
        return {}, _("A card needs a text of 1 to 4000 characters (title at most 200).")
    if image and not _is_image_url(image):
        return {}, _(
            "The card's image must be an http(s) or /-relative URL of a PNG, JPEG, GIF, WebP or SVG file."
        )
    return {"title": title, "text": text, "image_url": image}, None


def _clean_policy(
    raw: Mapping[str, Any], at: float | None, _: Translate
) -> tuple[dict[str, Any], str | None]:
    policy = raw.get("policy") or RETRY
    if policy not in POLICIES:
        return {}, _("Choose what happens after a wrong answer.")
    attempts_raw = raw.get("max_attempts")
    attempts = DEFAULT_ATTEMPTS if attempts_raw in (None, "") else _number(attempts_raw)
    if attempts is None or attempts != int(attempts) or not 1 <= attempts <= MAX_ATTEMPTS:
        return {}, _("The number of attempts must be a whole number from 1 to 10.")
    clean = {"policy": policy, "rewind_to": None, "max_attempts": int(attempts)}
    rewind_raw = raw.get("rewind_to")
    if policy != REWIND or rewind_raw in (None, ""):
        return clean, None
    rewind = _number(rewind_raw)
    if rewind is None or rewind < 0 or (at is not None and rewind >= at):
        return {}, _("Rewind to a time before the checkpoint (empty = the previous checkpoint).")
    return {**clean, "rewind_to": round(rewind, 3)}, None


def clean_checkpoint(
    raw: Any, duration: float, _: Translate, new_id: Callable[[], str]
) -> tuple[dict[str, Any], str | None]:
    """One fixed checkpoint as the editor sent it; returns ``(clean entry, error)``."""
    if not isinstance(raw, Mapping):
        return {}, _("A checkpoint must be an object.")
    at = _number(raw.get("at"))
    if at is None or not EDGE <= at <= duration - EDGE:
        return {}, _("The time must be inside the video (from 1 s to 1 s before the end).")
    kind = raw.get("kind")
    if kind not in KINDS:
        return {}, _("Choose the kind of checkpoint.")
    entry_id = raw.get("id")
    entry: dict[str, Any] = {
        "id": entry_id if isinstance(entry_id, str) and ID_RE.match(entry_id) else new_id(),
        "at": round(at, 3),
        "kind": kind,
    }
    if kind == CARD:
        card, error = _clean_card(raw.get("card"), _)
        return (
            ({}, error) if error else ({**entry, "policy": CONTINUE, "rewind_to": None, "card": card}, None)
        )
    policy, error = _clean_policy(raw, at, _)
    if error:
        return {}, error
    tags, error = clean_tags(raw.get("tags"), _)
    if error:
        return {}, error
    entry.update(policy)
    entry["tags"] = tags
    if kind == QUESTION:
        question, error = clean_question(raw.get("question"), _)
        if error:
            return {}, error
        entry["question"] = question
        draw = raw.get("draw_from_bank", False)
        if not isinstance(draw, bool):
            return {}, _("Say whether learners may get a question drawn from the bank instead.")
        entry["draw_from_bank"] = draw
    return entry, None


def validate_checkpoints(
    raw: Any, duration: float, _: Translate, new_id: Callable[[], str]
) -> tuple[list[dict[str, Any]], str | None]:
    """All fixed checkpoints; the error names the first bad one by number and time."""
    if duration <= 0:
        return [], _("Set the video's duration before adding checkpoints.")
    if not isinstance(raw, list):
        return [], _("Checkpoints must be a list.")
    if len(raw) > MAX_FIXED:
        return [], _("At most 30 fixed checkpoints.")
    clean = []
    for number, item in enumerate(raw, start=1):
        entry, error = clean_checkpoint(item, duration, _, new_id)
        if error:
            at = _number(item.get("at")) if isinstance(item, Mapping) else None
            where = _("Checkpoint {number} ({time}): ").format(number=number, time=clock(at or 0))
            return [], where + error
        clean.append(entry)
    clean.sort(key=lambda e: e["at"])
    for before, after in itertools.pairwise(clean):
        if after["at"] - before["at"] < MIN_GAP:
            return [], _("Checkpoints at {first} and {second} are closer than 3 seconds.").format(
                first=clock(before["at"]), second=clock(after["at"])
            )
    if len({e["id"] for e in clean}) != len(clean):
        return [], _("Two checkpoints have the same id.")
    return clean, None


def validate_random(raw: Any, _: Translate) -> tuple[dict[str, Any], str | None]:
    """Random checkpoints: how many, drawn from the bank by which tags, and the policy."""
    if raw in (None, ""):
        raw = {}
    if not isinstance(raw, Mapping):
        return {}, _("Random checkpoints must be an object.")
    count = _number(raw.get("count", 0) or 0)
    if count is None or count != int(count) or not 0 <= count <= MAX_RANDOM:
        return {}, _("The number of random checkpoints must be a whole number from 0 to 20.")
    tags, error = clean_tags(raw.get("tags"), _)
    if error:
        return {}, error
    policy, error = _clean_policy(raw, None, _)
    if error:
        return {}, error
    return {"count": int(count), "tags": tags, **policy}, None


# -- schedules ------------------------------------------------------------------------------------
def _digest(*parts: Any) -> bytes:
    return hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).digest()


def random_times(count: int, duration: float, avoid: Sequence[float], seed: bytes) -> list[float]:
    """``count`` times spread over the video: one uniform draw in each of ``count`` equal strata.

    Strata keep random checkpoints apart (a learner is never asked twice in a row); the first
    and last 5 % (at least 5 s) are left free; a draw within ``MIN_GAP`` of an ``avoid`` time
    (a fixed checkpoint) is dropped rather than moved, so fixed ones keep their place.
    """
    if count <= 0 or duration <= 2 * EDGE:
        return []
    margin = min(max(5.0, duration * 0.05), duration / 4)
    low, high = margin, duration - margin
    rng = random.Random(int.from_bytes(seed[:8], "big"))  # noqa: S311  (placement, not secrecy)
    width = (high - low) / count
    times = []
    for i in range(count):
        t = round(low + width * i + rng.uniform(0.15, 0.85) * width, 3)
        if all(abs(t - a) >= MIN_GAP for a in avoid):
            times.append(t)
    return times


def learner_schedule(
    fixed: Sequence[Mapping[str, Any]],
    random_config: Mapping[str, Any],
    duration: float,
    *,
    user_id: int,
    usage_key: str,
    version: int,
) -> list[Slot]:
    """The learner's checkpoints in time order: the author's fixed ones plus their own random draws."""
    slots = [
        Slot(e["id"], float(e["at"]), e["kind"], e.get("policy", RETRY), e.get("rewind_to"), "fixed", e)
        for e in fixed
        if EDGE <= float(e["at"]) <= duration - EDGE
    ]
    count = int(random_config.get("count", 0) or 0)
    seed = _digest("xueshi-checkpoints", user_id, usage_key, version)
    for i, at in enumerate(random_times(count, duration, [s.at for s in slots], seed)):
        slot_id = "r-" + _digest(seed.hex(), i).hex()[:12]
        config = {
            "kind": BANK,
            "tags": random_config.get("tags", {}),
            "max_attempts": random_config.get("max_attempts", DEFAULT_ATTEMPTS),
        }
        policy = random_config.get("policy", RETRY)
        slots.append(Slot(slot_id, at, BANK, policy, random_config.get("rewind_to"), "random", config))
    return sorted(slots, key=lambda s: s.at)


def rewind_target(schedule: Sequence[Slot], slot: Slot) -> float:
    """Where a wrong answer sends the learner: the author's time, else the previous checkpoint, else 0."""
    if slot.rewind_to is not None and 0 <= slot.rewind_to < slot.at:
        return float(slot.rewind_to)
    earlier = [s.at for s in schedule if s.at < slot.at]
    return max(earlier) if earlier else 0.0


def draws_from_bank(slot: Slot) -> bool:
    """A bank checkpoint, or a written question whose author lets learners get bank questions instead."""
    return slot.kind == BANK or (slot.kind == QUESTION and bool(slot.config.get("draw_from_bank")))


def question_seed(user_id: int, usage_key: str, slot_id: str) -> str:
    """Seed of one learner's question at one checkpoint (which bank question, option order)."""
    return _digest("xueshi-checkpoint-question", user_id, usage_key, slot_id).hex()[:16]
