"""The media serving benchmark's smoke run (issue 24), so it never rots: both paths measured, no failure.

It runs ``python -m benchmarks.media.serving --smoke`` against this session's test database and
Redis: a real (tiny) ladder transcoded by the media app, uWSGI with Tutor's ``uwsgi.ini`` and
``XUESHI_MEDIA_ACCEL_REDIRECT_PREFIX``, Tutor's rendered Caddyfile in the real Caddy with the
private file server, and two players of each kind for two seconds. Speed is not asserted (the
full run is ``make bench-media``); validity is: every segment of the guarded path was checked by
Django and sent by Caddy, the plain peer got the same bytes, nothing failed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.component.benchmarks.test_heartbeat_benchmark import database_url

pytestmark = [pytest.mark.component, pytest.mark.django_db(transaction=True)]
REPO = Path(__file__).resolve().parents[3]


def test_smoke_run_serves_guarded_and_plain_segments_without_failures(tmp_path):
    redis_url = os.environ.get("XUESHI_REDIS_URL", "")
    assert redis_url, "the benchmark needs Redis: XUESHI_REDIS_URL (make test sets it)"
    command = [sys.executable, "-m", "benchmarks.media.serving", "--smoke", "--no-migrate"]
    command += ["--db-url", database_url(), "--redis-url", redis_url, "--out", str(tmp_path)]
    run = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]

    result = json.loads((tmp_path / "result.json").read_text())
    guarded, plain = result["phases"]
    assert (guarded["kind"], plain["kind"]) == ("guarded", "plain")
    for phase in (guarded, plain):
        assert phase["failures"] == 0, phase["error_samples"]
        segments = phase["names"]["segment"]
        assert segments["requests"] > 0 and segments["p95_ms"] >= segments["p50_ms"] > 0
        assert phase["bytes"] >= segments["requests"] * min(result["ladder"]["segment_bytes"])
    assert guarded["names"]["heartbeat"]["requests"] > 0
    # Django checked every guarded segment (uWSGI's log) and answered with no body: Caddy sent the bytes.
    assert guarded["django_time_s"]["segment"] > 0 and plain["django_time_s"]["segment"] == 0
    assert "X-Accel-Redirect" in (tmp_path / "Caddyfile").read_text()  # Tutor's intercept, as rendered
    # measured, not asserted as positive: the file server's share of a 2-second smoke can stay
    # under one clock tick of /proc's CPU times (0.01 s), as it did in a full run
    assert guarded["cpu_s"]["caddy"] > 0 and guarded["cpu_s"]["files"] >= 0
    assert guarded["figures"]["django_cpu_ms_per_segment"] > 0
    assert (tmp_path / "summary.md").read_text().startswith("# Course media served through Tutor's Caddy")
