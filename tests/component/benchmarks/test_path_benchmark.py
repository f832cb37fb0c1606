"""The whole-path benchmark's smoke run (issue 23), so it never rots: every page of an evening has figures.

It runs ``python -m benchmarks.path --smoke`` against this session's test database and Redis: uWSGI
with Tutor's ``uwsgi.ini`` (its static map serving the collected files), a flusher, and locust
driving three learners through a whole evening (sign-in form, the course, a checkpoint answered,
two lessons with heartbeats and a "still there?" prompt, practice, maybe the exam, their own pages,
sign-out). Speed is not asserted (the full run is ``make bench-path``); validity is: no failed
request, figures for every page and API, server-side times from uWSGI's log.
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
PAGES = (
    "sign-in form", "sign-in", "dashboard", "course page", "unit page (video)", "static file",
    "XBlock resource", "open_session", "media (range)", "heartbeat", "still there? answer",
    "checkpoint question", "checkpoint answer", "unit page (practice)", "practice: start",
    "practice: answer", "my hours", "learning archive", "my certificates", "sign-out",
)  # fmt: skip


def test_smoke_run_gives_every_page_figures_and_no_failures(tmp_path):
    redis_url = os.environ.get("XUESHI_REDIS_URL", "")
    if not redis_url:
        pytest.skip("the benchmark needs Redis")
    command = [sys.executable, "-m", "benchmarks.path", "--smoke", "--no-migrate"]
    command += ["--db-url", database_url(), "--redis-url", redis_url, "--out", str(tmp_path)]
    run = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=400, check=False)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]

    result = json.loads((tmp_path / "result.json").read_text())
    (step,) = result["steps"]
    assert step["failures"] == 0, step["error_samples"]
    assert step["evenings"] >= 3  # every learner went from the sign-in form to signing out
    missing = [name for name in PAGES if not step["names"].get(name, {}).get("requests")]
    assert not missing, missing
    for name in PAGES:
        row = step["names"][name]
        assert row["p50_ms"] is not None and row["p99_ms"] >= row["p50_ms"] > 0, (name, row)
    # uWSGI logged the server-side times; static files came from uWSGI's static map, as in Tutor.
    server = step["server"]
    assert server["heartbeat"]["count"] > 0 and server["sign-in"]["count"] >= 3
    assert server["static file"]["count"] > 0
    assert "added mapping for /static" in (tmp_path / "server.log").read_text()
    assert step["server_cpu_s"] > 0
    assert result["summary"]["valid"] is True
    assert "learners_per_core" in result["summary"]
    assert (tmp_path / "summary.md").read_text().startswith("# Whole learner path")
