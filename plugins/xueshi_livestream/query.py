"""Asking the live provider about a stream now, through its official SDK (ADR 0356, 0358).

- Tencent Cloud Live (live 2018-08-01), through ``tencentcloud-sdk-python-common``'s
  ``CommonClient`` (TC3-HMAC-SHA256 signed by the SDK): ``DescribeLiveStreamState``
  (``StreamState`` ``active`` / ``inactive`` / ``forbid``) for an open interval, and
  ``DescribeLiveStreamOnlineList`` (each stream's ``PublishTimeList``) for a lesson that should
  be on air, because only it says since when the stream is pushed.
- Alibaba Cloud ApsaraVideo Live (live 2016-11-01, RPC-style): ``DescribeLiveStreamsOnlineList``
  with ``QueryType=strict`` on the main streaming (play) domain, which gives ``PublishTime`` too,
  through ``alibabacloud-tea-openapi``'s generic ``call_api`` (signed ACS3-HMAC-SHA256, Alibaba's
  current signature for RPC-style APIs).

Both SDKs were already required for SMS and face checks (ADR 0242): nothing here signs by hand.
The push history (when a stream stopped) is ``history.py``. Lists are read page by page
(``pages``), up to ``MAX_PAGES``: a first page alone may miss the stream wanted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from . import conf

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10
ONLINE_PAGE = 100  # entries a page of the online lists (Tencent allows 10-100, Alibaba 1-3000)
MAX_PAGES = 20  # a sane cap: past it the rest is not read (logged), never an endless loop
UTC_FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # both providers' API times (UTC)


class QueryFailed(Exception):
    """The provider could not be asked or did not answer clearly (the stream's state is unknown)."""


def configured() -> bool:
    """Whether the operator gave API keys for stream-state queries."""
    return bool(conf.provider() and conf.api_key_id() and conf.api_secret())


def utc_text(epoch: float) -> str:
    """An API time parameter: ``2026-12-06T04:00:00Z``."""
    return datetime.fromtimestamp(int(epoch), UTC).strftime(UTC_FORMAT)


def utc_epoch(text: Any) -> float | None:
    """An API time answered (``2026-12-06T04:00:00Z``) in epoch seconds; None when absent or unreadable."""
    try:
        return datetime.strptime(str(text), UTC_FORMAT).replace(tzinfo=UTC).timestamp()
    except ValueError:
        return None


def is_live(stream: str) -> bool:
    """Whether the provider says ``stream`` is being pushed now; raises ``QueryFailed`` otherwise."""
    if conf.provider() == "tencent":
        reply = tencent_call("DescribeLiveStreamState", {"StreamName": stream})
        state = reply.get("StreamState")
        if state not in ("active", "inactive", "forbid"):
            raise QueryFailed(f"DescribeLiveStreamState answered no StreamState: {str(reply)[:200]}")
        return bool(state == "active")
    return bool(online(stream))


def live_since(stream: str, now: float) -> float | None:
    """Since when the provider says ``stream`` is pushed (epoch seconds), None if it is not.

    ``now`` when it says live without a readable time; raises ``QueryFailed`` when it did not
    answer clearly.
    """
    mine = online(stream)
    if conf.provider() == "tencent":
        lists = [s.get("PublishTimeList") for s in mine]
        times = [t.get("PublishTime") for x in lists if isinstance(x, list) for t in x if isinstance(t, dict)]
    else:
        times = [s.get("PublishTime") for s in mine]
    if not mine:
        return None
    known = [t for t in (utc_epoch(x) for x in times) if t is not None]
    return max(known) if known else now  # the latest push, if the provider kept several


def online(stream: str = "") -> list[dict[str, Any]]:
    """The online list's entries of our app, every page: exactly ``stream``, or all when empty."""
    if conf.provider() == "tencent":

        def read(page: int) -> tuple[list[Any], dict[str, Any]]:
            params = {"StreamName": stream, "PageNum": page, "PageSize": ONLINE_PAGE}
            reply = tencent_call("DescribeLiveStreamOnlineList", {k: v for k, v in params.items() if v})
            entries = reply.get("OnlineInfo")
            if not isinstance(entries, list):
                raise QueryFailed(f"DescribeLiveStreamOnlineList answered no OnlineInfo: {str(reply)[:200]}")
            return entries, reply

    else:

        def read(page: int) -> tuple[list[Any], dict[str, Any]]:
            params = {"StreamName": stream, "QueryType": "strict", "OnlyStream": "yes"}
            params.update(PageNum=str(page), PageSize=str(ONLINE_PAGE))
            body = aliyun_call("DescribeLiveStreamsOnlineList", {k: v for k, v in params.items() if v})
            info = body.get("OnlineInfo")
            entries = info.get("LiveStreamOnlineInfo") or [] if isinstance(info, dict) else None
            if not isinstance(entries, list):
                raise QueryFailed(f"DescribeLiveStreamsOnlineList answered no OnlineInfo: {str(body)[:200]}")
            return entries, body

    return [
        s
        for s in pages(read, ONLINE_PAGE)
        if isinstance(s, dict)
        and (not stream or s.get("StreamName") == stream)
        and s.get("AppName", conf.app_name()) == conf.app_name()
    ]


def pages(read: Callable[[int], tuple[list[Any], dict[str, Any]]], size: int) -> list[Any]:
    """Every entry of a paged list: ``read(n)`` gives page ``n``'s entries and the whole answer.

    Both vendors answer ``TotalPage`` and ``TotalNum``: the pages are ``TotalPage``, else
    ``TotalNum`` / ``size`` rounded up, else the first page alone. Reading stops at an empty page
    and at ``MAX_PAGES`` (logged): a list that long is not a lesson's.
    """
    entries, answer = read(1)
    found = list(entries)
    total = _total_pages(answer, size)
    for page in range(2, min(total, MAX_PAGES) + 1):
        entries, _answer = read(page)
        if not entries:
            break
        found.extend(entries)
    if total > MAX_PAGES:
        log.warning("a provider list has %s pages; only the first %s were read", total, MAX_PAGES)
    return found


def _total_pages(answer: dict[str, Any], size: int) -> int:
    for key, per in (("TotalPage", 1), ("TotalNum", size)):
        try:
            return max(-(-int(answer[key]) // per), 1)
        except (KeyError, TypeError, ValueError):
            continue
    return 1


def tencent_call(action: str, params: dict[str, Any]) -> dict[str, Any]:
    """Call a Tencent live API with our push domain and AppName; its ``Response`` object."""
    from tencentcloud.common import credential
    from tencentcloud.common.common_client import CommonClient
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile

    http = HttpProfile(protocol=conf.api_protocol(), endpoint=conf.api_endpoint(), reqTimeout=TIMEOUT_SECONDS)
    client = CommonClient(
        "live",
        "2018-08-01",
        credential.Credential(conf.api_key_id(), conf.api_secret()),
        conf.api_region(),
        ClientProfile(httpProfile=http),
    )
    params = {"AppName": conf.app_name(), "DomainName": conf.push_domain(), **params}
    try:
        reply: Any = client.call_json(action, params)
    except (TencentCloudSDKException, OSError, ValueError) as exc:
        raise QueryFailed(f"{action}: {getattr(exc, 'code', '') or exc}") from exc
    response = reply.get("Response") if isinstance(reply, dict) else None
    if not isinstance(response, dict):
        raise QueryFailed(f"{action} answered no Response: {str(reply)[:200]}")
    return response


def aliyun_call(action: str, query: dict[str, Any]) -> dict[str, Any]:
    """Call an Alibaba live API (RPC-style) with our play domain and AppName; the answer's body."""
    from alibabacloud_tea_openapi.client import Client
    from alibabacloud_tea_openapi.utils_models import Config, OpenApiRequest, Params
    from darabonba.runtime import RuntimeOptions

    client = Client(
        Config(
            access_key_id=conf.api_key_id(),
            access_key_secret=conf.api_secret(),
            endpoint=conf.api_endpoint(),
            protocol=conf.api_protocol(),
            region_id=conf.api_region(),
            read_timeout=TIMEOUT_SECONDS * 1000,
            connect_timeout=5000,
        )
    )
    params = Params(
        action=action,
        version="2016-11-01",
        protocol=conf.api_protocol(),
        method="POST",
        auth_type="AK",
        style="RPC",
        pathname="/",
        req_body_type="formData",
        body_type="json",
    )
    query = {"DomainName": conf.play_domain(), "AppName": conf.app_name(), **query}
    try:
        reply = client.call_api(params, OpenApiRequest(query=query), RuntimeOptions(autoretry=False))
    except Exception as exc:  # the SDK's ClientException/ServerException, network errors
        raise QueryFailed(f"{action}: {getattr(exc, 'code', '') or exc}") from exc
    body = reply.get("body") if isinstance(reply, dict) else None
    if not isinstance(body, dict):
        raise QueryFailed(f"{action} answered no body: {str(reply)[:200]}")
    return body
