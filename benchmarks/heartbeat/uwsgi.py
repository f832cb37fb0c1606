"""uWSGI as Tutor 22 runs the LMS: Tutor's own ``uwsgi.ini``, with only what a host needs changed.

Tutor builds its openedx image with ``uwsgi`` (``UWSGI_PROFILE_OVERRIDE=xml=no``) and starts the LMS
with ``templates/build/openedx/settings/uwsgi.ini``: uWSGI's HTTP router in front of
``$(UWSGI_WORKERS)`` single-threaded worker processes (2 by default, ``OPENEDX_LMS_UWSGI_WORKERS``),
a master, the app loaded before the fork, keep-alive on. The benchmark reads that template from the
installed ``tutor`` package, so it measures the server an operator really deploys, and changes
only what is about the container rather than the server: the address, the application (the
sandbox's, not ``lms/wsgi.py``), the static maps (the heartbeat run asks for no static file; the
path run maps ``/static`` to its collected files, as Tutor's image does) and the logs.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

TEMPLATE = "templates/build/openedx/settings/uwsgi.ini"
# uWSGI's Apache-style time and the request time in microseconds, as serverlog.LINE reads them.
LOG_FORMAT = "[%(ltime)] %(method) %(uri) %(status) %(micros)"
# Keys of Tutor's file that describe the container, replaced by this host's values.
REPLACED = {"http", "wsgi-file", "processes", "static-map"}


def tutor_options(text: str | None = None) -> list[tuple[str, str]]:
    """``(key, value)`` lines of Tutor's ``uwsgi.ini`` in order (keys may repeat), comments dropped."""
    if text is None:
        text = resources.files("tutor").joinpath(TEMPLATE).read_text()
    options = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";", "[")):
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise ValueError(f"Tutor's uwsgi.ini has a line this reader does not know: {raw!r}")
        options.append((key.strip(), value.strip()))
    return options


def ini(
    *,
    port: int,
    processes: int,
    threads: int,
    repo: Path,
    access_log: Path | None,
    tutor_text: str | None = None,
    static_maps: tuple[str, ...] = (),
) -> str:
    """The ``uwsgi.ini`` of a benchmark run: Tutor's options, this host's address and application.

    ``threads`` > 1 adds uWSGI threads (Tutor runs none); ``access_log`` logs each request with its
    time for the server-side percentiles, else request logging is off (as ``--no-server-timing``
    is for gunicorn).
    """
    kept = [(key, value) for key, value in tutor_options(tutor_text) if key not in REPLACED]
    ours = [
        ("http", f"127.0.0.1:{port}"),
        ("chdir", str(repo)),
        ("module", "sandbox.wsgi:application"),
        ("processes", str(processes)),
        # Names the processes (uWSGI master / worker N / http 1), so the report can tell them apart.
        ("auto-procname", "true"),
    ]
    ours += [("static-map", mapping) for mapping in static_maps]
    if threads > 1:
        ours.append(("threads", str(threads)))
    if access_log is None:
        ours.append(("disable-logging", "true"))
    else:
        ours += [("req-logger", f"file:{access_log}"), ("logformat", LOG_FORMAT)]
    return "[uwsgi]\n" + "".join(f"{key} = {value}\n" for key, value in kept + ours)


def role(cmdline: bytes) -> str:
    """``master``, ``worker``, ``http`` or ``other``, from a process's ``auto-procname`` title."""
    title = cmdline.split(b"\0", 1)[0].decode(errors="replace")
    for name in ("master", "worker", "http"):
        if title.startswith(f"uWSGI {name}"):
            return name
    return "other"
