"""Still-there challenges that need a person: a short code drawn in a noisy image, not sent as text.

The heartbeat reply carries only an opaque challenge id and the URL of an image; the code in the
image is an HMAC of the id under the ledger's signing keys, so the image view and the answer
check need no storage and a script that only echoes the id earns nothing (ADR 0050). The id
starts with its issue time (milliseconds, hex), so the time limit is checked from the id the
server itself stored as pending. Wrong answers are counted per challenge in Redis; a late or
exhausted challenge is replaced by a new one (a person can go on, a guesser gets a few tries a
minute), and after ``challenge_rotations()`` replacements the session stays stopped. The learner's
pending challenge (``budget.py``: a new session inherits it) is replaced with the session's.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

from . import conf, hotstate, risk
from .exceptions import StudyTimeError
from .tokens import TokenClaims

CODE_DIGITS = 4
_TIME_HEX = 11  # milliseconds since the epoch fit 11 hex digits until the year 5138
ID_PATTERN = re.compile(rf"^[0-9a-f]{{{_TIME_HEX}}}[0-9a-f]{{12}}$")
CODE_PATTERN = re.compile(r"^\s*([0-9]{1,8})\s*$")

ROTATE_LUA = """
if ARGV[1] == '' or redis.call('HGET', KEYS[1], 'challenge') ~= ARGV[1] then return 0 end
if tonumber(redis.call('HGET', KEYS[1], 'rot') or '0') >= tonumber(ARGV[3]) then return -1 end
redis.call('HSET', KEYS[1], 'challenge', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'rot', 1)
redis.call('HINCRBY', KEYS[1], 'ver', 1)
if redis.call('HGET', KEYS[3], 'ch') == ARGV[1] then
  redis.call('HSET', KEYS[3], 'ch', ARGV[2])
  redis.call('HINCRBY', KEYS[3], 'ver', 1)
end
redis.call('XADD', KEYS[2], '*', 'e', ARGV[4])
return 1
"""


class ChallengeRefused(StudyTimeError):
    """A wrong, late or exhausted answer: a 400 whose body may carry the replacement challenge."""

    status = 400

    def __init__(self, code: str, detail: str, challenge: dict[str, Any] | None = None) -> None:
        super().__init__(detail, code)
        self.challenge = challenge


def new_id(now: float) -> str:
    """A fresh challenge id: issue time (ms, hex) then 48 random bits; 23 characters."""
    return f"{int(now * 1000):0{_TIME_HEX}x}{secrets.token_hex(6)}"


def issued_at(challenge_id: str) -> float:
    """Server time the challenge was issued, read from its id (0 for an id of another shape)."""
    if not ID_PATTERN.match(challenge_id):
        return 0.0
    return int(challenge_id[:_TIME_HEX], 16) / 1000


def code_under(key: bytes, challenge_id: str) -> str:
    """The code of ``challenge_id`` under one signing key (pure: the benchmark's learners read it too)."""
    digest = hmac.new(key, b"xst-challenge|" + challenge_id.encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10**CODE_DIGITS:0{CODE_DIGITS}d}"


def code_for(challenge_id: str) -> str:
    """The code a person reads in the challenge's image (newest signing key)."""
    return code_under(conf.token_keys()[0], challenge_id)


def code_matches(challenge_id: str, answer: str) -> bool:
    """Constant-time check under every signing key, so a key rotation mid-challenge does no harm."""
    given = answer.strip().zfill(CODE_DIGITS)
    return any(hmac.compare_digest(code_under(key, challenge_id), given) for key in conf.token_keys())


def image_url(challenge_id: str) -> str:
    """Where the player fetches the challenge's image."""
    from .sessions import API_ROOT

    return f"{API_ROOT}challenges/{challenge_id}/image"


def describe(challenge_id: str) -> dict[str, Any]:
    """The challenge as the heartbeat reply carries it: id, prompt, image URL and deadline; never the code."""
    from .messages import challenge_prompt

    return {
        "id": challenge_id,
        "prompt": challenge_prompt(),
        "image_url": image_url(challenge_id),
        "expires_at": issued_at(challenge_id) + conf.challenge_seconds(),
        "digits": CODE_DIGITS,
    }


def parse_answer(challenge_id: object, code: object) -> tuple[str, str]:
    """Validate the body's ``challenge_id`` and ``code`` (digits, as text or a number)."""
    if not isinstance(challenge_id, str) or not challenge_id or len(challenge_id) > 32:
        raise ChallengeRefused("invalid_challenge", "challenge_id must be a string")
    if isinstance(code, int) and not isinstance(code, bool) and 0 <= code < 10**8:
        code = str(code)
    match = CODE_PATTERN.match(code) if isinstance(code, str) else None
    if match is None:
        raise ChallengeRefused("code_required", "code must be the digits shown in the picture")
    return challenge_id, match.group(1)


@dataclass(frozen=True)
class Pending:
    """The session a challenge answer is about."""

    claims: TokenClaims
    session: dict[str, str]

    @property
    def keys(self) -> hotstate.Keys:
        """Redis keys of the learner."""
        return hotstate.Keys(self.claims.user_id)


def _attempts(pending: Pending, challenge_id: str) -> int:
    key = f"{pending.keys.tag}:ca:{challenge_id}"
    r = hotstate.client()
    pipe = r.pipeline(transaction=False)
    pipe.incr(key)
    pipe.expire(key, max(60, 4 * conf.challenge_seconds()))
    return int(pipe.execute()[0])


def _rotate(pending: Pending, old: str, why: str, now: float) -> dict[str, Any] | None:
    """Replace a late or exhausted challenge; ``None`` once the session has used its replacements."""
    new = new_id(now)
    h, sid = pending.session, pending.claims.session_id
    event = {
        "k": "rechallenge",
        "old": old,
        "new": new,
        "why": why,
        "sid": sid,
        "uid": pending.claims.user_id,
    }
    event.update({"course": h["course"], "usage": h["usage"], "at": now})
    done = hotstate.script(ROTATE_LUA)(
        keys=[pending.keys.session(sid), pending.keys.stream, pending.keys.learner],
        args=[old, new, conf.challenge_rotations(), json.dumps(event, separators=(",", ":"))],
    )
    return describe(new) if int(done) == 1 else None


def _refuse(pending: Pending, challenge_id: str, why: str, now: float) -> ChallengeRefused:
    risk.record(pending.claims.user_id, pending.claims.session_id, f"challenge_{why}", now)
    replacement = _rotate(pending, challenge_id, why, now)
    if replacement is None:
        return ChallengeRefused(
            "challenge_exhausted", "too many failed challenges: reopen the video to continue"
        )
    detail = "the answer came too late" if why == "late" else "too many wrong answers"
    return ChallengeRefused(f"challenge_{why}", f"{detail}; a new code is shown", replacement)


def check(pending: Pending, challenge_id: str, code: str, now: float) -> None:
    """Accept only the pending challenge's code, in time, within the allowed attempts; else raise."""
    if pending.session.get("challenge") != challenge_id:
        raise ChallengeRefused("challenge_unknown", "no such challenge is pending for this session")
    if now > issued_at(challenge_id) + conf.challenge_seconds():
        raise _refuse(pending, challenge_id, "late", now)
    attempts = _attempts(pending, challenge_id)
    if attempts > conf.challenge_attempts():
        raise _refuse(pending, challenge_id, "failed", now)
    if not code_matches(challenge_id, code):
        if attempts >= conf.challenge_attempts():
            raise _refuse(pending, challenge_id, "failed", now)
        left = conf.challenge_attempts() - attempts
        raise ChallengeRefused("challenge_wrong", f"wrong code; {left} attempt(s) left")


def write_replacements(events: list[dict[str, Any]]) -> None:
    """Flusher side: a late or failed challenge is closed as such, and the code that replaced it is issued."""
    from opaque_keys.edx.keys import UsageKey

    from .models import IdleChallenge
    from .sessions import to_datetime

    replaced = [e for e in events if e["k"] == "rechallenge"]
    if not replaced:
        return
    for e in replaced:
        status = IdleChallenge.LATE if e["why"] == "late" else IdleChallenge.FAILED
        IdleChallenge.objects.filter(challenge_id=e["old"], status=IdleChallenge.ISSUED).update(status=status)
    new_ids = [e["new"] for e in replaced]
    known = set(IdleChallenge.objects.filter(challenge_id__in=new_ids).values_list("challenge_id", flat=True))
    rows = []
    for e in replaced:
        if e["new"] in known:
            continue
        usage = UsageKey.from_string(e["usage"])
        rows.append(
            IdleChallenge(
                challenge_id=e["new"],
                session_id=e["sid"],
                user_id=e["uid"],
                course_key=usage.course_key,
                usage_key=usage,
                issued_at=to_datetime(e["at"]),
            )
        )
    IdleChallenge.objects.bulk_create(rows)
