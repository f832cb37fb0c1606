"""Public Python API of ``xueshi_studytime``.

The only module other packages (the video block, hours rules, reports) call. Arguments and
results are plain values from ``data.py``.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Sum
from opaque_keys.edx.keys import CourseKey, UsageKey

from xueshi_core.api import china_day, month_start, week_start
from xueshi_core.caller import NO_SESSION, current_caller

from . import checkpoints as _barriers
from . import conf, holds, hotstate
from .crediting import coverage_ratio, measure
from .data import BarrierState, DaySeconds, Hold, Progress, SessionGrant, StudySummary, VideoPolicy
from .exceptions import LeaseRefused, SessionsThrottled
from .models import DailyStudyTotal, LedgerEntry, VideoProgress
from .sessions import day_total_ms, load_coverage, short_hash, to_datetime
from .sessions import open_session as _open_session
from .signals import PLAYBACK_SESSION_OPENED

__all__ = [
    "BarrierState",
    "Hold",
    "LeaseRefused",
    "Progress",
    "SessionGrant",
    "SessionsThrottled",
    "VideoPolicy",
    "active_holds",
    "barrier_state",
    "credited_seconds_by_block",
    "credited_seconds_on",
    "end_playback",
    "get_progress",
    "media_session_live",
    "open_session",
    "pass_barrier",
    "period_bounds",
    "place_hold",
    "record_media_delivery",
    "release_hold",
    "rewind_barrier",
    "set_barriers",
    "set_on_air",
    "sign_media_playlist",
    "summary",
    "verify_media_url",
]
PERIODS = ("day", "week", "month")
log = logging.getLogger(__name__)


def open_session(
    *,
    user: Any,
    usage_key: Any,
    policy: VideoPolicy,
    client: str = "web",
    user_agent: str = "",
    ip: str = "",
    binding: bytes | None = None,
) -> SessionGrant:
    """Open a playback session for ``user`` in block ``usage_key`` and take the learner's lease.

    Under the ``takeover`` lease policy an older live session of the same account is stopped at its
    next heartbeat (``replaced_session`` is then true); under ``refuse`` this raises instead.

    The token is bound to the sign-in that opens the session (``binding``; by default the browser
    session of the request being served, ``xueshi_core.caller``): heartbeats must come from the
    same account and, for a browser, the same Django session (ADR 0030).

    Raises:
        LeaseRefused: the policy is ``refuse`` and another playback of this account is live.
        SessionsThrottled: the learner opened sessions too fast (a 429 with ``retry_after``).
    """
    if binding is None:
        caller = current_caller()
        binding = caller.binding if caller is not None else NO_SESSION
    grant = _open_session(
        user=user,
        usage_key=usage_key,
        policy=policy,
        client=client,
        user_agent=user_agent,
        ip=ip,
        binding=binding,
    )
    usage = UsageKey.from_string(str(usage_key))
    for receiver, result in PLAYBACK_SESSION_OPENED.send_robust(
        sender=None,
        user_id=user.id,
        course_key=str(usage.course_key),
        usage_key=str(usage),
        session_id=grant.session_id,
        client=client,
    ):
        if isinstance(result, Exception):  # a broken receiver must not stop study; it is logged loudly
            log.error("PLAYBACK_SESSION_OPENED receiver %r failed", receiver, exc_info=result)
    in_force = holds.effective(holds.restore(user.id), conf.now(), str(usage.course_key))
    return dataclasses.replace(grant, holds=tuple(h.as_dict() for h in in_force))


def place_hold(
    user_id: int,
    kind: str,
    *,
    url: str = "",
    not_before: float | None = None,
    reason: str = "",
    course_key: str = "",
) -> Hold:
    """Stop crediting for the learner in every block from ``not_before`` (default now) until released.

    With ``course_key`` only study in that course is held (a class awaiting an authority's
    approval, say); without, study everywhere.

    ``kind`` is a short slug naming the check (``face_check``); placing it again replaces it.
    ``url`` is the page the player shows so the learner can clear the hold. The hold is recorded
    durably (``StudyHold``) and takes effect on the learner's next heartbeat.

    Raises:
        ValueError: ``kind`` is not a short lowercase slug.
        InvalidKeyError: ``course_key`` is not a course key.
    """
    return holds.place(user_id, kind, url=url, not_before=not_before, reason=reason, course_key=course_key)


def release_hold(user_id: int, kind: str, *, reason: str = "passed") -> bool:
    """Lift the learner's hold of ``kind``; ``False`` when none was active."""
    return holds.release(user_id, kind, reason=reason)


def active_holds(user_id: int) -> list[Hold]:
    """The learner's unreleased holds, including ones whose ``not_before`` is still ahead."""
    return holds.active(user_id)


def end_playback(user_id: int, reason: str) -> int:
    """End the learner's live playback sessions now (signed in elsewhere, say); return how many ended.

    Each ended player is told to stop at its next heartbeat (``lease: "lost"``); nothing it sends
    afterwards is credited, and its session row records ``reason``.
    """
    return holds.end_playback(user_id, reason)


def today() -> date:
    """Today's China day on the server clock."""
    return china_day(to_datetime(conf.now()), conf.time_zone())


def get_progress(user_id: int, usage_key: Any) -> Progress:
    """The learner's coverage of one block, including heartbeats not yet flushed to the database."""
    usage = str(UsageKey.from_string(str(usage_key)))
    cov = load_coverage(user_id, usage)
    duration = hotstate.duration_from(
        hotstate.client().get(hotstate.Keys(user_id).progress(short_hash(usage)))
    )
    if not duration:
        row = VideoProgress.objects.filter(user_id=user_id, usage_key=UsageKey.from_string(usage)).first()
        duration = row.duration if row else 0.0
    watched = measure(cov.intervals)
    return Progress(
        watched_seconds=watched,
        coverage=coverage_ratio(cov, duration) if duration else 0.0,
        frontier=cov.frontier,
        last_position=cov.last_position,
        completed=cov.completed,
        intervals=cov.intervals,
    )


def credited_seconds_on(user_id: int, course_key: Any, day: date | None = None) -> int:
    """Whole seconds credited to the learner in the course on a China day (default today)."""
    course = str(CourseKey.from_string(str(course_key)))
    return day_total_ms(user_id, course, (day or today()).isoformat()) // 1000


def period_bounds(period: str, day: date) -> tuple[date, date]:
    """First and last China day of the day/week (Monday first)/month holding ``day``."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}")
    if period == "day":
        return day, day
    if period == "week":
        start = week_start(day)
        return start, start + timedelta(days=6)
    start = month_start(day)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following - timedelta(days=1)


def summary(user_id: int, course_key: Any, period: str = "week", day: date | None = None) -> StudySummary:
    """Credited seconds per China day over a period, and per block, for one learner in one course.

    Totals come from the database; today's figure also counts heartbeats not yet flushed.
    """
    course = CourseKey.from_string(str(course_key))
    start, end = period_bounds(period, day or today())
    rows = dict(
        DailyStudyTotal.objects.filter(
            user_id=user_id, course_key=course, day__range=(start, end)
        ).values_list("day", "credited_ms")
    )
    current = today()
    if start <= current <= end:
        rows[current] = max(rows.get(current, 0), day_total_ms(user_id, str(course), current.isoformat()))
    days = tuple(DaySeconds(d, ms // 1000) for d, ms in sorted(rows.items()) if ms)
    blocks = (
        LedgerEntry.objects.filter(user_id=user_id, course_key=course, china_day__range=(start, end))
        .values_list("usage_key")
        .annotate(ms=Sum("credited_ms"))
    )
    return StudySummary(
        user_id=user_id,
        course_key=str(course),
        period=period,
        start=start,
        end=end,
        total_seconds=sum(ms for ms in rows.values()) // 1000,
        days=days,
        blocks={str(usage): int(ms) // 1000 for usage, ms in blocks},
    )


def credited_seconds_by_block(user_id: int, course_key: Any) -> dict[str, int]:
    """Whole seconds ever credited to the learner per block of the course (usage key -> seconds).

    From the ledger's durable records, so heartbeats still waiting for the flusher (seconds, at the
    beat's interval) are not counted yet. Blocks without credit are absent.
    """
    course = CourseKey.from_string(str(course_key))
    rows = (
        LedgerEntry.objects.filter(user_id=user_id, course_key=course)
        .values_list("usage_key")
        .annotate(ms=Sum("credited_ms"))
    )
    return {str(usage): int(ms) // 1000 for usage, ms in rows}


# -- checkpoint barriers (quiz checkpoints in videos) ---------------------------------------------
def set_barriers(user_id: int, usage_key: Any, times: Iterable[float]) -> BarrierState:
    """Hold the learner at these (unpassed) checkpoint times in the block: nothing is credited past the first.

    The block calls this when a playback session opens, from its own server-side record of the
    learner's schedule and passed checkpoints; an empty ``times`` removes every barrier. A barrier
    that stays the first keeps its due / re-watch state.
    """
    return _barriers.set_barriers(user_id, usage_key, times)


def barrier_state(user_id: int, usage_key: Any) -> BarrierState:
    """The learner's barriers in the block: unpassed times, the one due (reached), re-watch progress."""
    return _barriers.barrier_state(user_id, usage_key)


def pass_barrier(user_id: int, usage_key: Any, at: float) -> bool:
    """Pass the due barrier at ``at`` (the checkpoint was answered); False when it is not the one due."""
    return _barriers.pass_barrier(user_id, usage_key, at)


def rewind_barrier(user_id: int, usage_key: Any, at: float, to: float) -> bool:
    """A wrong answer at the due barrier ``at``: the learner must play ``[to, at]`` again.

    The barrier falls due again only once that span has been played through.

    Returns False when ``at`` is not the barrier due.
    """
    return _barriers.rewind_barrier(user_id, usage_key, at, to)


def sign_media_urls(
    user_id: int, usage_key: Any, sources: list[dict[str, Any]], session_id: str = ""
) -> list[dict[str, Any]]:
    """The player's sources with URLs signed for this learner and block, and for a playback session.

    The media server can then log what it delivered to whom (``media.py``); URLs this deployment
    does not serve are unchanged. Only what is delivered under a ``session_id`` signature earns that
    session credit where delivery proof is on (ADR 0053): the block signs its sources again for the
    session it opens, and the player switches to them before it plays.
    """
    from . import media

    usage_hex, now = short_hash(str(UsageKey.from_string(str(usage_key)))), conf.now()
    signed = [
        {**s, "url": media.sign_url(str(s["url"]), user_id, usage_hex, now, session_id=session_id)}
        for s in sources
    ]
    if session_id and any(new["url"] != old["url"] for new, old in zip(signed, sources, strict=True)):
        # The session plays media this deployment serves and logs: only such a session is held to
        # delivery proof or flagged for fetching none. A video on someone else's server (a CDN URL
        # the author typed) has no delivery log, whatever other prefixes are signed.
        media.mark_served(user_id, session_id)
    return signed


def set_on_air(usage_key: Any, intervals: Iterable[tuple[float, float | None]]) -> None:
    """Tell the ledger when a live lesson's stream was on air: epoch ``(start, end)``, open end None.

    Live sessions (``VideoPolicy.live_origin``) earn credit only inside these intervals, by the
    server clock (ADR 0351). Each call replaces the block's intervals.

    Raises:
        ValueError: an interval is not ``(start, end >= start)`` in epoch seconds.
    """
    from . import onair

    onair.write(short_hash(str(UsageKey.from_string(str(usage_key)))), intervals)


# -- signed media delivery (xueshi_media serves the transcoded HLS of issue 24) -------------------
def verify_media_url(path: str, token: str, span: str = "") -> Any:
    """Who a media URL's signature (``xst``, and ``xsr`` for a segment) was made for, or ``None``.

    ``None`` when forged, for another path, or expired. The result (``media.Signed``) is opaque to
    callers except for ``user_id`` and ``session_id``; hand it back to ``record_media_delivery``.
    """
    from . import media

    return media.verify(path, token, conf.now(), span) if token else None


def media_session_live(user_id: int, session_id: str) -> bool:
    """Whether ``session_id`` holds the learner's playback lease now (one playback per account).

    Session-bound media dies with its session: a superseded, ended or lapsed session's URLs are refused.
    """
    holder, expires = hotstate.parse_lease(hotstate.client().get(hotstate.Keys(user_id).lease))
    return bool(session_id) and holder == session_id and expires >= conf.now()


def record_media_delivery(signed: Any, path: str, first: int, end: int, size: int) -> None:
    """Log bytes ``[first, end)`` of ``path`` sent under ``signed``: the proof of fetch the ledger credits."""
    from . import delivery, media

    media.record(signed.user_id, signed.usage_hex, path.rsplit("/", 1)[-1], end - first, size, conf.now())
    delivery.record(signed, path, first, end, size, end - first)


def sign_media_playlist(text: str, path: str, signed: Any) -> str:
    """An HLS playlist with every URI signed for ``signed``'s session (segments with their spans)."""
    from . import delivery, media

    def sign(uri: str, span: tuple[float, float] | None) -> str:
        return media.sign_url(uri, signed.user_id, signed.usage_hex, conf.now(), signed.session_id, span)

    return delivery.rewrite_playlist(text, path, sign)


# -- read functions for study hours (xueshi_hours) ------------------------------------------------
def _key_text() -> Any:
    """The course key column as plain text: no ``CourseKey`` parsed per row (hundreds per account)."""
    from django.db.models import CharField
    from django.db.models.functions import Cast

    return Cast("course_key", output_field=CharField(max_length=255))


def daily_totals(user_id: int, start: date, end: date) -> list[tuple[str, date, int]]:
    """The learner's credited seconds per (course, China day) from ``start`` to ``end`` inclusive.

    Durable records only (``DailyStudyTotal``): hours are counted from what the flusher committed,
    never from the browser; rows come ordered by day, then course.
    """
    from django.db.models import CharField
    from django.db.models.functions import Cast

    rows = (
        DailyStudyTotal.objects.filter(user_id=user_id, day__range=(start, end), credited_ms__gt=0)
        .annotate(course=_key_text(), iso=Cast("day", output_field=CharField(max_length=10)))
        .order_by("day", "course_key")
        .values_list("course", "iso", "credited_ms")
    )
    # The day as ISO text, parsed once per distinct day: a year is ~365 days but thousands of rows,
    # and the driver's per-row DATE conversion was a tenth of an hour account's CPU (ADR 0180).
    days: dict[str, date] = {}
    return [
        (course, days.get(iso) or days.setdefault(iso, date.fromisoformat(iso)), int(ms) // 1000)
        for course, iso, ms in rows
    ]


def course_video_watch(
    user_id: int, course_keys: Iterable[Any]
) -> dict[str, tuple[float, float, date | None]]:
    """Per course: (watched seconds, known video seconds, last China day with credit) of the learner.

    Watched seconds are the merged watched intervals of each block the learner opened (a replay
    counts once); the known length is the sum of those blocks' durations (blocks never opened
    are unknown here: callers that need the whole course's length keep it themselves). Courses
    the learner never opened are absent. Two queries, whatever the number of courses.
    """
    from django.db.models import Max

    keys = [CourseKey.from_string(str(k)) for k in course_keys]
    if not keys:
        return {}
    watched = (
        VideoProgress.objects.filter(user_id=user_id, course_key__in=keys)
        .annotate(course=_key_text())
        .values("course")
        .annotate(seen=Sum("watched_seconds"), length=Sum("duration"))
        .values_list("course", "seen", "length")
    )
    # Grouped on the column itself (the (user, course, day) unique index serves it), not on its
    # text cast (a temporary table): one row per course, parsed keys are few (ADR 0180).
    last = {
        str(course): day
        for course, day in DailyStudyTotal.objects.filter(
            user_id=user_id, course_key__in=keys, credited_ms__gt=0
        )
        .values("course_key")
        .annotate(last=Max("day"))
        .values_list("course_key", "last")
    }
    return {
        course: (float(seen or 0), float(length or 0), last.get(course)) for course, seen, length in watched
    }


def learners_with_credit(start: date, end: date, course_key: Any = None) -> list[int]:
    """Ids of learners credited any time from ``start`` to ``end`` (optionally in one course)."""
    rows = DailyStudyTotal.objects.filter(day__range=(start, end), credited_ms__gt=0)
    if course_key is not None:
        rows = rows.filter(course_key=CourseKey.from_string(str(course_key)))
    return sorted(set(rows.values_list("user_id", flat=True)))


def credit_fingerprint(user_id: int) -> tuple[int, int, str, float]:
    """What changes whenever the learner's durable credit or watched coverage changes.

    (daily-total rows, their credited milliseconds, the last day, the watched seconds of every
    block): credit only grows and rows are only added, so equal fingerprints mean equal records.
    Lets ``xueshi_hours`` reuse an account computed from the same records (ADR 0113).
    """
    from django.db.models import Count, Max

    totals = DailyStudyTotal.objects.filter(user_id=user_id).aggregate(
        n=Count("id"), ms=Sum("credited_ms"), last=Max("day")
    )
    watched = VideoProgress.objects.filter(user_id=user_id).aggregate(s=Sum("watched_seconds"))["s"]
    return (int(totals["n"] or 0), int(totals["ms"] or 0), str(totals["last"] or ""), float(watched or 0))


# -- read functions for the statistics roll-ups (xueshi_stats, ADR 0150) ---------------------------
DayKey = tuple[int, str, date]  # (learner id, course key, China day)


def ledger_keys_after(after_id: int, limit: int = 5000) -> tuple[int, set[DayKey]]:
    """The (learner, course, China day) keys of ledger rows with ``id > after_id``, in id order.

    Returns the highest id read (``after_id`` when nothing is new) and the keys touched, so a
    roll-up can re-read the daily totals of just those keys: one indexed range on the primary key.
    """
    rows = list(
        LedgerEntry.objects.filter(id__gt=after_id)
        .order_by("id")
        .values_list("id", "user_id", "course_key", "china_day")[:limit]
    )
    last = rows[-1][0] if rows else after_id
    return last, {(uid, str(course), day) for _id, uid, course, day in rows}


def day_totals(keys: Iterable[DayKey]) -> dict[DayKey, tuple[int, int]]:
    """Credited milliseconds (the daily totals) and playback sessions that earned credit, per key.

    Keys without credit are absent. Per China day of the keys, one query on the daily totals and
    one on the ledger's ``(user, day)`` index, each limited to that day's learners.
    """
    by_day: dict[date, set[int]] = {}
    for uid, _course, day in keys:
        by_day.setdefault(day, set()).add(uid)
    totals: dict[DayKey, int] = {}
    sessions: dict[DayKey, int] = {}
    for day, users in by_day.items():
        daily = DailyStudyTotal.objects.filter(day=day, user_id__in=users)
        for uid, course, ms in daily.values_list("user_id", "course_key", "credited_ms"):
            totals[(uid, str(course), day)] = int(ms)
        ledger = LedgerEntry.objects.filter(china_day=day, user_id__in=users)
        ledger = ledger.values_list("user_id", "course_key")
        counted = ledger.annotate(n=Count("session_id", distinct=True)).order_by()
        for uid, course, n in counted:
            sessions[(uid, str(course), day)] = int(n)
    return {k: (ms, sessions.get(k, 0)) for k, ms in totals.items() if ms}


def ledger_day_sums() -> dict[DayKey, tuple[int, int]]:
    """Credited milliseconds and sessions per key summed from the raw ledger rows (a full scan).

    Only for rebuilding and checking the roll-ups (``xueshi_stats_rebuild``), never for a page.
    """
    rows = (
        LedgerEntry.objects.values_list("user_id", "course_key", "china_day")
        .annotate(ms=Sum("credited_ms"), n=Count("session_id", distinct=True))
        .order_by()
    )
    return {(uid, str(course), day): (int(ms), int(n)) for uid, course, day, ms, n in rows if ms}
