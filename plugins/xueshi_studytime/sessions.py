"""Opening playback sessions: the lease decision, the session row, the hot state and the token.

Opening is rare next to heartbeats, so it may read and write MariaDB: it writes the session row
*before* the Redis state, so every ledger event the flusher later sees has its session row.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from opaque_keys.edx.keys import UsageKey

from xueshi_core.api import china_day, day_bounds

from . import conf, hotstate, risk, throttle
from .crediting import Coverage, Rules, SessionState, coverage_ratio, measure
from .data import SessionGrant, VideoPolicy
from .exceptions import LeaseRefused
from .models import DailyStudyTotal, PlaybackSession, VideoProgress
from .tokens import UNBOUND, TokenClaims, sign, usage_hash

LEASE_INTERVALS = 2.5
API_ROOT = "/api/xueshi/studytime/v1/"


def short_hash(text: str) -> str:
    """16 hex digits of SHA-256: compact, stable key part for a usage or course key."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def lease_ms(heartbeat_seconds: float) -> int:
    """A lease lives ~2.5 heartbeat intervals: two lost beats do not drop it, a closed player soon does."""
    return int(LEASE_INTERVALS * heartbeat_seconds * 1000)


def to_datetime(epoch: float) -> datetime:
    """Server epoch seconds as an aware UTC datetime."""
    return datetime.fromtimestamp(epoch, tz=UTC)


# The last China day asked for: (zone, first epoch second, first second of the next day, ISO day).
_last_day: tuple[str, float, float, str] = ("", 0.0, 0.0, "")


def day_of(epoch: float) -> str:
    """China day (ISO) of a server instant.

    Every beat asks, and nearly every beat falls in the day of the previous one: the day's bounds
    (``day_bounds``, DST-proof) are kept, so a beat compares two numbers instead of converting a
    datetime into the zone (ADR 0708).
    """
    global _last_day
    zone = conf.time_zone()
    last_zone, start, end, iso = _last_day
    if last_zone == zone and start <= epoch < end:
        return iso
    day = china_day(to_datetime(epoch), zone)
    first, after = day_bounds(day, zone)
    _last_day = (zone, first.timestamp(), after.timestamp(), day.isoformat())
    return _last_day[3]


def rules_from(h: dict[str, str]) -> Rules:
    """The crediting rules stored in a session hash at open."""
    return Rules(
        duration=float(h["duration"]),
        allowed_rates=tuple(float(r) for r in h["rates"].split(",")),
        completion_coverage=float(h["cov"]),
        anti_idle_seconds=float(h["idle"]),
        heartbeat_seconds=float(h["hb"]),
        free_seek_after_complete=h.get("free") == "1",
        jitter=float(h.get("jitter", "1")),
        live_origin=float(h.get("live", "0")),
    )


def coverage_from_db(user_id: int, usage_key: str) -> Coverage:
    """Coverage as last flushed to MariaDB (empty when never watched)."""
    row = VideoProgress.objects.filter(user_id=user_id, usage_key=UsageKey.from_string(usage_key)).first()
    if row is None:
        return Coverage()
    intervals = tuple((float(s), float(e)) for s, e in row.intervals)
    return Coverage(intervals, row.frontier, row.last_position, row.completed_at is not None)


def load_coverage(user_id: int, usage_key: str, *, seed: bool = False, duration: float = 0.0) -> Coverage:
    """Coverage from Redis, else from MariaDB (then optionally cached in Redis, never overwriting)."""
    keys = hotstate.Keys(user_id)
    key = keys.progress(short_hash(usage_key))
    cov = hotstate.coverage_from(hotstate.client().get(key))
    if cov is None:
        cov = coverage_from_db(user_id, usage_key)
        if seed:
            hotstate.client().set(
                key, hotstate.coverage_json(cov, usage_key, duration), nx=True, ex=hotstate.PROGRESS_TTL
            )
    return cov


def day_total_ms(user_id: int, course_key: str, day: str, *, seed: bool = False) -> int:
    """Credited ms of a China day: the Redis counter (ahead of MariaDB by the unflushed events) or the DB."""
    key = hotstate.Keys(user_id).day(short_hash(course_key), day)
    raw = hotstate.client().get(key)
    row = DailyStudyTotal.objects.filter(user_id=user_id, course_key=course_key, day=day).first()
    db_ms = row.credited_ms if row else 0
    if raw is None and seed:
        hotstate.client().set(key, db_ms, nx=True, ex=hotstate.DAY_TTL)
    return max(int(raw or 0), db_ms)


def _valid_ip(ip: str) -> str | None:
    """The client address if it is one (a bad proxy header must not fail the session)."""
    try:
        return str(ipaddress.ip_address((ip or "").strip()))
    except ValueError:
        return None


def _url(name: str, path: str) -> str:
    try:
        return str(reverse(f"xueshi_studytime:{name}"))
    except NoReverseMatch:  # Studio mounts no LMS plugin URLs; the player talks to the LMS anyway
        return API_ROOT + path


def _policy_fields(policy: VideoPolicy) -> dict[str, str]:
    live = {"live": repr(float(policy.live_origin))} if policy.live_origin else {}
    return {
        **live,
        "duration": repr(float(policy.duration)),
        "rates": ",".join(repr(float(r)) for r in policy.allowed_rates),
        "cov": repr(float(policy.completion_coverage)),
        "idle": str(int(policy.anti_idle_seconds)),
        "hb": str(int(policy.heartbeat_seconds)),
        "free": "1" if policy.free_seek_after_complete else "0",
        "jitter": repr(conf.jitter_seconds()),
    }


def _acquire(user_id: int, sid: str, fields: dict[str, str], policy: VideoPolicy, now: float) -> str:
    """Take the learner's lease for ``sid``; return the session it replaced ('' if none)."""
    keys, r = hotstate.Keys(user_id), hotstate.client()
    acquire = hotstate.script(hotstate.ACQUIRE_LUA)
    ttl = conf.token_ttl_seconds() + 60
    for _attempt in range(5):
        raw = r.get(keys.lease) or ""
        holder, expires = hotstate.parse_lease(raw)
        live = bool(holder) and expires > now and r.hget(keys.session(holder), "ended") in ("", None)
        if live and conf.lease_policy() == conf.LEASE_REFUSE:
            raise LeaseRefused(_("This account is already playing a video elsewhere. Stop it there first."))
        old = holder if live else ""
        end_event = ""
        if old:
            pending = r.hget(keys.session(old), "challenge") or ""
            end_event = json.dumps(
                {"k": "end", "sid": old, "uid": user_id, "at": now, "reason": "takeover", "unans": pending}
            )
        value = hotstate.lease_value(sid, now + lease_ms(policy.heartbeat_seconds) / 1000)
        args = [raw, value, lease_ms(policy.heartbeat_seconds), "1" if old else "0", end_event, ttl]
        flat = [x for kv in fields.items() for x in kv]
        session_keys = [keys.lease, keys.session(sid), keys.session(old or sid), keys.stream]
        if acquire(keys=session_keys, args=[*args, *flat]) == 1:
            return old
    raise LeaseRefused(
        _("Too many players are starting at once for this account. Try again."), "lease_contended"
    )


def open_session(
    *,
    user: Any,
    usage_key: Any,
    policy: VideoPolicy,
    client: str = "web",
    user_agent: str = "",
    ip: str = "",
    binding: bytes = UNBOUND,
) -> SessionGrant:
    """Open a playback session: see ``api.open_session``."""
    usage = UsageKey.from_string(str(usage_key))
    usage_str, course_str = str(usage), str(usage.course_key)
    now, sid = conf.now(), str(uuid.uuid4())
    throttle.take_open_token(user.id, now)  # before any write: a refused open leaves no trace
    cov = load_coverage(user.id, usage_str, seed=True, duration=policy.duration)
    today = day_of(now)
    today_ms = day_total_ms(user.id, course_str, today, seed=True)
    resume = cov.last_position if cov.last_position < policy.duration - 1 else 0.0
    resume = min(resume, cov.frontier)
    if policy.live_origin:  # a live lesson is where the server's clock is, whatever was attended
        resume = min(max(now - policy.live_origin, 0.0), policy.duration)
    state = SessionState(seq=0, last_at=now, position=resume, slack=conf.jitter_seconds())
    expires = int(now) + conf.token_ttl_seconds()
    fields = {
        "uid": str(user.id),
        "usage": usage_str,
        "course": course_str,
        "ukh": usage_hash(usage_str).hex(),
        "chex": short_hash(course_str),
        "uhex": short_hash(usage_str),
        "opened": repr(now),
        "exp": str(expires),
        "ver": "0",
        **_policy_fields(policy),
        **hotstate.state_fields(state),
    }
    with transaction.atomic():
        PlaybackSession.objects.create(
            id=sid,
            user=user,
            course_key=usage.course_key,
            usage_key=usage,
            client=(client or "web")[:16],
            ip=_valid_ip(ip),
            user_agent=(user_agent or "")[:512],
            opened_at=to_datetime(now),
            policy={**_policy_fields(policy), "lease_policy": conf.lease_policy()},
            risk_signals=risk.from_user_agent(user_agent),
        )
    old = _acquire(user.id, sid, fields, policy, now)
    if old:
        PlaybackSession.objects.filter(pk=sid).update(replaced_session=old)
    claims = TokenClaims(sid, user.id, usage_hash(usage_str), expires, binding)
    token = sign(claims, conf.token_keys()[0])
    return SessionGrant(
        session_id=sid,
        token=token,
        heartbeat_url=_url("heartbeats", "heartbeats"),
        challenge_url=_url("challenge-answer", "challenges/answer"),
        heartbeat_seconds=policy.heartbeat_seconds,
        resume_position=resume,
        frontier=cov.frontier,
        coverage=coverage_ratio(cov, policy.duration),
        watched_seconds=measure(cov.intervals),
        credited_today_seconds=today_ms // 1000,
        duration=policy.duration,
        completed=cov.completed,
        replaced_session=bool(old),
    )
