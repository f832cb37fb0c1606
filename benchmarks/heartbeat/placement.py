"""Which CPUs each process of a run may use: the server under test apart from what drives it.

On a small machine the load generator, the flusher and the server otherwise take turns on the same
cores, and a ratio of throughputs then mixes the server's cost per request with the generator's
(which differs by phase: a simulated learner costs the generator more than a floor request). With
``--server-cpus`` the gunicorn processes get their own CPUs and the load generator and flusher the
rest (the flusher at a lower priority: like Celery in production, it works off its stream behind
the web tier and catches up between phases). MariaDB and Redis keep every CPU, as the system runs
them (so their work, the flusher's writes included, can still take the server's core: see
docs/performance.md). The report gives each phase's server CPU use, so a phase the generator could
not saturate shows.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

FLUSHER_NICE = 10


@dataclass(frozen=True)
class Placement:
    """CPU sets of the server and of the drivers (empty: anywhere)."""

    server: frozenset[int]
    drivers: frozenset[int]

    def for_server(self) -> Callable[[], None] | None:
        """``preexec_fn`` of gunicorn (its workers inherit the set)."""
        return _pin(self.server) if self.server else None

    def for_generator(self) -> Callable[[], None] | None:
        """``preexec_fn`` of the load generator."""
        return _pin(self.drivers) if self.drivers else None

    def for_flusher(self) -> Callable[[], None]:
        """``preexec_fn`` of the flusher: the drivers' CPUs, below them in priority."""
        pin = _pin(self.drivers) if self.drivers else None

        def apply() -> None:
            if pin:
                pin()
            os.nice(FLUSHER_NICE)

        return apply

    def describe(self) -> str:
        """One line for the report."""
        if not self.server:
            return "no CPU placement (every process on every CPU)"
        return (
            f"server on CPU {sorted(self.server)}, load generator and flusher (nice {FLUSHER_NICE}) on "
            f"CPU {sorted(self.drivers)}"
        )


def _pin(cpus: frozenset[int]) -> Callable[[], None]:
    def apply() -> None:
        os.sched_setaffinity(0, cpus)

    return apply


def parse(spec: str, available: set[int] | None = None) -> Placement:
    """``auto`` (half the CPUs, rounded down, for the server), ``none``, or a list such as ``0`` / ``0,1``."""
    cpus = set(available if available is not None else os.sched_getaffinity(0))
    if spec == "none" or len(cpus) < 2:
        return Placement(frozenset(), frozenset())
    ordered = sorted(cpus)
    if spec == "auto":
        server = set(ordered[: max(1, len(ordered) // 2)])
    else:
        try:
            server = {int(part) for part in spec.split(",") if part.strip()}
        except ValueError as exc:
            raise SystemExit(f"--server-cpus: not a CPU list: {spec!r}") from exc
        if not server or not server < cpus:
            raise SystemExit(f"--server-cpus: {spec!r} must name some, not all, of CPUs {ordered}")
    return Placement(frozenset(server), frozenset(cpus - server))


SERVICE_NAMES = ("mariadbd", "mysqld", "redis-server")


def service_threads(names: tuple[str, ...] = SERVICE_NAMES) -> list[tuple[int, int]]:
    """``(process id, thread id)`` of every thread of the local MariaDB and Redis servers."""
    threads: list[tuple[int, int]] = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/comm") as comm:
                if comm.read().strip() not in names:
                    continue
            threads += [(int(entry.name), int(t)) for t in os.listdir(f"/proc/{entry.name}/task")]
        except OSError:
            continue  # the process ended meanwhile
    return threads


class ServicesMoved:
    """For the length of a run, keep MariaDB's and Redis's threads on ``cpus``; restore them after.

    In production they are other machines; on one VM their work (the flusher's commits among it)
    otherwise lands on the server's core and is counted as the server's. Threads started during the
    run inherit the set and are restored with the others, to their process's original set. Needs
    the right to change another process's affinity (root, or the same user); without it the run
    goes on unmoved and the report says so.
    """

    def __init__(self, cpus: frozenset[int]) -> None:
        self.cpus = cpus
        self.original: dict[int, set[int]] = {}
        self.moved = 0
        self.refused = 0

    def __enter__(self) -> ServicesMoved:
        self.move()
        return self

    def __exit__(self, *exc: object) -> None:
        self.restore()

    def move(self) -> None:
        """Pin every current thread of the services to ``cpus``, remembering each process's set."""
        for pid, tid in service_threads() if self.cpus else []:
            try:
                self.original.setdefault(pid, set(os.sched_getaffinity(pid)))
                os.sched_setaffinity(tid, self.cpus)
                self.moved += 1
            except OSError:
                self.refused += 1

    def restore(self) -> None:
        """Give every thread of the moved processes, old or new, its process's original set."""
        for pid, tid in service_threads() if self.original else []:
            if pid in self.original:
                try:
                    os.sched_setaffinity(tid, self.original[pid])
                except OSError:
                    continue  # the thread ended

    def describe(self) -> str:
        """One line for the report."""
        if not self.cpus:
            return "MariaDB and Redis on any CPU"
        line = f"MariaDB and Redis ({self.moved} threads) on CPU {sorted(self.cpus)}"
        return line + (f"; {self.refused} threads could not be moved" if self.refused else "")


def services_cpus(spec: str, place: Placement) -> frozenset[int]:
    """``drivers`` (the drivers' CPUs), ``none``, or a list such as ``1``."""
    if spec == "none":
        return frozenset()
    if spec == "drivers":
        return place.drivers
    try:
        cpus = frozenset(int(part) for part in spec.split(",") if part.strip())
    except ValueError as exc:
        raise SystemExit(f"--services-cpus: not a CPU list: {spec!r}") from exc
    if not cpus or not cpus <= set(os.sched_getaffinity(0)):
        raise SystemExit(f"--services-cpus: {spec!r} must name CPUs of this machine")
    return cpus
