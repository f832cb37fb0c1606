"""Which processes the benchmark counts as the server's: live children only."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from benchmarks.heartbeat.procstat import children, rss_bytes


def test_an_exited_child_not_yet_reaped_is_not_counted() -> None:
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    exited = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        deadline = time.monotonic() + 10
        while rss_bytes(exited.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        with open(f"/proc/{exited.pid}/stat") as handle:
            assert handle.read().rsplit(")", 1)[1].split()[0] == "Z", "the exited child is a zombie"

        found = children(os.getpid())

        assert alive.pid in found
        assert exited.pid not in found
    finally:
        alive.kill()
        alive.wait()
        exited.wait()
