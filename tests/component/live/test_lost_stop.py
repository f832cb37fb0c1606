"""A lost push-stop callback: the beat's check asks the provider's stream-state API (through the
official SDK, signed; the sandbox verifies it and answers from its real pushes) and closes the
lesson as a stop callback would, at the stop the provider's push history reports (else at the last
confirmation); the late callback then changes nothing."""

from __future__ import annotations

import time

import pytest

from xueshi_livestream import api, events, query, reconcile
from xueshi_livestream.models import OnAir
from xueshi_livestream.providers import START, StreamEvent
from xueshi_studytime import onair
from xueshi_studytime.livecredit import timeline
from xueshi_studytime.sessions import short_hash

from .test_providers import USAGE

pytestmark = [pytest.mark.component]
STREAM = "lesson_1"


@pytest.mark.parametrize("provider_sandbox", ["tencent", "aliyun"], indirect=True)
def test_the_providers_state_closes_a_lesson_whose_stop_callback_was_lost(provider_sandbox, push, settings):
    sandbox = provider_sandbox
    api.register(USAGE, STREAM, time.time() - 60, time.time() + 3600)
    push(STREAM)
    assert api.state(USAGE).phase == "on_air"  # the start callback came

    assert reconcile.check().live == [STREAM]  # the provider confirms it: the interval stays open
    confirmed = OnAir.objects.get().checked_at
    time.sleep(2.2)  # the lesson goes on after its last confirmation
    sandbox.stop(STREAM, lose_stop=True)  # the provider stopped; its stop callback never arrives
    stopped = time.time()
    assert api.state(USAGE).phase == "on_air"  # what learners saw before this change
    hour_later = time.time() + 3600
    ((_start, end),) = timeline(onair.read(short_hash(str(USAGE))), 0, hour_later)
    assert end == hour_later  # the ledger would have credited presence on and on (bounded by budgets)

    assert reconcile.check().closed == [STREAM]
    interval = OnAir.objects.get()
    assert confirmed <= interval.ended_at and interval.ended_at.timestamp() <= stopped
    (_key, _started, provider_stop) = sandbox.ended[-1]
    assert interval.ended_at.timestamp() == int(provider_stop)  # the history's stop, not the confirmation
    assert interval.ended_at.timestamp() > confirmed.timestamp() + 1
    assert api.state(USAGE).phase == "paused"  # off air: the page stops saying "on air"
    ((_start, end),) = timeline(onair.read(short_hash(str(USAGE))), 0, hour_later)
    assert end == interval.ended_at.timestamp()  # the ledger credits attendance up to the stop, no later

    assert sandbox.notify(STREAM, "stop", "late") == 200  # the lost callback, retried late
    assert OnAir.objects.get().ended_at == interval.ended_at and reconcile.check().as_dict()["closed"] == []
    settings.XUESHI_LIVE_API_SECRET = "guessed"
    with pytest.raises(query.QueryFailed):  # the sandbox checks the SDK's signature
        query.is_live(STREAM)
    refused = {"tencent": "AuthFailure.SignatureFailure", "aliyun": "SignatureDoesNotMatch"}[sandbox.provider]
    assert sandbox.queries[-1].endswith(refused) and sandbox.queries[0].endswith("answered")


@pytest.mark.parametrize("provider_sandbox", ["tencent"], indirect=True)
def test_a_stop_the_history_does_not_know_closes_at_the_last_confirmation(provider_sandbox):
    api.register(USAGE, STREAM, time.time() - 60, time.time() + 3600)
    opened = time.time() - 30  # on air by a callback, but the provider never saw this push
    events.apply(StreamEvent(START, STREAM, opened, "seq-1"))

    assert reconcile.check().closed == [STREAM]
    assert OnAir.objects.get().ended_at.timestamp() == pytest.approx(opened, abs=1e-3)
    actions = [q.split(":")[0] for q in provider_sandbox.queries]
    assert actions[:2] == ["DescribeLiveStreamState", "DescribeLiveStreamPublishedList"]
