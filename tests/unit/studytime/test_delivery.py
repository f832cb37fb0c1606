"""How far a session's delivered media reaches (ADR 0053): pure functions, no Redis."""

from __future__ import annotations

import pytest

from xueshi_studytime.delivery import Delivery, reach, rewrite_playlist

pytestmark = pytest.mark.unit

SIZE, DURATION = 600_000, 600.0  # 1000 bytes a second; slack = 6000 + 30000 bytes = 36 s


def test_progressive_reach_follows_the_bytes_without_a_gap():
    first = Delivery(100_000, SIZE, ((0.0, 100_000.0),))
    assert reach(first, DURATION, 0.0) == pytest.approx(136.0)
    assert reach(first, DURATION, 200.0) == 200.0  # nothing delivered around 200 s: no further
    gap = Delivery(200_000, SIZE, ((0.0, 100_000.0), (150_000.0, 250_000.0)))
    assert reach(gap, DURATION, 100.0) == pytest.approx(136.0)  # the gap stops it
    assert reach(gap, DURATION, 170.0) == pytest.approx(286.0)  # a resumed session starts mid-file
    # A few bytes fetched ahead of the position earn no more than the slack.
    assert reach(Delivery(10, SIZE, ((300_000.0, 300_010.0),)), DURATION, 290.0) < 290.0 + 36.1
    whole = Delivery(SIZE, SIZE, ((0.0, float(SIZE)),))
    assert reach(whole, DURATION, 599.0) == DURATION
    assert reach(Delivery(), DURATION, 10.0) == 10.0


def test_hls_reach_is_the_end_of_the_delivered_segment_holding_the_position():
    spans = Delivery(5000, 0, (), ((0.0, 12.0), (24.0, 36.0)))
    assert reach(spans, DURATION, 6.0) == pytest.approx(12.05)
    assert reach(spans, DURATION, 12.0) == pytest.approx(12.05)
    assert reach(spans, DURATION, 18.0) == 18.0


def test_a_playlist_is_rewritten_with_each_segment_signed_with_its_span():
    text = "#EXTM3U\n#EXTINF:6.0,\na.ts\n#EXTINF:4.5,\nsub/b.ts\nlow.m3u8\n#EXT-X-ENDLIST"
    signed = rewrite_playlist(text, "/media/v/index.m3u8", lambda path, span: f"{path}|{span}")
    assert signed.splitlines() == [
        "#EXTM3U",
        "#EXTINF:6.0,",
        "/media/v/a.ts|(0.0, 6.0)",
        "#EXTINF:4.5,",
        "/media/v/sub/b.ts|(6.0, 10.5)",
        "/media/v/low.m3u8|None",
        "#EXT-X-ENDLIST",
    ]
