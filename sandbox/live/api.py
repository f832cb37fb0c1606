"""The live provider sandbox's stream-state API, as the vendors answer it (ADR 0356).

- Tencent Cloud Live (live 2018-08-01) ``DescribeLiveStreamState``: a TC3-HMAC-SHA256 signed JSON
  POST (``verify_tc3``, service ``live``); ``{"Response": {"StreamState": "active"|"inactive",
  "RequestId"}}``, errors as ``{"Response": {"Error": {"Code", "Message"}, "RequestId"}}``.
- ApsaraVideo Live (live 2016-11-01) ``DescribeLiveStreamsOnlineList``: an ACS3-HMAC-SHA256 signed
  RPC call (``verify_acs3``), parameters in the query; ``OnlineInfo.LiveStreamOnlineInfo`` lists the
  streams being pushed on the main streaming domain (``QueryType`` ``strict`` or ``fuzzy``).

The state is the sandbox's own: a stream is live exactly while its push (ffmpeg) runs, so a stop
whose callback was lost is still answered truthfully.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from sandbox.faceapis.signatures import Received, Refused, verify_acs3, verify_tc3

Answer = tuple[int, dict[str, Any]]


def tencent(request: Received, secrets: dict[str, str], push_domain: str, online: dict[str, float]) -> Answer:
    """Answer ``DescribeLiveStreamState`` for streams pushed to ``push_domain``.

    ``online`` maps each ``app/stream`` being pushed to when its push started.
    """
    request_id = str(uuid.uuid4())
    try:
        verify_tc3(request, secrets, "live", time.time())
        if request.headers.get("x-tc-version") != "2018-08-01":
            raise Refused("InvalidParameter", "unsupported X-TC-Version")
        if request.headers.get("x-tc-action") != "DescribeLiveStreamState":
            raise Refused("InvalidAction", "the action does not exist")
        params = json.loads(request.body or b"{}")
        names = ("AppName", "DomainName", "StreamName")
        if not isinstance(params, dict) or not all(
            isinstance(params.get(k), str) and params[k] for k in names
        ):
            raise Refused("MissingParameter", "AppName, DomainName and StreamName are required")
        if params["DomainName"] != push_domain:
            raise Refused("InvalidParameterValue", f"the domain {params['DomainName']} is not yours")
    except Refused as exc:
        return 200, {"Response": {"Error": {"Code": exc.code, "Message": str(exc)}, "RequestId": request_id}}
    except ValueError:
        error = {"Code": "InvalidParameter", "Message": "the body is not JSON"}
        return 200, {"Response": {"Error": error, "RequestId": request_id}}
    state = "active" if f"{params['AppName']}/{params['StreamName']}" in online else "inactive"
    return 200, {"Response": {"StreamState": state, "RequestId": request_id}}


def aliyun(
    request: Received, secrets: dict[str, str], play_domain: str, online: dict[str, float], nonces: set[str]
) -> Answer:
    """Answer ``DescribeLiveStreamsOnlineList`` for ``play_domain`` (``online`` as for ``tencent``)."""
    request_id = str(uuid.uuid4()).upper()
    try:
        verify_acs3(request, secrets, time.time(), nonces)
        if request.headers.get("x-acs-version") != "2016-11-01":
            raise Refused("InvalidVersion", "Specified parameter Version is not valid.")
        if request.headers.get("x-acs-action") != "DescribeLiveStreamsOnlineList":
            raise Refused("InvalidAction.NotFound", "Specified api is not found, please check your url.")
        params = dict(parse_qsl(request.query, keep_blank_values=True))
        if params.get("DomainName") != play_domain:
            raise Refused("InvalidDomain.NotFound", "The domain provided does not belong to you.")
    except Refused as exc:
        status = 404 if exc.code.endswith("NotFound") else 400
        return status, {"RequestId": request_id, "Code": exc.code, "Message": str(exc), "HostId": "sandbox"}
    app, wanted = params.get("AppName", ""), params.get("StreamName", "")
    strict = params.get("QueryType") == "strict"
    found = []
    for key, started in sorted(online.items()):
        stream_app, stream = key.split("/", 1)
        if (app and stream_app != app) or (wanted and (stream != wanted if strict else wanted not in stream)):
            continue
        found.append(
            {
                "DomainName": play_domain,
                "AppName": stream_app,
                "StreamName": stream,
                "PublishTime": datetime.fromtimestamp(started, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
        )
    return 200, {
        "RequestId": request_id,
        "PageNum": 1,
        "PageSize": 2000,
        "TotalNum": len(found),
        "TotalPage": 1,
        "OnlineInfo": {"LiveStreamOnlineInfo": found},
    }
