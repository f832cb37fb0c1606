"""Risk signals per playback session: what made a session look scripted, kept for staff to judge.

A signal is evidence, not a verdict: crediting rules decide what earns time, signals tell staff
which sessions to look at (ADR 0051). The web tier appends a ``risk`` event to the learner's
ledger stream (no MariaDB on the heartbeat path); the flusher adds it to
``PlaybackSession.risk_signals`` (signal -> count). Signals known when a session opens (a headless
user agent) are written with the session row; beat timing is judged from the stored ledger.
"""

from __future__ import annotations

import itertools
import json
import re
import statistics
from collections import Counter, defaultdict
from typing import Any

from django.db import transaction

from . import hotstate
from .crediting import NO_MEDIA, NOT_DELIVERED

CHALLENGE_LATE = "challenge_late"
CHALLENGE_FAILED = "challenge_failed"
CHALLENGE_NO_CODE = "challenge_no_code"
REPLAYED_BEATS = "replayed_beats"
HEADLESS_AGENT = "headless_agent"
REGULAR_BEATS = "regular_beats"
SIGNALS = (
    NO_MEDIA,
    NOT_DELIVERED,
    CHALLENGE_LATE,
    CHALLENGE_FAILED,
    CHALLENGE_NO_CODE,
    REPLAYED_BEATS,
    HEADLESS_AGENT,
)

# Automation and HTTP libraries announce themselves; a real browser's agent names none of these.
HEADLESS = re.compile(
    r"HeadlessChrome|PhantomJS|python-requests|python-urllib|python-httpx|aiohttp|curl/|Wget/|"
    r"Go-http-client|node-fetch|axios/|okhttp/|Java/|libwww-perl|Scrapy|Playwright|Puppeteer|Selenium",
    re.IGNORECASE,
)
# Beats of a browser wander by tens of milliseconds (timers, network); a loop on a clock does not.
REGULAR_SPREAD_SECONDS = 0.005
REGULAR_MIN_BEATS = 6


def record(user_id: int, session_id: str, signal: str, now: float) -> None:
    """Append a signal for the flusher (one XADD on the learner's shard stream)."""
    event = {"k": "risk", "sid": session_id, "uid": user_id, "sig": signal, "at": now}
    hotstate.client().xadd(hotstate.Keys(user_id).stream, {"e": json.dumps(event, separators=(",", ":"))})


def from_user_agent(user_agent: str) -> dict[str, int]:
    """Signals a session carries from its opening request."""
    return {HEADLESS_AGENT: 1} if user_agent and HEADLESS.search(user_agent) else {}


def signals_of(events: list[dict[str, Any]]) -> dict[str, Counter[str]]:
    """Signal counts per session in a batch: explicit ``risk`` events and replayed beats."""
    found: dict[str, Counter[str]] = defaultdict(Counter)
    for e in events:
        if e.get("k") == "risk":
            found[e["sid"]][str(e["sig"])] += 1
        elif e.get("k") == "beat" and e.get("reason") == "replay":
            found[e["sid"]][REPLAYED_BEATS] += 1
    return found


def write(events: list[dict[str, Any]]) -> None:
    """Add a batch's signals to the session rows (inside the flusher's transaction, rows locked)."""
    from .models import PlaybackSession

    found = signals_of(events)
    if not found:
        return
    with transaction.atomic():
        rows = PlaybackSession.objects.select_for_update().filter(pk__in=list(found)).order_by("pk")
        for row in rows:
            merged = Counter({k: int(v) for k, v in (row.risk_signals or {}).items()})
            merged.update(found[str(row.pk)])
            row.risk_signals = dict(sorted(merged.items()))
            row.save(update_fields=["risk_signals"])


def beats_too_regular(received: list[float]) -> bool:
    """True when enough beats arrived at intervals that hardly vary (a script's fixed sleep)."""
    if len(received) < REGULAR_MIN_BEATS:
        return False
    times = sorted(received)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    return statistics.pstdev(gaps) < REGULAR_SPREAD_SECONDS


def assess(session: Any) -> dict[str, int]:
    """Stored signals plus those judged from the ledger (beat regularity), for staff pages."""
    from .models import LedgerEntry, RefusedHeartbeat

    found = dict(session.risk_signals or {})
    times = [
        dt.timestamp()
        for model in (LedgerEntry, RefusedHeartbeat)
        for dt in model.objects.filter(session=session).values_list("received_at", flat=True)
    ]
    if beats_too_regular(times):
        found[REGULAR_BEATS] = 1
    return found
