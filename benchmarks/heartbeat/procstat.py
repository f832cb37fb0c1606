"""CPU time and memory of server processes, read from ``/proc`` (Linux)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable

TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def cpu_seconds(pids: Iterable[int]) -> float:
    """User + system CPU seconds used so far by ``pids`` (processes that are gone count 0)."""
    total = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14, 15)
    return total


def rss_bytes(pid: int) -> int:
    """Resident set size of ``pid`` (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE
    except OSError:
        return 0


def children(pid: int) -> list[int]:
    """Live direct child processes of ``pid`` (the server's workers and routers).

    Zombies are left out: a process that has exited but is not yet reaped has no title and no
    memory, and counting it made phantom 0 MB processes in the figures while the server stopped.
    """
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                state, parent = handle.read().rsplit(")", 1)[1].split()[:2]
            ppid = int(parent)
        except (OSError, ValueError, IndexError):
            continue
        if ppid == pid and state not in ("Z", "X"):
            found.append(int(entry))
    return sorted(found)


class Sampler(threading.Thread):
    """Samples the RSS of a changing set of processes every ``interval`` seconds."""

    def __init__(self, pids: Callable[[], dict[str, int]], interval: float = 2.0) -> None:
        super().__init__(daemon=True)
        self.pids, self.interval = pids, interval
        self.samples: list[tuple[float, dict[str, int]]] = []
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            self.samples.append((time.time(), {name: rss_bytes(pid) for name, pid in self.pids().items()}))
            self._halt.wait(self.interval)

    def stop(self) -> None:
        """Stop sampling."""
        self._halt.set()
        self.join(timeout=5)

    def peak(self) -> dict[str, int]:
        """Highest RSS seen per process."""
        peaks: dict[str, int] = {}
        for _t, sample in self.samples:
            for name, rss in sample.items():
                peaks[name] = max(peaks.get(name, 0), rss)
        return peaks

    def between(self, start: float, end: float) -> list[tuple[float, dict[str, int]]]:
        """Samples taken in ``[start, end]``."""
        return [(t, s) for t, s in self.samples if start <= t <= end]
