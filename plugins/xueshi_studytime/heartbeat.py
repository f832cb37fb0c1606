"""The heartbeat path: verify the token, read hot state once, judge, commit atomically, reply.

Constant work per beat and no MariaDB: one HMAC check, one Redis read script (``READ``), the pure
``crediting.judge``, one Lua ``COMMIT`` (compare-and-set on the session version: a concurrent beat
of the same session makes one of them re-read and then see a replayed sequence, so nothing is
credited twice). The ledger event rides in the same script; the flusher moves it to MariaDB.
"""

from __future__ import annotations

import hmac
import json
import math
import uuid
from dataclasses import dataclass, replace
from typing import Any

from xueshi_core.caller import Caller
from xueshi_core.jsonbody import BadInput, loads_object

from . import challenges, conf, delivery, holds, hotstate, livecredit, media, onair, risk
from .checkpoints import BARRIER_TTL, barriers_from, barriers_json, state_of
from .crediting import (
    EVENTS,
    LEASE_LOST,
    NOT_DELIVERED,
    REPLAY,
    SESSION_ENDED,
    Beat,
    Outcome,
    coverage_ratio,
    is_finite_number,
    judge,
    measure,
)
from .exceptions import StudyTimeError, TokenInvalid
from .sessions import coverage_from_db, day_of, lease_ms, rules_from
from .tokens import UNBOUND, TokenClaims, verify

POSITION_TOLERANCE = 2.0
MAX_SEQ = 2**31 - 1


class HeartbeatRejected(StudyTimeError):
    """Bad input or credentials: an HTTP 4xx with an error code, and nothing credited."""

    def __init__(self, status: int, code: str, detail: str = "") -> None:
        super().__init__(detail or code, code)
        self.status = status


@dataclass(frozen=True)
class BeatInput:
    """A validated heartbeat body."""

    token: str
    seq: int
    position: float
    playing: bool
    visible: bool
    rate: float
    event: str


@dataclass(frozen=True)
class BeatResult:
    """The server's answer to one heartbeat (the view adds the localized message and prompt)."""

    accepted: bool
    credited: float
    reason: str | None
    frontier: float
    position: float
    coverage: float
    watched_seconds: float
    credited_today_seconds: int
    completed: bool
    lease: str
    stop: bool
    challenge_id: str
    server_time: float
    holds: tuple[dict[str, Any], ...] = ()
    checkpoint: dict[str, Any] | None = None


def parse_json(raw: bytes) -> dict[str, Any]:
    """Decode a small JSON object body through ``xueshi_core.jsonbody`` (the one guarded reader).

    The ledger keeps its published error codes: ``body_too_large`` and ``malformed``, both 400.
    """
    try:
        return loads_object(raw, max_bytes=conf.max_body_bytes())
    except BadInput as exc:
        code = "body_too_large" if exc.code == "body_too_large" else "malformed"
        raise HeartbeatRejected(400, code, exc.reason) from exc


def validate(data: dict[str, Any]) -> BeatInput:
    """Check types and ranges of a heartbeat body (position against duration comes later)."""
    seq, position, rate = data.get("seq"), data.get("position"), data.get("rate", 1.0)
    if not isinstance(seq, int) or isinstance(seq, bool) or not 0 < seq <= MAX_SEQ:
        raise HeartbeatRejected(400, "invalid_seq", "seq must be a positive integer")
    if not is_finite_number(position) or position < 0:
        raise HeartbeatRejected(400, "invalid_position", "position must be a non-negative number")
    if not is_finite_number(rate) or not 0 < rate <= 16:
        raise HeartbeatRejected(400, "invalid_rate", "rate must be a positive number")
    for flag in ("playing", "visible"):
        if not isinstance(data.get(flag, True), bool):
            raise HeartbeatRejected(400, f"invalid_{flag}", f"{flag} must be true or false")
    event = data.get("event", "tick")
    if event not in EVENTS:
        raise HeartbeatRejected(400, "invalid_event", f"event must be one of {', '.join(EVENTS)}")
    return BeatInput(
        str(data.get("token") or ""),
        seq,
        float(position),
        bool(data.get("playing", False)),
        bool(data.get("visible", True)),
        float(rate),
        event,
    )


def claims_for(token: str, caller: Caller | None) -> TokenClaims:
    """Verify a token (no I/O) and that ``caller`` may use it; refuse before any state is touched.

    The token is not a bearer credential (ADR 0030): the request must be authenticated as the
    token's user and, when the token was issued to a browser session, come from that session.
    """
    try:
        claims = verify(token, conf.token_keys(), conf.now())
    except TokenInvalid as exc:
        raise HeartbeatRejected(401, exc.reason_code, str(exc)) from exc
    if caller is None:
        raise HeartbeatRejected(
            401, "sign_in_required", "sign in (session or OAuth token) to send heartbeats"
        )
    if caller.user_id != claims.user_id:
        raise HeartbeatRejected(403, "token_foreign", "token belongs to another user")
    if claims.binding != UNBOUND and not hmac.compare_digest(claims.binding, caller.binding):
        raise HeartbeatRejected(403, "token_foreign", "token was issued to another sign-in session")
    return claims


def check_session(claims: TokenClaims, h: dict[str, str]) -> None:
    """The session hash must exist and belong to the token's user and block."""
    if not h:
        raise HeartbeatRejected(401, "session_unknown", "session expired or unknown; reopen the video")
    if h["uid"] != str(claims.user_id) or h["ukh"] != claims.usage_hash.hex():
        raise HeartbeatRejected(403, "token_foreign", "token does not match this session")


def _event(
    sid: str,
    h: dict[str, str],
    beat: BeatInput,
    out: Outcome,
    now: float,
    end: str,
    prog: dict[str, Any] | None,
    day: str,
) -> dict[str, Any]:
    return {
        "k": "beat",
        "eid": uuid.uuid4().hex,
        "sid": sid,
        "seq": beat.seq,
        "uid": int(h["uid"]),
        "course": h["course"],
        "usage": h["usage"],
        "at": now,
        "day": day,
        "cms": round(out.credited * 1000),
        "from": out.segment[0] if out.segment else None,
        "to": out.segment[1] if out.segment else None,
        "reason": out.reason,
        "pos": beat.position,
        "kept": out.position,
        "rate": beat.rate,
        "vis": beat.visible,
        "play": beat.playing,
        "ev": beat.event,
        "prog": prog,
        "dur": float(h["duration"]),
        "done": out.completed_now,
        "ch": out.state.challenge_id if out.challenge_issued else "",
        "end": end,
        "unans": out.state.challenge_id if end else "",
    }


Attempt = tuple[Outcome, int, dict[str, str], tuple[dict[str, Any], ...], bool]


def _attempt(claims: TokenClaims, beat: BeatInput) -> Attempt | None:
    """One read-judge-commit round (two Redis scripts); ``None`` when another writer got there first."""
    keys, sid, usage_hex = hotstate.Keys(claims.user_id), claims.session_id, claims.usage_hash.hex()
    progress_key, barrier_key = keys.progress(usage_hex), keys.barriers(usage_hex)  # usage_hex == short_hash
    read = [keys.session(sid), keys.lease, progress_key, keys.holds, barrier_key, keys.learner]
    # The seventh read is this session's delivery record (ADR 0053), in the same script.
    h, lease_raw, progress_raw, holds_raw, barriers_raw, learner_raw, delivery_raw = hotstate.read_beat(
        [*read, delivery.key(claims.user_id, sid)]
    )
    check_session(claims, h)
    rules = rules_from(h)
    if beat.position > rules.duration + POSITION_TOLERANCE:
        raise HeartbeatRejected(400, "position_out_of_range", "position is beyond the video's duration")
    cov = hotstate.coverage_from(progress_raw) or coverage_from_db(int(h["uid"]), h["usage"])
    now = conf.now()
    holder, expires = hotstate.parse_lease(lease_raw)
    held = holder == sid or not holder or expires <= now
    in_force = holds.effective(holds.parse(holds_raw), now, h["course"])
    barriers = barriers_from(barriers_raw)
    state = hotstate.state_from(h)
    received = Beat(beat.seq, beat.position, beat.playing, beat.visible, beat.rate, beat.event, now)
    learner = hotstate.learner_from(learner_raw, rules.jitter)
    if rules.live_origin:  # a live lesson: the server's clock inside the on-air intervals (ADR 0351)
        aired = livecredit.timeline(onair.read(usage_hex), rules.live_origin, now)
        out = livecredit.judge_live(
            rules,
            state,
            cov,
            received,
            lease_held=held,
            on_air=aired,
            challenge_id=challenges.new_id(now),
            on_hold=bool(in_force),
            learner=learner,
        )
    else:
        sent, until = _delivered(delivery_raw, rules.duration, state.position, media.served(h))
        out = judge(
            rules,
            state,
            cov,
            received,
            lease_held=held,
            challenge_id=challenges.new_id(now),
            on_hold=bool(in_force),
            barriers=barriers,
            learner=learner,
            media_seen=sent,
            delivered_until=until,
        )
    end = "unload" if beat.event == "unload" and out.reason not in (REPLAY, LEASE_LOST, SESSION_ENDED) else ""
    state = replace(out.state, ended=end) if end else out.state
    if out.reason in (REPLAY, SESSION_ENDED):
        fields: dict[str, str] = {}
    else:
        fields = hotstate.state_fields(state)
    action = "none" if out.reason in (REPLAY, LEASE_LOST, SESSION_ENDED) else ("release" if end else "hold")
    credit_ms = round(out.credited * 1000)
    # Coverage is built once per changed beat: stored in Redis and carried in the ledger event.
    prog = hotstate.coverage_doc(out.coverage, h["usage"], rules.duration) if out.changed else None
    day = day_of(now)
    event = json.dumps(_event(sid, h, beat, out, now, end, prog, day), separators=(",", ":"))
    args = [
        h["ver"],
        lease_raw or "",
        action,
        hotstate.lease_value(sid, now + lease_ms(rules.heartbeat_seconds) / 1000),
        lease_ms(rules.heartbeat_seconds),
        json.dumps(prog, separators=(",", ":")) if prog else "",
        hotstate.PROGRESS_TTL,
        credit_ms,
        hotstate.DAY_TTL,
        event,
        barriers_raw or "",
        barriers_json(out.barriers) if out.barriers != barriers else "=",
        BARRIER_TTL,
        *hotstate.learner_args(learner_raw, out.learner if out.changed else None),
        *[x for kv in fields.items() for x in kv],
    ]
    commit = hotstate.script(hotstate.COMMIT_LUA)
    result = commit(
        keys=[
            keys.session(sid),
            keys.lease,
            progress_key,
            keys.day(h["chex"], day),
            keys.stream,
            barrier_key,
            keys.learner,
        ],
        args=args,
    )
    if int(result[0]) != 1:
        return None
    return out, int(result[1]), h, tuple(hold.as_dict() for hold in in_force), bool(delivery_raw)


def _delivered(raw: dict[str, str], duration: float, position: float, served: bool) -> tuple[bool, float]:
    """``(media seen, delivered until)`` for ``judge``, both vacuous where no proof applies.

    Proof applies where it is on (ADR 0053) and the session's media is served by us: a video on
    another server has no delivery log.
    """
    if not served or not media.proof_required():
        return True, math.inf
    record = delivery.parse(raw)
    return record.any, delivery.reach(record, duration, position)


def _flag(claims: TokenClaims, out: Outcome, field: str, signal: str) -> None:
    """Record ``signal`` once per session (``field`` marks the session hash; only where we sign media)."""
    if out.reason in (REPLAY, SESSION_ENDED):
        return
    r, keys = hotstate.client(), hotstate.Keys(claims.user_id)
    if r.hsetnx(keys.session(claims.session_id), field, "1"):
        risk.record(claims.user_id, claims.session_id, signal, conf.now())


def heartbeat(beat: BeatInput, caller: Caller | None) -> BeatResult:
    """Process one heartbeat of ``caller``; raise ``HeartbeatRejected`` for bad input or credentials."""
    claims = claims_for(beat.token, caller)
    for _try in range(2):  # optimistic concurrency: retry once on a conflicting writer
        done = _attempt(claims, beat)
        if done is not None:
            break
    else:
        raise HeartbeatRejected(409, "conflict", "concurrent heartbeats for this session; send the next one")
    out, total_ms, h, in_force, media_seen = done
    if not media_seen and media.served(h) and not h.get("nm"):
        _flag(claims, out, "nm", risk.NO_MEDIA)
    if out.reason == NOT_DELIVERED and not h.get("nd"):
        _flag(claims, out, "nd", risk.NOT_DELIVERED)
    if conf.flush_inline():
        from .flusher import flush

        flush()
    duration = float(h["duration"])
    lost = out.reason in (LEASE_LOST, SESSION_ENDED)
    return BeatResult(
        accepted=out.accepted,
        credited=round(out.credited, 3),
        reason=out.reason,
        frontier=out.coverage.frontier,
        position=out.position,
        coverage=round(coverage_ratio(out.coverage, duration), 4),
        watched_seconds=round(measure(out.coverage.intervals), 3),
        credited_today_seconds=total_ms // 1000,
        completed=out.coverage.completed,
        lease="lost" if lost else "held",
        stop=lost,
        challenge_id=out.state.challenge_id,
        server_time=conf.now(),
        holds=in_force,
        checkpoint=state_of(out.barriers).as_dict(),
    )


def answer_challenge(token: str, challenge_id: object, caller: Caller | None, code: object = None) -> None:
    """Clear the pending anti-idle challenge when the code read in its image is right and in time.

    The id alone proves nothing (the reply that carried it is readable by any script): an answer
    without a code is refused and recorded as a risk signal; wrong, late and exhausted answers
    keep crediting stopped (``challenges.check``).
    """
    claims = claims_for(token, caller)
    sid, keys = claims.session_id, hotstate.Keys(claims.user_id)
    h = hotstate.client().hgetall(keys.session(sid))
    check_session(claims, h)
    now = conf.now()
    try:
        cid, given = challenges.parse_answer(challenge_id, code)
    except challenges.ChallengeRefused as exc:
        if exc.reason_code == "code_required" and h.get("challenge") == challenge_id:
            risk.record(claims.user_id, sid, risk.CHALLENGE_NO_CODE, now)
        raise
    challenges.check(challenges.Pending(claims, h), cid, given, now)
    event = json.dumps({"k": "answer", "cid": cid, "sid": sid, "uid": claims.user_id, "at": now})
    ok = hotstate.script(hotstate.ANSWER_LUA)(
        keys=[keys.session(sid), keys.stream, keys.learner], args=[cid, event]
    )
    if int(ok) != 1:
        raise HeartbeatRejected(400, "challenge_unknown", "no such challenge is pending for this session")
    if conf.flush_inline():
        from .flusher import flush

        flush()
