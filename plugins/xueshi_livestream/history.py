"""When a stream really stopped, from the provider's push history (ADR 0358).

A lost stop callback is found by the stream-state check (``reconcile``, ADR 0356), which can only
say "not live now". Both providers keep a push history with each push's start and stop:

- Tencent Cloud Live ``DescribeLiveStreamPublishedList`` (live 2018-08-01; ``PublishInfo``:
  ``StreamName``, ``StreamStartTime``, ``StreamEndTime``, UTC; ``StreamName`` matches fuzzily);
- ApsaraVideo Live ``DescribeLiveStreamsPublishList`` (live 2016-11-01, on the main streaming
  domain, ``QueryType=strict``; ``PublishInfo.LiveStreamPublishInfo``: ``PublishTime``, ``StopTime``).

The stop wanted is that of the push that was on at the last confirmation: among the records of
exactly this stream that started by then, the first to stop at or after it. The history may lag
(it is offline data at both providers): no such record is no answer, never an error.
"""

from __future__ import annotations

from typing import Any

from . import conf, query

PAGE = 100  # one page: a lesson's stream is pushed a handful of times between two confirmations
LOOK_BACK = 600  # seconds before the interval's start the history is read from (a push starts first)
MAX_SPAN = 29 * 86400  # both providers answer at most 30 days at once


def stopped_at(stream: str, opened: float, confirmed: float, now: float) -> float | None:
    """The provider-recorded stop of the push of ``stream`` on at ``confirmed`` (epoch), or None.

    ``opened`` is when our interval opened (the history is read from a little before it).
    Raises ``query.QueryFailed`` when the provider did not answer clearly.
    """
    start = max(opened - LOOK_BACK, now - MAX_SPAN)
    pushes = (_tencent if conf.provider() == "tencent" else _aliyun)(stream, start, now)
    stops = [
        end
        for began, end in pushes
        if began is not None and end is not None and began <= confirmed <= end + 1
    ]
    return min(stops) if stops else None


def _tencent(stream: str, start: float, now: float) -> list[tuple[float | None, float | None]]:
    params = {
        "StreamName": stream,
        "StartTime": query.utc_text(start),
        "EndTime": query.utc_text(now),
        "PageNum": 1,
        "PageSize": PAGE,
    }
    reply = query.tencent_call("DescribeLiveStreamPublishedList", params)
    records = reply.get("PublishInfo")
    if not isinstance(records, list):
        raise query.QueryFailed(
            f"DescribeLiveStreamPublishedList answered no PublishInfo: {str(reply)[:200]}"
        )
    return _pushes(records, stream, "StreamStartTime", "StreamEndTime")


def _aliyun(stream: str, start: float, now: float) -> list[tuple[float | None, float | None]]:
    params = {
        "StreamName": stream,
        "StartTime": query.utc_text(start),
        "EndTime": query.utc_text(now),
        "QueryType": "strict",
        "PageNumber": "1",
        "PageSize": str(PAGE),
    }
    body = query.aliyun_call("DescribeLiveStreamsPublishList", params)
    info = body.get("PublishInfo")
    records = info.get("LiveStreamPublishInfo") if isinstance(info, dict) else None
    if not isinstance(records, list):
        raise query.QueryFailed(f"DescribeLiveStreamsPublishList answered no PublishInfo: {str(body)[:200]}")
    return _pushes(records, stream, "PublishTime", "StopTime")


def _pushes(
    records: list[Any], stream: str, began: str, ended: str
) -> list[tuple[float | None, float | None]]:
    """``(start, stop)`` of each record of exactly ``stream`` in our app (either None when unreadable)."""
    return [
        (query.utc_epoch(r.get(began)), query.utc_epoch(r.get(ended)))
        for r in records
        if isinstance(r, dict)
        and r.get("StreamName") == stream
        and r.get("AppName", conf.app_name()) == conf.app_name()
    ]
