"""Asking the live provider whether a stream is live, through its official SDK (ADR 0356).

- Tencent Cloud Live: ``DescribeLiveStreamState`` (live 2018-08-01), ``StreamState`` ``active``
  / ``inactive`` / ``forbid``, through ``tencentcloud-sdk-python-common``'s ``CommonClient``
  (TC3-HMAC-SHA256 signed by the SDK).
- Alibaba Cloud ApsaraVideo Live: ``DescribeLiveStreamsOnlineList`` (live 2016-11-01, an RPC-style
  API) with ``QueryType=strict`` on the main streaming (play) domain, through
  ``alibabacloud-tea-openapi``'s generic ``call_api`` (signed ACS3-HMAC-SHA256, Alibaba's current
  signature for RPC-style APIs).

Both SDKs were already required for SMS and face checks (ADR 0242): nothing here signs by hand.
"""

from __future__ import annotations

from typing import Any

from . import conf

TIMEOUT_SECONDS = 10


class QueryFailed(Exception):
    """The provider could not be asked or did not answer clearly (the stream's state is unknown)."""


def configured() -> bool:
    """Whether the operator gave API keys for stream-state queries."""
    return bool(conf.provider() and conf.api_key_id() and conf.api_secret())


def is_live(stream: str) -> bool:
    """Whether the provider says ``stream`` is being pushed now; raises ``QueryFailed`` otherwise."""
    if conf.provider() == "tencent":
        return _tencent(stream)
    return _aliyun(stream)


def _tencent(stream: str) -> bool:
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
    params = {"AppName": conf.app_name(), "DomainName": conf.push_domain(), "StreamName": stream}
    try:
        reply: Any = client.call_json("DescribeLiveStreamState", params)
    except (TencentCloudSDKException, OSError, ValueError) as exc:
        raise QueryFailed(f"DescribeLiveStreamState: {getattr(exc, 'code', '') or exc}") from exc
    state = (reply.get("Response") or {}).get("StreamState") if isinstance(reply, dict) else None
    if state not in ("active", "inactive", "forbid"):
        raise QueryFailed(f"DescribeLiveStreamState answered no StreamState: {str(reply)[:200]}")
    return bool(state == "active")


def _aliyun(stream: str) -> bool:
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
        action="DescribeLiveStreamsOnlineList",
        version="2016-11-01",
        protocol=conf.api_protocol(),
        method="POST",
        auth_type="AK",
        style="RPC",
        pathname="/",
        req_body_type="formData",
        body_type="json",
    )
    query = {
        "DomainName": conf.play_domain(),
        "AppName": conf.app_name(),
        "StreamName": stream,
        "QueryType": "strict",
        "OnlyStream": "yes",
    }
    try:
        reply = client.call_api(params, OpenApiRequest(query=query), RuntimeOptions(autoretry=False))
    except Exception as exc:  # the SDK's ClientException/ServerException, network errors
        raise QueryFailed(f"DescribeLiveStreamsOnlineList: {getattr(exc, 'code', '') or exc}") from exc
    body = reply.get("body") if isinstance(reply, dict) else None
    online = (body or {}).get("OnlineInfo") if isinstance(body, dict) else None
    if not isinstance(online, dict):
        raise QueryFailed(f"DescribeLiveStreamsOnlineList answered no OnlineInfo: {str(reply)[:200]}")
    streams = online.get("LiveStreamOnlineInfo") or []
    return any(
        isinstance(s, dict) and s.get("StreamName") == stream and s.get("AppName") == conf.app_name()
        for s in streams
    )
