"""The heartbeat benchmark's smoke run, so it never rots: every phase, the flusher and the ledger check.

It runs ``python -m benchmarks.heartbeat --smoke`` against this session's test database and Redis
database for a few seconds per phase, once on gunicorn and once on uWSGI with Tutor's ``uwsgi.ini``
(locust drives, a flusher drains). Speed is not asserted here (the full run, ``make bench``, is not
a timed test); validity is: no request errors, figures for every phase, and a ledger that matches
what the simulated learners watched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

pytestmark = [pytest.mark.component, pytest.mark.django_db(transaction=True)]
REPO = Path(__file__).resolve().parents[3]


def database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.mysql":
        pytest.skip("the benchmark serves MariaDB")
    auth = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"mysql://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.parametrize("server", ["gunicorn", "uwsgi"])
def test_smoke_run_measures_every_phase_and_the_ledger_matches(tmp_path, server):
    redis_url = os.environ.get("XUESHI_REDIS_URL", "")
    if not redis_url:
        pytest.skip("the benchmark needs Redis")
    command = [sys.executable, "-m", "benchmarks.heartbeat", "--smoke", "--no-migrate", "--server", server]
    command += ["--db-url", database_url(), "--redis-url", redis_url, "--out", str(tmp_path)]
    run = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]

    result = json.loads((tmp_path / "result.json").read_text())
    phases = result["phases"]
    assert phases["floor"]["requests"]["floor"]["count"] > 0
    assert phases["completion"]["requests"]["completion"]["count"] > 0
    for name in ("saturation", "half_rate"):
        assert phases[name]["requests"]["heartbeat"]["count"] > 0, name
    summary = result["summary"]
    assert summary["errors"] == 0
    assert summary["heartbeats_per_s"] > 0 and summary["heartbeats_vs_floor"] > 0
    assert summary["p99_ms_at_half_rate"] is not None
    assert "heartbeats_vs_completion" not in summary["targets"]  # retired (issue 15, ADR 0706)
    assert summary["heartbeats_share_of_completion_bound"] > 0
    assert "p99_ms_at_half_rate_server" in summary["targets"]
    assert all(mb > 0 for mb in summary["peak_rss_mb"].values())
    workers = [name for name in summary["peak_rss_mb"] if name.startswith(f"{server}-worker-")]
    assert len(workers) == 2, summary["peak_rss_mb"]  # both smoke workers served and were sampled
    if server == "uwsgi":  # Tutor's file, with this host's address and the sandbox's application
        ini = (tmp_path / "uwsgi.ini").read_text()
        assert "thunder-lock = true" in ini and "module = sandbox.wsgi:application" in ini
        assert "uwsgi-http-0" in summary["peak_rss_mb"]
    assert result["flusher"]["events"] > 0 and summary["db_rows_per_heartbeat"] > 0

    check = result["ledger_check"]
    assert check["ok"], check["problems"]
    assert check["credited_s"] > 0 and check["lost_s"] == 0 and check["unwatched_credit_s"] == 0
    assert check["credited_s"] <= check["watched_s"]
    assert "heartbeats ÷ floor" in (tmp_path / "summary.md").read_text()
