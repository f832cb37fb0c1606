"""The live provider sandbox on loopback, with the site configured for it and its cloud API."""

from __future__ import annotations

import shutil
import time
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from sandbox.live.server import LiveSandbox
from sandbox.live.site import API_KEY_ID, API_SECRET
from xueshi_livestream import api

KEY = "component-lost-callback-key"


@pytest.fixture
def provider_sandbox(
    request: Any, live_server: Any, transactional_db: Any, settings: Any
) -> Iterator[LiveSandbox]:
    """The sandbox as ``request.param`` (``tencent`` or ``aliyun``), checked every run (``CHECK_AFTER`` 0)."""
    sandbox = LiveSandbox(request.param, KEY, f"{live_server.url}/xueshi/live/callback/").start()
    settings.XUESHI_LIVE_PROVIDER, settings.XUESHI_LIVE_AUTH_KEY = request.param, KEY
    settings.XUESHI_LIVE_PUSH_DOMAIN, settings.XUESHI_LIVE_PLAY_DOMAIN = sandbox.push_domain, sandbox.endpoint
    settings.XUESHI_LIVE_API_ENDPOINT, settings.XUESHI_LIVE_API_PROTOCOL = sandbox.endpoint, "http"
    settings.XUESHI_LIVE_API_KEY_ID, settings.XUESHI_LIVE_API_SECRET = API_KEY_ID, API_SECRET
    settings.XUESHI_LIVE_CHECK_AFTER = 0
    yield sandbox
    sandbox.close()
    shutil.rmtree(sandbox.root, ignore_errors=True)


@pytest.fixture
def push(provider_sandbox: LiveSandbox) -> Callable[..., None]:
    """``push(stream, lose_start=False)``: the teacher's encoder pushes the signed URL to the sandbox."""

    def pushing(stream: str, lose_start: bool = False) -> None:
        url = urlsplit(api.push_url(stream, time.time() + 3600))
        signed = f"http://{provider_sandbox.endpoint}/_sandbox/push{url.path}?{url.query}"
        signed += "&lose=start" if lose_start else ""
        request = urllib.request.Request(signed, data=b"", method="POST")
        urllib.request.urlopen(request, timeout=30).close()

    return pushing
