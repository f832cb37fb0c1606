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
            f"CPU {sorted(self.drivers)}; MariaDB and Redis on any"
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
