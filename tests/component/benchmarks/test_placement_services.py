"""Moving the local MariaDB's and Redis's threads for a benchmark run, and putting them back."""

from __future__ import annotations

import os

import pytest

from benchmarks.heartbeat import placement


def _affinities() -> dict[int, frozenset[int]]:
    found = {}
    for _pid, tid in placement.service_threads():
        try:
            found[tid] = frozenset(os.sched_getaffinity(tid))
        except OSError:
            continue
    return found


def test_services_are_moved_for_the_run_and_restored_after() -> None:
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        pytest.skip("moving services apart needs two CPUs")
    before = _affinities()
    assert before, "MariaDB and Redis run on this machine (make services)"
    target = frozenset({cpus[-1]})
    with placement.ServicesMoved(target) as moved:
        during = _affinities()
        assert moved.moved >= len(before) - 1 and moved.refused == 0
        assert all(during[tid] == target for tid in during if tid in before)
        assert f"CPU [{cpus[-1]}]" in moved.describe()
    after = _affinities()
    assert {tid: after[tid] for tid in before if tid in after} == {
        tid: aff for tid, aff in before.items() if tid in after
    }
