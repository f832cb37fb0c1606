"""The processes of a run: the benchmark database, the web server (uWSGI or gunicorn), and locust."""

from __future__ import annotations

import argparse
import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from . import report, serverlog, uwsgi
from .placement import Placement
from .procstat import children

REPO = Path(__file__).resolve().parents[2]


def create_database(url: str) -> None:
    """``CREATE DATABASE IF NOT EXISTS`` for the benchmark database."""
    from urllib.parse import unquote, urlparse

    import MySQLdb

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"unsafe database name: {name!r}")
    conn = MySQLdb.connect(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 3306,
        user=unquote(parsed.username or "root"),
        passwd=unquote(parsed.password or ""),
    )
    conn.cursor().execute(
        f"CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
    )
    conn.close()


def free_port() -> int:
    """A port nobody listens on right now (never 8000)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """The web server under test, serving ``sandbox.wsgi`` with the benchmark settings.

    ``gunicorn`` (the default: ``--workers`` × ``--threads`` gthread) or ``uwsgi``: Tutor 22's LMS
    server with Tutor's own ``uwsgi.ini`` (``uwsgi.py``), single-threaded workers unless asked.
    """

    def __init__(
        self, args: argparse.Namespace, env: dict[str, str], out: Path, placement: Placement
    ) -> None:
        self.kind, self.port = args.server, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        access_log = (out / "access.log").resolve() if args.server_timing else None
        if self.kind == "uwsgi":
            config = out / "uwsgi.ini"
            config.write_text(
                uwsgi.ini(
                    port=self.port,
                    processes=args.workers,
                    threads=args.threads,
                    repo=REPO,
                    access_log=access_log,
                    static_maps=tuple(filter(None, [getattr(args, "static_map", "")])),
                )
            )
            command = [str(Path(sys.executable).parent / "uwsgi"), "--ini", str(config)]
        else:
            command = gunicorn_command(args, self.port, access_log)
        self.log = (out / "server.log").open("w")
        self.process = subprocess.Popen(
            command,
            cwd=REPO,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            preexec_fn=placement.for_server(),
        )
        self.workers = args.workers

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Wait until every worker has started and the floor view answers."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.kind} exited; see server.log")
            try:
                request = urllib.request.Request(self.url + "/bench/floor", method="POST", data=b"{}")
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status == 204 and len(self._children()[0]) >= self.workers:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"{self.kind} did not become ready; see server.log")

    def _children(self) -> tuple[list[int], list[int]]:
        """The master's live children: ``(workers, HTTP routers)``; gunicorn has only workers."""
        if self.kind != "uwsgi":
            return children(self.process.pid), []
        workers, routers = [], []
        for pid in children(self.process.pid):
            role = _uwsgi_role(pid)
            if role == "worker":
                workers.append(pid)
            elif role == "http":
                routers.append(pid)
        return workers, routers

    def pids(self) -> dict[str, int]:
        """The master, its workers (first) and uWSGI's HTTP router, by name."""
        found = {f"{self.kind}-master": self.process.pid}
        workers, routers = self._children()
        found.update({f"{self.kind}-worker-{n}": pid for n, pid in enumerate(workers)})
        found.update({f"{self.kind}-http-{n}": pid for n, pid in enumerate(routers)})
        return found

    def stop(self) -> None:
        """Graceful stop."""
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def gunicorn_command(args: argparse.Namespace, port: int, access_log: Path | None) -> list[str]:
    """gunicorn with ``--workers`` × ``--threads`` (``gthread``) or ``sync`` workers."""
    command = [
        sys.executable, "-m", "gunicorn", "sandbox.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
        "--worker-class", args.worker_class,
        # gunicorn turns "sync" into "gthread" when threads > 1
        "--threads", str(args.threads if args.worker_class == "gthread" else 1),
        "--keep-alive", "75", "--backlog", "2048", "--log-level", "warning",
    ]  # fmt: skip
    if access_log:
        command += ["--access-logfile", str(access_log), "--access-logformat", serverlog.FORMAT]
    return command


def _uwsgi_role(pid: int) -> str:
    try:
        return uwsgi.role(Path(f"/proc/{pid}/cmdline").read_bytes())
    except OSError:
        return "gone"


class LoadGenerator:
    """The locust process, kept for the whole run and fed one phase at a time."""

    def __init__(self, out: Path, env: dict[str, str], placement: Placement) -> None:
        self.out, self.started = out, time.time()
        command = [sys.executable, "-m", "benchmarks.heartbeat.load"]
        self.process = subprocess.Popen(
            command,
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            preexec_fn=placement.for_generator(),
        )

    def phase(self, name: str, kind: str, config: dict[str, Any], profile_pid: int = 0) -> dict[str, Any]:
        """Run one phase and return its result."""
        config = {**config, "phase": name, "kind": kind, "out": str(self.out / f"{name}.json")}
        (self.out / f"{name}.config.json").write_text(json.dumps(config))
        accounts = len(config.get("learners", [])) if kind == "heartbeat" else 0
        log(f"{name}: {config['users']} connections" + (f", {accounts} learners" if accounts else ""))
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(config) + "\n")
        self.process.stdin.flush()
        if profile_pid:  # collapsed stacks of one worker (py-spy needs ptrace rights: root or CAP_SYS_PTRACE)
            spy = [str(Path(sys.executable).parent / "py-spy"), "record", "--format", "raw"]
            spy += ["--pid", str(profile_pid), "--duration", str(int(config["duration"] + 20))]
            spy += ["--output", str(self.out / f"{name}.pyspy.txt")]
            subprocess.run(spy, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        if self.process.stdout.readline().strip() != "done":
            raise SystemExit(f"the load generator failed during {name}")
        result: dict[str, Any] = json.loads(Path(config["out"]).read_text())
        log(f"{name}: {report.phase_line(result)}")
        return result

    def stop(self, *, abort: bool = False) -> None:
        """Close its input so it exits (or end it now, when the run is being aborted)."""
        if abort:
            self.process.terminate()
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


STARTED = time.time()


def log(message: str) -> None:
    """Progress, with seconds since the start."""
    print(f"[bench {time.time() - STARTED:6.1f}s] {message}", flush=True)
