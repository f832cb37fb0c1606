"""The live provider sandbox's cloud API, as the vendors answer it (ADR 0356, 0358).

- Tencent Cloud Live (live 2018-08-01), TC3-HMAC-SHA256 signed JSON POSTs (``verify_tc3``,
  service ``live``), answered ``{"Response": {..., "RequestId"}}`` with errors as ``{"Response":
  {"Error": {"Code", "Message"}, "RequestId"}}``: ``DescribeLiveStreamState`` (``StreamState``
  ``active``/``inactive``), ``DescribeLiveStreamOnlineList`` (``OnlineInfo``, each stream's
  ``PublishTimeList``) and ``DescribeLiveStreamPublishedList`` (``PublishInfo`` with
  ``StreamStartTime``/``StreamEndTime``; ``StartTime``/``EndTime`` required, the end not after
  now, at most 30 days apart; the stream name matches fuzzily).
- ApsaraVideo Live (live 2016-11-01), ACS3-HMAC-SHA256 signed RPC calls (``verify_acs3``),
  parameters in the query, on the main streaming domain: ``DescribeLiveStreamsOnlineList``
  (``OnlineInfo.LiveStreamOnlineInfo`` with ``PublishTime``) and ``DescribeLiveStreamsPublishList``
  (``PublishInfo.LiveStreamPublishInfo`` with ``PublishTime``/``StopTime``, the same time window
  rules); ``QueryType`` ``strict`` or ``fuzzy``.

Lists are paged as the vendors page them (``_page``): Tencent ``PageNum``/``PageSize`` (10-100,
default 10), Alibaba ``PageNum`` (online list) or ``PageNumber`` (push list) with ``PageSize``
(1-3000); every answer reports ``PageNum``, ``PageSize``, ``TotalNum`` and ``TotalPage``.

The answers are the sandbox's own: a stream is live exactly while its push (ffmpeg) runs and its
history is the pushes it ended, so a start or stop whose callback was lost is answered truthfully.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any, NamedTuple
from urllib.parse import parse_qsl

from sandbox.faceapis.signatures import Received, Refused, verify_acs3, verify_tc3

Answer = tuple[int, dict[str, Any]]
UTC_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
MAX_SPAN = 30 * 86400


class Pushes(NamedTuple):
    """What the sandbox knows of its pushes, which the API answers from.

    ``online`` maps each ``app/stream`` being pushed to its push's start; ``ended`` lists finished
    pushes as ``(app/stream, started, stopped)``.
    """

    online: dict[str, float]
    ended: list[tuple[str, float, float]]


def _utc(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime(UTC_FORMAT)


def _window(params: dict[str, Any], now: float, malformed: str, mismatch: str) -> tuple[float, float]:
    """``StartTime``/``EndTime`` as both vendors check them: UTC, start before end, end not after now."""
    try:
        start, end = (datetime.strptime(str(params.get(k)), UTC_FORMAT) for k in ("StartTime", "EndTime"))
    except ValueError as exc:
        raise Refused(malformed, "StartTime and EndTime must be UTC, e.g. 2016-06-29T19:00:00Z") from exc
    first, last = start.replace(tzinfo=UTC).timestamp(), end.replace(tzinfo=UTC).timestamp()
    if not first <= last <= now + 1 or last - first > MAX_SPAN:
        raise Refused(mismatch, "EndTime must follow StartTime, not be after now, within 30 days")
    return first, last


def _page(
    found: list[dict[str, Any]], params: dict[str, Any], number: str, sizes: tuple[int, int, int], bad: str
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Page ``number`` (the vendor's page parameter) of ``found``, ``sizes`` = (least, most, default)."""
    least, most, default = sizes
    try:
        page, size = int(params.get(number) or 1), int(params.get("PageSize") or default)
    except (TypeError, ValueError) as exc:
        raise Refused(bad, f"{number} and PageSize must be integers") from exc
    if page < 1 or not least <= size <= most:
        raise Refused(bad, f"{number} must be 1 or more, PageSize {least} to {most}")
    total = {"PageNum": page, "PageSize": size, "TotalNum": len(found), "TotalPage": -(-len(found) // size)}
    return found[(page - 1) * size : page * size], total


def _matches(key: str, app: str, wanted: str, strict: bool) -> bool:
    stream_app, stream = key.split("/", 1)
    return not (app and stream_app != app) and not (
        wanted and (stream != wanted if strict else wanted not in stream)
    )


def tencent(request: Received, secrets: dict[str, str], push_domain: str, pushes: Pushes) -> Answer:
    """Answer the Tencent actions above for streams pushed to ``push_domain``."""
    request_id = str(uuid.uuid4())
    now = time.time()
    try:
        verify_tc3(request, secrets, "live", now)
        if request.headers.get("x-tc-version") != "2018-08-01":
            raise Refused("InvalidParameter", "unsupported X-TC-Version")
        action = request.headers.get("x-tc-action")
        params = json.loads(request.body or b"{}")
        if not isinstance(params, dict):
            raise ValueError(params)
        if params.get("DomainName") != push_domain:
            raise Refused("InvalidParameterValue", f"the domain {params.get('DomainName')} is not yours")
        if action == "DescribeLiveStreamState":
            answer = _tencent_state(params, pushes)
        elif action == "DescribeLiveStreamOnlineList":
            answer = _tencent_online(params, pushes, push_domain)
        elif action == "DescribeLiveStreamPublishedList":
            answer = _tencent_published(params, pushes, push_domain, now)
        else:
            raise Refused("InvalidAction", "the action does not exist")
    except Refused as exc:
        return 200, {"Response": {"Error": {"Code": exc.code, "Message": str(exc)}, "RequestId": request_id}}
    except ValueError:
        error = {"Code": "InvalidParameter", "Message": "the body is not a JSON object"}
        return 200, {"Response": {"Error": error, "RequestId": request_id}}
    return 200, {"Response": {**answer, "RequestId": request_id}}


def _tencent_state(params: dict[str, Any], pushes: Pushes) -> dict[str, Any]:
    if not all(isinstance(params.get(k), str) and params[k] for k in ("AppName", "StreamName")):
        raise Refused("MissingParameter", "AppName, DomainName and StreamName are required")
    live = f"{params['AppName']}/{params['StreamName']}" in pushes.online
    return {"StreamState": "active" if live else "inactive"}


def _tencent_online(params: dict[str, Any], pushes: Pushes, domain: str) -> dict[str, Any]:
    app, wanted = str(params.get("AppName") or ""), str(params.get("StreamName") or "")
    found = [
        {
            "StreamName": key.split("/", 1)[1],
            "AppName": key.split("/", 1)[0],
            "DomainName": domain,
            "PublishTimeList": [{"PublishTime": _utc(started)}],
        }
        for key, started in sorted(pushes.online.items())
        if _matches(key, app, wanted, strict=True)
    ]
    shown, total = _page(found, params, "PageNum", (10, 100, 10), "InvalidParameterValue")
    return {"OnlineInfo": shown, **total}


def _tencent_published(params: dict[str, Any], pushes: Pushes, domain: str, now: float) -> dict[str, Any]:
    first, last = _window(params, now, "InvalidParameter", "InvalidParameterValue")
    app, wanted = str(params.get("AppName") or ""), str(params.get("StreamName") or "")
    found = [
        {
            "StreamName": key.split("/", 1)[1],
            "AppName": key.split("/", 1)[0],
            "DomainName": domain,
            "StreamStartTime": _utc(started),
            "StreamEndTime": _utc(stopped),
            "StopReason": "",
            "Duration": int(stopped - started),
        }
        for key, started, stopped in pushes.ended
        if started <= last and stopped >= first and _matches(key, app, wanted, strict=False)
    ]
    shown, total = _page(found, params, "PageNum", (10, 100, 10), "InvalidParameterValue")
    return {"PublishInfo": shown, **total}


def aliyun(
    request: Received, secrets: dict[str, str], play_domain: str, pushes: Pushes, nonces: set[str]
) -> Answer:
    """Answer the Alibaba actions above for ``play_domain``."""
    request_id = str(uuid.uuid4()).upper()
    now = time.time()
    try:
        verify_acs3(request, secrets, now, nonces)
        if request.headers.get("x-acs-version") != "2016-11-01":
            raise Refused("InvalidVersion", "Specified parameter Version is not valid.")
        action = request.headers.get("x-acs-action")
        params = dict(parse_qsl(request.query, keep_blank_values=True))
        if action not in ("DescribeLiveStreamsOnlineList", "DescribeLiveStreamsPublishList"):
            raise Refused("InvalidAction.NotFound", "Specified api is not found, please check your url.")
        if params.get("DomainName") != play_domain:
            raise Refused("InvalidDomain.NotFound", "The domain provided does not belong to you.")
        app, wanted = params.get("AppName", ""), params.get("StreamName", "")
        strict = params.get("QueryType") == "strict"
        if action == "DescribeLiveStreamsOnlineList":
            online = [
                _aliyun_record(key, play_domain, started, None)
                for key, started in sorted(pushes.online.items())
                if _matches(key, app, wanted, strict)
            ]
            shown, total = _page(online, params, "PageNum", (1, 3000, 2000), "InvalidParameter")
            return 200, {"RequestId": request_id, **total, "OnlineInfo": {"LiveStreamOnlineInfo": shown}}
        first, last = _window(params, now, "InvalidStartTime.Malformed", "InvalidEndTime.Mismatch")
        ended = [
            _aliyun_record(key, play_domain, started, stopped)
            for key, started, stopped in pushes.ended
            if started <= last and stopped >= first and _matches(key, app, wanted, strict)
        ]
        shown, total = _page(ended, params, "PageNumber", (1, 3000, 2000), "InvalidParameter")
    except Refused as exc:
        status = 404 if exc.code.endswith("NotFound") else 400
        return status, {"RequestId": request_id, "Code": exc.code, "Message": str(exc), "HostId": "sandbox"}
    return 200, {"RequestId": request_id, **total, "PublishInfo": {"LiveStreamPublishInfo": shown}}


def _aliyun_record(key: str, domain: str, started: float, stopped: float | None) -> dict[str, Any]:
    app, stream = key.split("/", 1)
    record = {"DomainName": domain, "AppName": app, "StreamName": stream, "PublishTime": _utc(started)}
    if stopped is not None:
        record.update(StopTime=_utc(stopped), PublishDomain=domain, PublishType="edge")
    return record


def failure(provider: str, how: str) -> Answer:
    """An outage's answer: the vendor's internal error (``error``), or a 200 with no list (``garbled``)."""
    request_id = str(uuid.uuid4())
    if provider == "tencent":
        error = {"Error": {"Code": "InternalError", "Message": "internal error"}} if how == "error" else {}
        return 200, {"Response": {**error, "RequestId": request_id}}
    if how == "error":
        return 500, {
            "RequestId": request_id,
            "Code": "InternalError",
            "Message": "internal error",
            "HostId": "sandbox",
        }
    return 200, {"RequestId": request_id}
