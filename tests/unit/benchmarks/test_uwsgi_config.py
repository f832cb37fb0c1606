"""The benchmark serves the sandbox with Tutor 22's own ``uwsgi.ini``, changed only where a host must."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchmarks.heartbeat import serverlog, uwsgi


def _options(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for key, value in uwsgi.tutor_options(text):
        found.setdefault(key, []).append(value)
    return found


def test_the_installed_tutor_still_serves_the_lms_with_single_threaded_uwsgi_workers() -> None:
    """If Tutor changes how it serves the LMS, the benchmark's server must be looked at again."""
    tutor = dict(uwsgi.tutor_options())
    assert tutor["processes"] == "$(UWSGI_WORKERS)"
    assert tutor["http"].endswith(":8000")  # uWSGI's own HTTP router in front of the workers
    assert "threads" not in tutor
    assert (tutor["master"], tutor["lazy-apps"], tutor["http-keepalive"]) == ("true", "false", "1")


def test_the_run_keeps_tutors_options_and_replaces_only_the_hosts() -> None:
    tutor = uwsgi.tutor_options()
    text = uwsgi.ini(port=8123, processes=2, threads=1, repo=Path("/repo"), access_log=None)
    assert text.startswith("[uwsgi]\n")
    ours = _options(text)
    for key, value in tutor:
        if key in uwsgi.REPLACED:
            continue
        assert value in ours[key], key
    assert ours["http"] == ["127.0.0.1:8123"] and ours["processes"] == ["2"]
    assert ours["module"] == ["sandbox.wsgi:application"] and ours["chdir"] == ["/repo"]
    assert "wsgi-file" not in ours and "static-map" not in ours and "threads" not in ours
    assert ours["disable-logging"] == ["true"]


def test_threads_and_the_request_log_are_added_when_asked(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    ours = _options(uwsgi.ini(port=1, processes=1, threads=4, repo=tmp_path, access_log=log))
    assert ours["threads"] == ["4"]
    assert ours["req-logger"] == [f"file:{log}"] and ours["logformat"] == [uwsgi.LOG_FORMAT]
    assert "disable-logging" not in ours


def test_an_unknown_line_in_tutors_file_is_refused_not_skipped() -> None:
    with pytest.raises(ValueError, match="does not know"):
        uwsgi.tutor_options("[uwsgi]\nprocesses = 2\nsomething odd\n")
    assert uwsgi.tutor_options("[uwsgi]\n# note\n\nmaster = true\n") == [("master", "true")]


def test_process_titles_name_the_roles() -> None:
    assert uwsgi.role(b"uWSGI worker 1\0\0") == "worker"
    assert uwsgi.role(b"uWSGI http 1\0") == "http"
    assert uwsgi.role(b"uWSGI master\0") == "master"
    assert uwsgi.role(b"/usr/bin/python\0-m\0") == "other"


def test_the_request_log_line_of_uwsgi_is_read_like_gunicorns(tmp_path: Path) -> None:
    """A line as uWSGI wrote it with LOG_FORMAT (%(ltime) and %(micros)) in a smoke run."""
    log = tmp_path / "access.log"
    log.write_text("[23/Nov/2026:23:39:56 +0000] POST /api/xueshi/studytime/v1/heartbeats 200 1697\n")
    start = datetime(2026, 11, 23, 23, 39, 50, tzinfo=UTC).timestamp()
    assert serverlog.times(log, (start, start + 10))["heartbeat"]["p50_ms"] == 1.7
