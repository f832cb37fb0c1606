"""Reading the providers' times and push records: junk is no answer, never an error (ADR 0358)."""

from __future__ import annotations

import pytest

from xueshi_livestream import history, query

pytestmark = pytest.mark.unit


def test_api_times_are_whole_utc_seconds_and_junk_reads_as_none():
    assert query.utc_text(1796529600.9) == "2026-12-06T04:00:00Z"
    assert query.utc_epoch("2026-12-06T04:00:00Z") == 1796529600
    for junk in (None, "", 1796529600, "2026-12-06 04:00:00", "2026-12-06T04:00:00+08:00", ["x"]):
        assert query.utc_epoch(junk) is None


def test_push_records_of_other_streams_or_apps_or_unreadable_are_skipped():
    records = [
        {
            "StreamName": "a1",
            "AppName": "live",
            "PublishTime": "2026-12-06T04:00:00Z",
            "StopTime": "2026-12-06T05:00:00Z",
        },
        {"StreamName": "a1x", "AppName": "live", "PublishTime": "2026-12-06T04:00:00Z"},  # fuzzy match
        {"StreamName": "a1", "AppName": "other", "PublishTime": "2026-12-06T04:00:00Z"},
        {
            "StreamName": "a1",
            "PublishTime": "yesterday",
            "StopTime": None,
        },  # no AppName: Tencent's may omit it
        "not a record",
        None,
    ]
    assert history._pushes(records, "a1", "PublishTime", "StopTime") == [
        (1796529600, 1796533200),
        (None, None),
    ]
