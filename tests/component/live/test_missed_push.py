"""A push that started and stopped between two checks with its start callback lost (ADR 0358, later):
the next check finds the lesson off air, reads the provider's push history (signed, through the
SDK; the sandbox answers from its real pushes, page by page) and records the push as a closed
interval, credited; asking again and the late callbacks change nothing. Lists longer than a page
are read to the end; a failed or garbled history changes nothing and raises nothing."""

from __future__ import annotations

import logging
import time

import pytest

from xueshi_livestream import api, events, history, query, reconcile
from xueshi_livestream.models import OnAir
from xueshi_livestream.providers import START, STOP, StreamEvent
from xueshi_studytime import onair
from xueshi_studytime.livecredit import timeline
from xueshi_studytime.sessions import short_hash

from .test_providers import USAGE

pytestmark = [pytest.mark.component]
STREAM = "lesson_3"
HISTORY = {"tencent": "DescribeLiveStreamPublishedList", "aliyun": "DescribeLiveStreamsPublishList"}
ONLINE = {"tencent": "DescribeLiveStreamOnlineList", "aliyun": "DescribeLiveStreamsOnlineList"}


def _spans() -> list[tuple[float, float | None]]:
    return [(i.started_at.timestamp(), i.ended_at and i.ended_at.timestamp()) for i in OnAir.objects.all()]


def _credited() -> list[tuple[float, float]]:
    return [(a, b) for a, b in timeline(onair.read(short_hash(str(USAGE))), 0, time.time() + 3600)]


@pytest.mark.parametrize("provider_sandbox", ["tencent", "aliyun"], indirect=True)
def test_a_push_between_two_checks_with_both_callbacks_lost_is_recorded(provider_sandbox, push):
    sandbox = provider_sandbox
    api.register(USAGE, STREAM, time.time() - 60, time.time() + 3600)
    assert reconcile.check().as_dict()["recorded"] == []  # a check: off air, nothing in the history
    push(STREAM, lose_start=True)
    time.sleep(2.2)
    sandbox.stop(STREAM, lose_stop=True)  # a short push, both callbacks lost, all between two checks
    (_key, started, stopped) = sandbox.ended[-1]
    assert not OnAir.objects.exists()

    assert reconcile.check().as_dict() == {
        "live": [],
        "closed": [],
        "opened": [],
        "recorded": [STREAM],
        "failed": [],
    }
    interval = OnAir.objects.get()
    assert _spans() == [(int(started), int(stopped))]  # the history's times (whole seconds)
    assert interval.sequence == reconcile.RECOVERED
    assert api.state(USAGE).phase == "paused"
    assert _credited() == [(int(started), int(stopped))]  # the ledger credits those who watched

    assert reconcile.check().as_dict()["recorded"] == [] and _spans() == [(int(started), int(stopped))]
    assert sandbox.notify(STREAM, "start", "late", at=started) == 200  # the lost callbacks, retried late
    assert sandbox.notify(STREAM, "stop", "late", at=stopped) == 200
    assert _spans() == [(int(started), int(stopped))] and _credited() == [(int(started), int(stopped))]

    again = int(stopped) + 2  # the teacher pushes again (callbacks fine); the old stop's retry comes after
    events.apply(StreamEvent(START, STREAM, again, "next"))
    events.apply(StreamEvent(STOP, STREAM, stopped, "late-again"))  # an earlier push's stop: ignored
    assert _spans() == [(int(started), int(stopped)), (again, None)]


@pytest.mark.parametrize("provider_sandbox", ["tencent"], indirect=True)
def test_a_push_whose_stop_callback_found_nothing_open_is_recorded(provider_sandbox, push):
    sandbox = provider_sandbox
    api.register(USAGE, STREAM, time.time() - 60, time.time() + 3600)
    push(STREAM, lose_start=True)
    time.sleep(1.2)
    sandbox.stop(STREAM)  # the stop callback comes and finds nothing open: no change
    (_key, started, stopped) = sandbox.ended[-1]
    assert sandbox.callbacks[:2] == [f"start {STREAM} -> lost", f"stop {STREAM} -> 200"]
    assert not OnAir.objects.exists()

    assert reconcile.check().recorded == [STREAM]
    assert _spans() == [(int(started), int(stopped))] and _credited() == [(int(started), int(stopped))]


@pytest.mark.parametrize("provider_sandbox", ["tencent", "aliyun"], indirect=True)
def test_history_records_on_page_two_overlapping_or_covered_make_no_overlapping_intervals(
    provider_sandbox, monkeypatch
):
    sandbox = provider_sandbox
    monkeypatch.setattr(history, "PAGE", 10)
    t0 = int(time.time()) - 120
    api.register(USAGE, STREAM, t0 + 60, t0 + 3600)
    events.apply(StreamEvent(START, STREAM, t0, "seq-1"))  # a push both callbacks recorded
    events.apply(StreamEvent(STOP, STREAM, t0 + 10, "seq-1"))
    app = sandbox.app
    others = [(f"{app}/{STREAM}{n}", t0 + n, t0 + n + 5) for n in range(12)]  # Tencent matches fuzzily
    sandbox.ended.extend(others if sandbox.provider == "tencent" else [])
    sandbox.ended.extend(
        [
            (f"{app}/{STREAM}", t0, t0 + 10),  # the recorded push
            (f"{app}/{STREAM}", t0 + 5, t0 + 15),  # overlapping it: its rest
            (f"{app}/{STREAM}", t0 + 20, t0 + 30),
            (f"{app}/{STREAM}", t0 + 28, t0 + 40),  # overlapping the one before
            (f"{app}/{STREAM}", t0 + 40, t0 + 45),  # touching it
            *[(f"{app}/{STREAM}", t0 + 50 + n, t0 + 51 + n) for n in range(0, 14, 2)],  # a flaky encoder
        ]
    )
    assert reconcile.check().recorded == [STREAM]
    flaky = [(t0 + 50.0 + n, t0 + 51.0 + n) for n in range(0, 14, 2)]
    wanted = [(t0, t0 + 10), (t0 + 10, t0 + 15), (t0 + 20, t0 + 45), *flaky]
    assert _spans() == wanted
    pages = [q for q in sandbox.queries if q.startswith(HISTORY[sandbox.provider])]
    assert len(pages) == (2 if sandbox.provider == "aliyun" else 3)  # 12 records (+ 12 of other lessons)
    assert reconcile.check().recorded == [] and _spans() == wanted  # asking again adds nothing


@pytest.mark.parametrize("provider_sandbox", ["tencent", "aliyun"], indirect=True)
def test_more_streams_online_than_a_page_are_all_read(provider_sandbox, push, monkeypatch, caplog):
    sandbox = provider_sandbox
    monkeypatch.setattr(query, "ONLINE_PAGE", 10)
    sandbox.others.update({f"a_other_{n:02}": time.time() - 60 for n in range(15)})  # before ours by name
    api.register(USAGE, STREAM, time.time() - 60, time.time() + 3600)
    push(STREAM, lose_start=True)

    names = [entry["StreamName"] for entry in query.online()]
    assert len(names) == 16 and names.index(STREAM) == 15  # on page two
    assert sandbox.queries == [f"{ONLINE[sandbox.provider]}: answered"] * 2
    assert reconcile.check().opened == [STREAM]

    monkeypatch.setattr(query, "MAX_PAGES", 1)
    with caplog.at_level(logging.WARNING, logger="xueshi_livestream.query"):
        assert len(query.online()) == 10  # capped, and said so
    assert "only the first 1 were read" in caplog.text


@pytest.mark.parametrize("provider_sandbox", ["tencent", "aliyun"], indirect=True)
def test_a_failed_or_garbled_history_changes_nothing_and_raises_nothing(provider_sandbox, push, caplog):
    sandbox = provider_sandbox
    api.register(USAGE, STREAM, time.time() - 60, time.time() + 3600)
    push(STREAM, lose_start=True)
    time.sleep(1.2)
    sandbox.stop(STREAM, lose_stop=True)
    for how in ("error", "garbled"):
        sandbox.failing[HISTORY[sandbox.provider]] = how
        with caplog.at_level(logging.WARNING, logger="xueshi_livestream.reconcile"):
            assert reconcile.check().as_dict()["failed"] == [STREAM]
        assert f"live stream {STREAM}: push history unknown" in caplog.text
        assert not OnAir.objects.exists() and api.state(USAGE).phase == "paused"

    sandbox.failing.clear()
    assert reconcile.check().recorded == [STREAM] and OnAir.objects.count() == 1
