"""Server-side request times, from gunicorn's access log (``--server-timing``).

The load generator's latency includes its own scheduling: on a two-core machine it shares its core
with the flusher and the services, so a late greenlet reads a reply late and the reply looks slow.
gunicorn's ``%(D)s`` is the time a worker spent on the request, from parsing it to sending the
reply; it excludes the generator, and also the wait in the listen backlog, so the truth lies
between the two. Lines carry gunicorn's ``%(t)s`` (one-second resolution), which is plenty to
pick a phase's window.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from .learner import ANSWER, HEARTBEATS

FORMAT = "%(t)s %(m)s %(U)s %(s)s %(D)s"
LINE = re.compile(r"^\[(?P<t>[^\]]+)\] (?P<m>\S+) (?P<u>\S+) (?P<s>\d+) (?P<d>\d+)$")
KINDS = (
    (HEARTBEATS, "heartbeat"),
    (ANSWER, "answer"),
    ("/handler/open_session", "open_session"),
    ("/bench/floor", "floor"),
    ("/api/completion/v1/completion-batch", "completion"),
)


def kind_of(path: str) -> str:
    """The request kind of a path, as the load generator names it ('other' if none)."""
    for marker, kind in KINDS:
        if marker in path:
            return kind
    return "other"


def _percentile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def times(path: Path, window: tuple[float, float]) -> dict[str, dict[str, Any]]:
    """Per kind: count and p50/p95/p99/max in ms of requests logged inside ``window`` (epoch)."""
    found: dict[str, list[float]] = {}
    start, end = window
    if not path.exists():
        return {}
    with path.open() as lines:
        for line in lines:
            match = LINE.match(line.strip())
            if not match:
                continue
            when = datetime.strptime(match["t"], "%d/%b/%Y:%H:%M:%S %z").timestamp()
            if start <= when < end:
                found.setdefault(kind_of(match["u"]), []).append(int(match["d"]) / 1000.0)
    summary = {}
    for kind, values in found.items():
        values.sort()
        summary[kind] = {
            "count": len(values),
            **{f"p{round(q * 100)}_ms": round(_percentile(values, q), 2) for q in (0.5, 0.95, 0.99)},
            "max_ms": round(values[-1], 2),
        }
    return summary
