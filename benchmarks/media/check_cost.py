"""What the session-bound check costs per HLS segment, next to serving a plain file (issue 24).

``python -m benchmarks.media.check_cost`` times, against the configured Redis, each part of what
``xueshi_media.delivery.serve`` adds to a segment request: the HMAC check, the lease check (one
GET), the ledger's delivery record (its Lua scripts) and the fetch log (one pipeline). A plain file
behind nginx costs none of these; with ``X-Accel-Redirect`` the bytes themselves cost Django nothing.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

ROUNDS = 2000


def _timed(call: Callable[[], object]) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(ROUNDS):
        call()
    return (time.process_time() - cpu) / ROUNDS * 1e6, (time.perf_counter() - wall) / ROUNDS * 1e6


def main() -> None:
    """Print CPU and wall microseconds per call of each part, and their sum."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")
    django.setup()
    from django.test import override_settings

    with override_settings(XUESHI_STUDYTIME_REDIS_PREFIX=f"xst-bench-{uuid.uuid4().hex[:8]}-"):
        from xueshi_media import fetchlog
        from xueshi_studytime import api as ledger
        from xueshi_studytime import hotstate, media

        session, user = str(uuid.uuid4()), 4242
        redis = hotstate.client()
        redis.set(hotstate.Keys(user).lease, hotstate.lease_value(session, time.time() + 3600))
        path = "/xueshi/media/hls/" + "a" * 32 + "/540p/seg_00001.ts"
        query = parse_qs(
            urlsplit(media.sign_url(path, user, "0" * 16, time.time(), session, (4.0, 8.0))).query
        )
        token, span = query["xst"][0], query["xsr"][0]
        signed = ledger.verify_media_url(path, token, span)
        parts = {
            "HMAC check": lambda: ledger.verify_media_url(path, token, span),
            "lease check (1 GET)": lambda: ledger.media_session_live(user, session),
            "ledger delivery record": lambda: ledger.record_media_delivery(signed, path, 0, 200_000, 200_000),
            "fetch log (1 pipeline)": lambda: fetchlog.append(session, time.time(), path, (4.0, 8.0)),
        }
        total = [0.0, 0.0]
        for name, call in parts.items():
            cpu, wall = _timed(call)
            total = [total[0] + cpu, total[1] + wall]
            print(f"{name:26s} CPU {cpu:7.1f} µs   wall {wall:7.1f} µs")
        load = os.getloadavg()[0]
        print(f"{'per segment':26s} CPU {total[0]:7.1f} µs   wall {total[1]:7.1f} µs (load {load:.1f})")
        for key in redis.scan_iter(match=f"{{{hotstate.conf.key_prefix()}*", count=500):
            redis.delete(key)
        redis.delete(fetchlog.key(session))


if __name__ == "__main__":
    main()
