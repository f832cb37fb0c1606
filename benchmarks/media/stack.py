"""The served side of a run: uWSGI as Tutor runs the LMS, Tutor's public Caddy and the private file server.

All three are pinned to the server's CPUs (``--server-cpus``). uWSGI is the heartbeat benchmark's
``Server`` (Tutor's own ``uwsgi.ini``: two single-threaded workers behind uWSGI's HTTP router).
Caddy runs the Caddyfile ``tutor config save`` rendered (``caddy.py``), plus one more site on its
own port that proxies the media folder with no check: the unprotected peer.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import time
from pathlib import Path

from benchmarks.heartbeat.placement import Placement
from benchmarks.heartbeat.processes import Server, free_port

from . import caddy


class Stack:
    """uWSGI, the public Caddy (the guarded site and the plain one) and the media file server."""

    def __init__(self, args: argparse.Namespace, env: dict[str, str], out: Path, place: Placement) -> None:
        self.server = Server(args, env, out, place)
        binary = caddy.binary()
        site, self.plain_port, files = free_port(), free_port(), f"127.0.0.1:{free_port()}"
        self.site_port = site
        rendered, compose = caddy.render(out / "tutor")
        text = caddy.adapt(rendered, lms=f"127.0.0.1:{self.server.port}", files=files)
        text += caddy.plain_site(self.plain_port, files)
        (out / "Caddyfile").write_text(text, encoding="utf-8")
        home = out / "caddy-home"
        home.mkdir(exist_ok=True)
        caddy_env = caddy.environment(home, site)
        media_root = Path(env["XUESHI_BENCH_MEDIA_ROOT"])
        self.logs = [(out / "caddy-files.log").open("wb"), (out / "caddy.log").open("wb")]
        self.files = subprocess.Popen(
            caddy.files_command(compose, caddy=binary, root=media_root, listen=files),
            env=caddy_env,
            stdout=self.logs[0],
            stderr=subprocess.STDOUT,
            preexec_fn=place.for_server(),
        )
        # The proxy snippet's access log goes to stdout: written, as in Tutor, then dropped.
        self.public = subprocess.Popen(
            [binary, "run", "--adapter", "caddyfile", "--config", str(out / "Caddyfile")],
            env=caddy_env,
            stdout=subprocess.DEVNULL,
            stderr=self.logs[1],
            preexec_fn=place.for_server(),
        )
        self.files_port = int(files.rsplit(":", 1)[1])

    @property
    def guarded_url(self) -> str:
        return f"http://127.0.0.1:{self.site_port}"

    @property
    def plain_url(self) -> str:
        return f"http://127.0.0.1:{self.plain_port}"

    def wait_ready(self) -> None:
        """uWSGI's workers up, and both Caddy processes listening."""
        self.server.wait_ready()
        for port in (self.files_port, self.site_port, self.plain_port):
            deadline = time.monotonic() + 30
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                        break
                except OSError:
                    if time.monotonic() > deadline or self.public.poll() is not None:
                        raise SystemExit(f"Caddy does not listen on {port}; see caddy.log") from None
                    time.sleep(0.1)

    def pids(self) -> dict[str, list[int]]:
        """Server processes by group: Django (uWSGI workers), uWSGI's master and router, the Caddys."""
        found = self.server.pids()
        return {
            "django": [pid for name, pid in found.items() if "-worker-" in name],
            "uwsgi": [pid for name, pid in found.items() if "-worker-" not in name],
            "caddy": [self.public.pid],
            "files": [self.files.pid],
        }

    def stop(self) -> None:
        for process in (self.public, self.files):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        self.server.stop()
        for handle in self.logs:
            handle.close()
