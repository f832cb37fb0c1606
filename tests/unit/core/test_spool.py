"""The local spool keeps every record until a writer took it, in order, across failures and races."""

from __future__ import annotations

import threading

import pytest
from django.test import override_settings

from xueshi_core import spool
from xueshi_core.masking import coarse_ip


@pytest.fixture(autouse=True)
def folder(tmp_path):
    with override_settings(XUESHI_SPOOL_DIR=str(tmp_path)):
        yield tmp_path


def test_a_failing_writer_keeps_what_it_did_not_write_and_the_next_drain_resumes():
    for n in range(5):
        spool.append("audit", {"n": n})
    taken: list[int] = []

    def flaky(record):
        if record["n"] == 2 and not taken.count(-1):
            taken.append(-1)
            raise ConnectionError("database still down")
        taken.append(record["n"])

    with pytest.raises(ConnectionError):
        spool.drain("audit", flaky)
    assert taken == [0, 1, -1] and spool.pending("audit") == 3
    spool.append("audit", {"n": 5})  # written meanwhile: waits behind the older ones
    assert spool.drain("audit", flaky) == 4
    assert taken == [0, 1, -1, 2, 3, 4, 5] and spool.pending("audit") == 0 and spool.kinds() == {}


def test_appends_racing_a_drain_are_never_lost():
    seen: list[int] = []
    writers = [
        threading.Thread(target=lambda i=i: [spool.append("race", {"n": i * 100 + k}) for k in range(50)])
        for i in range(4)
    ]
    for thread in writers:
        thread.start()
    while any(thread.is_alive() for thread in writers):
        spool.drain("race", lambda record: seen.append(record["n"]))
    for thread in writers:
        thread.join()
    spool.drain("race", lambda record: seen.append(record["n"]))
    assert sorted(seen) == sorted(i * 100 + k for i in range(4) for k in range(50))


def test_bad_kinds_are_refused():
    with pytest.raises(ValueError):
        spool.append("../etc", {})


@pytest.mark.parametrize(
    ("ip", "network"),
    [
        ("202.96.128.86", "202.96.128.0"),
        ("2408:8207:1234:5678::1", "2408:8207:1234::"),
        ("x", None),
        (None, None),
    ],
)
def test_retired_ips_keep_only_their_network(ip, network):
    assert coarse_ip(ip) == network
