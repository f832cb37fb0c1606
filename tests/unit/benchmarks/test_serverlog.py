"""Server-side request times read from gunicorn's access log."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from benchmarks.heartbeat import serverlog


def _line(when: datetime, path: str, micros: int) -> str:
    return f"[{when.strftime('%d/%b/%Y:%H:%M:%S %z')}] POST {path} 200 {micros}\n"


def test_times_are_grouped_by_kind_inside_the_window(tmp_path: Path) -> None:
    inside, outside = datetime(2026, 11, 23, 8, 0, 5, tzinfo=UTC), datetime(2026, 11, 23, 8, 1, 0, tzinfo=UTC)
    log = tmp_path / "access.log"
    lines = [_line(inside, "/api/xueshi/studytime/v1/heartbeats", 1000 * n) for n in range(1, 101)]
    lines += [_line(inside, "/bench/floor", 2500), "garbage\n"]
    lines += [_line(outside, "/api/xueshi/studytime/v1/heartbeats", 9_000_000)]
    log.write_text("".join(lines))
    start = datetime(2026, 11, 23, 8, 0, 0, tzinfo=UTC).timestamp()
    found = serverlog.times(log, (start, start + 30))
    assert found["heartbeat"] == {
        "count": 100,
        "p50_ms": 51.0,
        "p95_ms": 96.0,
        "p99_ms": 100.0,
        "max_ms": 100.0,
    }
    assert found["floor"]["count"] == 1 and found["floor"]["p50_ms"] == 2.5
    assert serverlog.kind_of("/courses/c/xblock/b/handler/open_session") == "open_session"
    assert serverlog.times(tmp_path / "missing.log", (0, 1)) == {}
