"""``python -m sandbox.serve [HOST:PORT] [-- COMMAND…]``: start the server, then print where to go.

``make sandbox`` used to end with runserver's own banner, so the demo URL and logins printed by
the seed command had scrolled away behind it. This wrapper starts the server (by default
``manage.py runserver HOST:PORT``) with its output going straight to the terminal, waits until
the port answers, and only then prints the URL and every demo login: the last lines a newcomer
sees are the ones they need. Ctrl-C stops the server as before.

With the default command (``make sandbox``) the WeChat Pay and Alipay sandboxes start beside the
site (``sandbox/payment_sandboxes.py``), and the live provider sandbox (``sandbox/live/site.py``);
their pages are listed before the logins, and they stop with it. A command given after ``--`` runs alone.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Any, TextIO

DEFAULT_ADDRESS = "127.0.0.1:8000"
WAIT_SECONDS = 300.0


def site_url(address: str) -> str:
    """The URL to open for a bind address (a loopback or wildcard bind is ``localhost``)."""
    host, _, port = address.rpartition(":")
    if host in ("", "127.0.0.1", "0.0.0.0", "::", "[::]", "localhost"):  # noqa: S104  (display only)
        host = "localhost"
    return f"http://{host}:{port}/"


def role_of(user: Any) -> str:
    """How a demo login is described: its role when it names one, else staff or learner."""
    return str(getattr(user, "role", "") or ("staff" if user.staff else "learner"))


def banner(url: str, extra: Sequence[str] = ()) -> list[str]:
    """The closing block: the URL, then every demo login (``xueshi_core.demo``) and the password.

    The learners and the operator first, then the auditor and the regional supervisor, whose
    role (group) is printed so a newcomer knows which login shows what.
    """
    from xueshi_core.demo import DEMO_PASSWORD, DEMO_ROLE_USERS, DEMO_USERS

    logins = [(u.username, role_of(u), u.full_name) for u in DEMO_USERS]
    logins += [(username, group.removeprefix("xueshi_"), name) for username, name, group in DEMO_ROLE_USERS]
    width = max(len(username) for username, _role, _name in logins)
    lines = ["", "=" * 60, f"Xueshi sandbox: {url}  (Ctrl-C stops it)", *extra]
    lines.append(f"Demo logins (password {DEMO_PASSWORD}):")
    return lines + [f"  {username:<{width}}  {role:<16}  {name}" for username, role, name in logins]


def port_answers(host: str, port: int) -> bool:
    """Whether something accepts connections at ``host:port`` now."""
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def wait_for_port(process: subprocess.Popen[Any], host: str, port: int, timeout: float) -> bool:
    """Poll until the server listens; ``False`` if it exits first or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if port_answers(host, port):
            return True
        time.sleep(0.2)
    return False


def connect_host_of(address: str) -> str:
    """The host to connect to for a bind address (a wildcard bind answers on loopback)."""
    host = address.rpartition(":")[0]
    return "127.0.0.1" if host in ("", "0.0.0.0", "localhost") else host.strip("[]")  # noqa: S104


def serve(
    command: Sequence[str],
    address: str,
    out: TextIO = sys.stdout,
    timeout: float = WAIT_SECONDS,
    extra_env: dict[str, str] | None = None,
    extra_banner: Sequence[str] = (),
) -> int:
    """Run ``command`` (a server bound to ``address``), print the banner once it answers; its exit code."""
    port = address.rpartition(":")[2]
    connect_host = connect_host_of(address)
    env = dict(os.environ, DJANGO_RUNSERVER_HIDE_WARNING="true", **(extra_env or {}))
    process = subprocess.Popen(list(command), env=env)
    signal.signal(signal.SIGTERM, lambda *_: process.terminate())
    try:
        if wait_for_port(process, connect_host, int(port), timeout):
            out.write("\n".join(banner(site_url(address), extra_banner)) + "\n")
            out.flush()
        return process.wait()
    except KeyboardInterrupt:  # the terminal sent SIGINT to the server too: let it finish
        return process.wait()


def main(argv: Sequence[str] | None = None) -> int:
    """``[HOST:PORT] [-- COMMAND…]``; the default command is ``manage.py runserver HOST:PORT``."""
    args = list(sys.argv[1:] if argv is None else argv)
    command: list[str] = []
    if "--" in args:
        split = args.index("--")
        args, command = args[:split], args[split + 1 :]
    address = args[0] if args else DEFAULT_ADDRESS
    if command:
        return serve(command, address)
    from sandbox import payment_sandboxes
    from sandbox.live import site as live_site

    sandboxes = payment_sandboxes.start()
    origin = f"http://{connect_host_of(address)}:{address.rpartition(':')[2]}"
    live = live_site.start(origin, payment_sandboxes.pick_port(live_site.PORT))
    try:
        sandboxes.wait()
        return serve(
            [sys.executable, "manage.py", "runserver", address],
            address,
            extra_env={**sandboxes.env(origin), **live.env()},
            extra_banner=[*sandboxes.banner(), *live.banner()],
        )
    finally:
        live.stop()
        sandboxes.stop()


if __name__ == "__main__":
    sys.exit(main())
