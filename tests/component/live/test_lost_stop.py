"""A lost push-stop callback: the beat's check asks the provider's stream-state API (through the
official SDK, signed; the sandbox verifies it and answers from its real pushes) and closes the
lesson as a stop callback would; the late callback then changes nothing."""

from __future__ import annotations

import shutil
import time
import urllib.request
from urllib.parse import urlsplit

import pytest

from sandbox.live.server import LiveSandbox
from sandbox.live.site import API_KEY_ID, API_SECRET
from xueshi_livestream import api, query, reconcile
from xueshi_livestream.models import OnAir
from xueshi_studytime import onair
from xueshi_studytime.livecredit import timeline
from xueshi_studytime.sessions import short_hash

from .test_providers import USAGE

pytestmark = [pytest.mark.component]
KEY, STREAM = "component-lost-stop-key", "lesson_1"


@pytest.fixture
def provider_sandbox(request, live_server, transactional_db, settings):
    sandbox = LiveSandbox(request.param, KEY, f"{live_server.url}/xueshi/live/callback/").start()
    settings.XUESHI_LIVE_PROVIDER, settings.XUESHI_LIVE_AUTH_KEY = request.param, KEY
    settings.XUESHI_LIVE_PUSH_DOMAIN, settings.XUESHI_LIVE_PLAY_DOMAIN = sandbox.push_domain, sandbox.endpoint
    settings.XUESHI_LIVE_API_ENDPOINT, settings.XUESHI_LIVE_API_PROTOCOL = sandbox.endpoint, "http"
    settings.XUESHI_LIVE_API_KEY_ID, settings.XUESHI_LIVE_API_SECRET = API_KEY_ID, API_SECRET
    settings.XUESHI_LIVE_CHECK_AFTER = 0
    yield sandbox
    sandbox.close()
    shutil.rmtree(sandbox.root, ignore_errors=True)


@pytest.mark.parametrize("provider_sandbox", ["tencent", "aliyun"], indirect=True)
def test_the_providers_state_closes_a_lesson_whose_stop_callback_was_lost(provider_sandbox, settings):
    sandbox = provider_sandbox
    api.register(USAGE, STREAM, time.time() - 60, time.time() + 3600)
    push = urlsplit(api.push_url(STREAM, time.time() + 3600))
    signed = f"http://{sandbox.endpoint}/_sandbox/push{push.path}?{push.query}"
    urllib.request.urlopen(urllib.request.Request(signed, data=b"", method="POST"), timeout=30).close()
    assert api.state(USAGE).phase == "on_air"  # the start callback came

    assert reconcile.check().live == [STREAM]  # the provider confirms it: the interval stays open
    confirmed = OnAir.objects.get().checked_at
    sandbox.stop(STREAM, lose_stop=True)  # the provider stopped; its stop callback never arrives
    stopped = time.time()
    assert api.state(USAGE).phase == "on_air"  # what learners saw before this change
    hour_later = time.time() + 3600
    ((_start, end),) = timeline(onair.read(short_hash(str(USAGE))), 0, hour_later)
    assert end == hour_later  # the ledger would have credited presence on and on (bounded by budgets)

    assert reconcile.check().closed == [STREAM]
    interval = OnAir.objects.get()
    assert confirmed <= interval.ended_at and interval.ended_at.timestamp() <= stopped
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
