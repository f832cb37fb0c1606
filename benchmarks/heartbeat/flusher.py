"""The ledger flusher of a run: ``xueshi_studytime.flusher.flush`` on a timer, as Celery beat runs it.

Production runs ``flush_ledger`` every 5 s through Celery; here a plain loop calls the same
function every ``5 s / clock factor`` so each batch spans the same server time as in production.
It counts the rows it writes from its own MariaDB connection's handler counters (``SHOW SESSION
STATUS``: only this process's writes, whatever else the shared server is doing). When the file
``<out>.drain`` appears it flushes until the streams are empty, writes its figures to ``<out>`` and
exits.

``python -m benchmarks.heartbeat.flusher OUT.json INTERVAL_SECONDS``
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

COUNTERS = ("Handler_write", "Handler_update", "Handler_delete")


def handler_counts() -> dict[str, int]:
    """This connection's row-write counters."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW SESSION STATUS WHERE Variable_name IN (%s, %s, %s)", COUNTERS)
        return {name: int(value) for name, value in cursor.fetchall()}


def main() -> None:
    """Flush on a timer until told to drain."""
    import django

    django.setup()
    from xueshi_studytime.flusher import flush

    out, interval = Path(sys.argv[1]), float(sys.argv[2])
    drain = out.with_suffix(".drain")
    totals = dict.fromkeys(COUNTERS, 0)
    events, runs, busy, empty_in_a_row = 0, 0, 0.0, 0
    while True:
        started = time.time()
        before = handler_counts()
        written = flush(claim_idle_ms=0 if drain.exists() else None)
        after = handler_counts()
        for name in COUNTERS:
            totals[name] += max(0, after[name] - before.get(name, 0))
        events, runs, busy = events + written, runs + 1, busy + time.time() - started
        if drain.exists():
            empty_in_a_row = empty_in_a_row + 1 if written == 0 else 0
            if empty_in_a_row >= 2:
                break
            continue
        time.sleep(max(0.0, interval - (time.time() - started)))
    out.write_text(json.dumps({"events": events, "runs": runs, "busy_seconds": busy, "rows": totals}))


if __name__ == "__main__":
    main()
