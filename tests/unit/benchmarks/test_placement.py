"""CPU placement of a benchmark run: which CPUs the server, the drivers and the services get."""

from __future__ import annotations

import pytest

from benchmarks.heartbeat import placement


def test_auto_gives_the_server_half_the_cpus_and_the_drivers_the_rest() -> None:
    place = placement.parse("auto", {0, 1, 2, 3})
    assert place.server == {0, 1} and place.drivers == {2, 3}
    assert "server on CPU [0, 1]" in place.describe()


def test_none_or_a_single_cpu_places_nothing() -> None:
    assert placement.parse("none", {0, 1}).server == frozenset()
    assert placement.parse("auto", {0}).server == frozenset()


@pytest.mark.parametrize("spec", ["0,1", "x", "", "7"])
def test_a_server_list_must_name_some_but_not_all_cpus(spec: str) -> None:
    with pytest.raises(SystemExit, match="--server-cpus"):
        placement.parse(spec, {0, 1})


def test_services_follow_the_drivers_or_a_list() -> None:
    place = placement.parse("auto", {0, 1})
    assert placement.services_cpus("drivers", place) == {1}
    assert placement.services_cpus("none", place) == frozenset()
    with pytest.raises(SystemExit, match="--services-cpus"):
        placement.services_cpus("one", place)
