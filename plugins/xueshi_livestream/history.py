"""When a stream really stopped, from the provider's push history (ADR 0358).

A lost stop callback is found by the stream-state check (``reconcile``, ADR 0356), which can only
say "not live now". Both providers keep a push history with each push's start and stop:

- Tencent Cloud Live ``DescribeLiveStreamPublishedList`` (live 2018-08-01; ``PublishInfo``:
  ``StreamName``, ``StreamStartTime``, ``StreamEndTime``, UTC; ``StreamName`` matches fuzzily);
- ApsaraVideo Live ``DescribeLiveStreamsPublishList`` (live 2016-11-01, on the main streaming
  domain, ``QueryType=strict``; ``PublishInfo.LiveStreamPublishInfo``: ``PublishTime``, ``StopTime``).

Two questions are answered from it:

- ``stopped_at``: the stop of the push that was on at the last confirmation (a lost stop): among
  the records of exactly this stream that started by then, the first to stop at or after it;
- ``ended_since``: the pushes that ended after a moment (the end of the last interval we know),
  for a push that started and stopped between two checks with its start callback lost.

The history may lag (it is offline data at both providers): no such record is no answer, never
an error. Every page is read (``query.pages``), up to ``query.MAX_PAGES``.
"""

from __future__ import annotations

from typing import Any

from . import conf, query

PAGE = 100  # records a page (both vendors allow 100); a flaky encoder may reconnect hundreds of times
SLACK = 1  # seconds: the history and the callbacks give whole seconds, and may differ by one
LOOK_BACK = 600  # seconds before the interval's start the history is read from (a push starts first)
MAX_SPAN = 29 * 86400  # both providers answer at most 30 days at once


def stopped_at(stream: str, opened: float, confirmed: float, now: float) -> float | None:
    """The provider-recorded stop of the push of ``stream`` on at ``confirmed`` (epoch), or None.

    ``opened`` is when our interval opened (the history is read from a little before it).
    Raises ``query.QueryFailed`` when the provider did not answer clearly.
    """
    stops = [
        end
        for began, end in pushes(stream, opened - LOOK_BACK, now)
        if began is not None and end is not None and began <= confirmed <= end + SLACK
    ]
    return min(stops) if stops else None


def ended_since(stream: str, since: float, now: float) -> list[tuple[float, float]]:
    """The pushes of ``stream`` that ended after ``since``, as ``(start, stop)`` within [since, now].

    Merged where they overlap or touch and in order, so that none overlaps another or anything
    before ``since`` (the caller's last known interval end). A record ending within ``SLACK`` of
    ``since`` is the push already recorded, not a new one. Raises ``query.QueryFailed``.
    """
    spans = sorted(
        (max(began, since), min(end, now))
        for began, end in pushes(stream, since - LOOK_BACK, now)
        if began is not None and end is not None and end > since + SLACK
    )
    merged: list[tuple[float, float]] = []
    for began, end in spans:
        if end <= began:
            continue
        if merged and began <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((began, end))
    return merged


def pushes(stream: str, start: float, now: float) -> list[tuple[float | None, float | None]]:
    """``(start, stop)`` of each push record of exactly ``stream`` from ``start`` (at most 29 days) to now."""
    start = min(max(start, now - MAX_SPAN), now)
    return (_tencent if conf.provider() == "tencent" else _aliyun)(stream, start, now)


def _tencent(stream: str, start: float, now: float) -> list[tuple[float | None, float | None]]:
    window = {"StreamName": stream, "StartTime": query.utc_text(start), "EndTime": query.utc_text(now)}

    def read(page: int) -> tuple[list[Any], dict[str, Any]]:
        params = {**window, "PageNum": page, "PageSize": PAGE}
        reply = query.tencent_call("DescribeLiveStreamPublishedList", params)
        records = reply.get("PublishInfo")
        if not isinstance(records, list):
            raise query.QueryFailed(
                f"DescribeLiveStreamPublishedList answered no PublishInfo: {str(reply)[:200]}"
            )
        return records, reply

    return _pushes(query.pages(read, PAGE), stream, "StreamStartTime", "StreamEndTime")


def _aliyun(stream: str, start: float, now: float) -> list[tuple[float | None, float | None]]:
    window = {"StreamName": stream, "StartTime": query.utc_text(start), "EndTime": query.utc_text(now)}

    def read(page: int) -> tuple[list[Any], dict[str, Any]]:
        params = {**window, "QueryType": "strict", "PageNumber": str(page), "PageSize": str(PAGE)}
        body = query.aliyun_call("DescribeLiveStreamsPublishList", params)
        info = body.get("PublishInfo")
        records = info.get("LiveStreamPublishInfo") if isinstance(info, dict) else None
        if not isinstance(records, list):
            raise query.QueryFailed(
                f"DescribeLiveStreamsPublishList answered no PublishInfo: {str(body)[:200]}"
            )
        return records, body

    return _pushes(query.pages(read, PAGE), stream, "PublishTime", "StopTime")


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
