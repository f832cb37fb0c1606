"""The benchmark's server clock: real time, optionally run faster by a constant factor.

The study-time ledger reads its clock from ``XUESHI_STUDYTIME_CLOCK`` (``conf.clock``); production
never sets it. The benchmark points it here so that one real second can stand for ``FACTOR``
server seconds: a learner then beats every ``30 / FACTOR`` real seconds while the ledger still sees
30 s between beats, and a 10-minute run covers anti-idle prompts, finished videos and next videos.

Every process of a run (gunicorn workers, the flusher, the load generator) computes the same
time from the same two environment variables, so the clock is consistent across them. Redis TTLs
stay in real time; they only clean up (lease expiry is judged on this clock, in the lease value).
"""

from __future__ import annotations

import os
import time

EPOCH = float(os.environ.get("XUESHI_BENCH_CLOCK_EPOCH") or time.time())
FACTOR = float(os.environ.get("XUESHI_BENCH_CLOCK_FACTOR") or 1.0)


def server_time() -> float:
    """Server epoch seconds: ``EPOCH + (now - EPOCH) * FACTOR``."""
    return EPOCH + (time.time() - EPOCH) * FACTOR


def real_seconds(server_seconds: float) -> float:
    """How long ``server_seconds`` of server time last in real time."""
    return server_seconds / FACTOR
