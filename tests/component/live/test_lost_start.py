"""A lost push-start callback: the beat's check asks the provider about lessons scheduled now and
off air by our records (through the official SDK, signed; the sandbox verifies it and answers from
its real pushes) and opens the lesson as a start callback would, at the provider's publish time;
the late callback then changes nothing. Bad answers change nothing and raise nothing."""

from __future__ import annotations

import logging
import time

import pytest

from xueshi_livestream import api, events, reconcile
from xueshi_livestream.models import LiveStream, OnAir
from xueshi_livestream.providers import START, StreamEvent
from xueshi_studytime import onair
from xueshi_studytime.livecredit import timeline
from xueshi_studytime.sessions import short_hash

from .test_providers import USAGE

pytestmark = [pytest.mark.component]
STREAM = "lesson_2"


@pytest.mark.parametrize("provider_sandbox", ["tencent", "aliyun"], indirect=True)
def test_the_providers_state_opens_a_lesson_whose_start_callback_was_lost(provider_sandbox, push):
    sandbox = provider_sandbox
    api.register(USAGE, STREAM, time.time() - 60, time.time() + 3600)
    push(STREAM, lose_start=True)  # the teacher is live; the start callback never arrives
    started = sandbox.pushes[STREAM].started
    assert api.state(USAGE).phase == "paused" and sandbox.callbacks == [f"start {STREAM} -> lost"]
    time.sleep(1.2)  # the check comes a while after the push started

    assert reconcile.check().opened == [STREAM]
    interval = OnAir.objects.get()
    assert interval.started_at.timestamp() == int(started)  # the provider's publish time, whole seconds
    assert interval.sequence == reconcile.RECOVERED and interval.ended_at is None
    assert api.state(USAGE).phase == "on_air"  # learners can join
    hour_later = time.time() + 3600
    ((start, _end),) = timeline(onair.read(short_hash(str(USAGE))), 0, hour_later)
    assert start == int(started)  # the ledger credits attendance from the real start

    assert sandbox.notify(STREAM, "start", "late") == 200  # the lost callback, retried late
    assert OnAir.objects.count() == 1
    live = {"live": [STREAM], "closed": [], "opened": [], "recorded": [], "failed": []}
    assert reconcile.check().as_dict() == live
    sandbox.stop(STREAM)  # the stop callback comes
    closed = OnAir.objects.get()
    assert closed.ended_at is not None and api.state(USAGE).phase == "paused"
    events.apply(StreamEvent(START, STREAM, started + 1, "late-again"))  # a retry of the recorded push
    assert list(OnAir.objects.all()) == [closed] and reconcile.check().opened == []


@pytest.mark.parametrize("provider_sandbox", ["aliyun"], indirect=True)
def test_only_lessons_in_their_slot_are_asked_and_each_once_a_check(provider_sandbox, settings):
    now = time.time()
    api.register(USAGE, STREAM, now + 3 * 3600, now + 4 * 3600)  # later today: not asked
    nothing = {"live": [], "closed": [], "opened": [], "recorded": [], "failed": []}
    assert reconcile.check().as_dict() == nothing and provider_sandbox.queries == []

    api.register(USAGE, STREAM, now + 600, now + 3600)  # in ten minutes: the teacher may push early
    assert reconcile.check().as_dict() == nothing
    assert provider_sandbox.queries == [  # not live: and no push in the history since the widened start
        "DescribeLiveStreamsOnlineList: answered",
        "DescribeLiveStreamsPublishList: answered",
    ]
    assert LiveStream.objects.get().asked_at is not None
    settings.XUESHI_LIVE_CHECK_AFTER = 60
    reconcile.check()
    assert len(provider_sandbox.queries) == 2  # asked at most once a check interval


@pytest.mark.parametrize("provider_sandbox", ["tencent", "aliyun"], indirect=True)
def test_a_failed_query_changes_nothing_and_the_next_run_asks_again(provider_sandbox, push, settings, caplog):
    api.register(USAGE, STREAM, time.time() - 60, time.time() + 3600)
    push(STREAM, lose_start=True)
    settings.XUESHI_LIVE_API_SECRET = "guessed"  # the sandbox refuses the SDK's signature
    with caplog.at_level(logging.WARNING, logger="xueshi_livestream.reconcile"):
        failed = {"live": [], "closed": [], "opened": [], "recorded": [], "failed": [STREAM]}
        assert reconcile.check().as_dict() == failed
    assert f"live stream {STREAM}: state unknown" in caplog.text
    assert not OnAir.objects.exists() and LiveStream.objects.get().asked_at is None
    assert api.state(USAGE).phase == "paused"

    settings.XUESHI_LIVE_API_SECRET = provider_sandbox.api_secrets[settings.XUESHI_LIVE_API_KEY_ID]
    assert reconcile.check().opened == [STREAM]
