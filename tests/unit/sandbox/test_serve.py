"""``make sandbox`` ends with the URL and the demo logins README.md lists, after the server's own output.

It used to end with runserver's banner, so the logins printed by the seed command scrolled away.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

from sandbox.serve import banner

REPO = Path(__file__).resolve().parents[3]
README_LOGIN = re.compile(r"^\| `([a-z0-9_]+)` \|", re.MULTILINE)
BANNER_LOGIN = re.compile(r"^  (\S+)  ", re.MULTILINE)

# A stand-in server: prints a banner like runserver's, then listens a moment later.
FAKE_SERVER = """
import socket, sys, time
print("Starting development server at http://127.0.0.1:%s/", flush=True)
time.sleep(0.5)
listener = socket.create_server(("127.0.0.1", int(sys.argv[1])))
while True:
    listener.accept()[0].close()
"""


def test_the_printed_logins_are_the_ones_readme_lists() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    printed = "\n".join(banner("http://localhost:8000/"))
    assert set(BANNER_LOGIN.findall(printed)) == set(README_LOGIN.findall(readme))
    password = re.search(r"password ([\w-]+)", printed)
    assert password and f"password `{password.group(1)}`" in readme
    assert "http://localhost:8000/" in printed and "http://localhost:8000" in readme
    assert BANNER_LOGIN.findall(printed)[-1] == printed.splitlines()[-1].split()[0]  # logins come last


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_block_is_printed_last_once_the_server_answers() -> None:
    port = free_port()
    command = [sys.executable, "-m", "sandbox.serve", f"127.0.0.1:{port}", "--"]
    command += [sys.executable, "-c", FAKE_SERVER, str(port)]
    wrapper = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    expected = banner(f"http://localhost:{port}/")
    lines: list[str] = []
    # A blocked readline cannot see a deadline: a timer ends the group, so the read meets EOF.
    watchdog = threading.Timer(30, os.killpg, (wrapper.pid, signal.SIGTERM))
    watchdog.start()
    try:
        assert wrapper.stdout is not None
        while lines[-len(expected) :] != expected:
            line = wrapper.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
    finally:
        watchdog.cancel()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(wrapper.pid, signal.SIGTERM)  # the group this test started: wrapper and stand-in
        wrapper.wait(timeout=10)
    assert lines[-len(expected) :] == expected, lines  # the logins close the output
    assert lines[0].startswith("Starting development server")  # after the server's own banner
