"""The ladder's pure rules: no upscaling, even sizes, keyframes forced at every segment boundary."""

from __future__ import annotations

from xueshi_media import ladder
from xueshi_media.conf import DEFAULT_LADDER


def names(width: int, height: int) -> list[tuple[str, int, int]]:
    return [(r.name, r.width, r.height) for r in ladder.renditions(width, height, DEFAULT_LADDER)]


def test_the_ladder_stops_at_the_source_height_and_keeps_the_aspect_ratio() -> None:
    assert [n for n, _w, _h in names(1920, 1080)] == ["1080p", "720p", "540p", "360p"]
    assert names(1280, 720) == [("720p", 1280, 720), ("540p", 960, 540), ("360p", 640, 360)]
    assert names(640, 480) == [("360p", 480, 360)]  # 4:3 stays 4:3
    assert names(1080, 1920) == [
        ("1080p", 608, 1080),
        ("720p", 404, 720),
        ("540p", 304, 540),
        ("360p", 202, 360),
    ]
    assert names(321, 241) == [("240p", 320, 240)]  # below every rung: one rendition, even sizes


def test_every_rendition_is_cut_at_the_same_instants() -> None:
    r = ladder.renditions(1280, 720, DEFAULT_LADDER)[0]
    args = ladder.rendition_args("in.mp4", "/out", r, segment=4, fps=29.97, preset="veryfast", audio=True)
    joined = " ".join(args)
    assert "-g 120 -keyint_min 120 -sc_threshold 0" in joined
    assert "-force_key_frames expr:gte(t,n_forced*4)" in joined and "-hls_time 4" in joined
    assert "-map 0:a:0" in joined and "-hls_playlist_type vod" in joined
    silent = ladder.rendition_args("in.mp4", "/out", r, segment=4, fps=25, preset="veryfast", audio=False)
    assert "0:a:0" not in silent and "aac" not in silent


def test_master_playlist_and_thumbnail_track() -> None:
    made = ladder.renditions(1280, 720, DEFAULT_LADDER)
    master = ladder.master_playlist(made, audio=True).splitlines()
    assert master[3].startswith("#EXT-X-STREAM-INF:BANDWIDTH=") and "RESOLUTION=1280x720" in master[3]
    assert master[4] == "720p/index.m3u8" and master[-1] == "360p/index.m3u8"
    vtt = ladder.thumbnails_vtt(61.5, 10, (160, 90), columns=5, per_sheet=25)
    assert vtt.count("-->") == 7 and "00:01:00.000 --> 00:01:01.500" in vtt
    assert "thumbs_001.jpg#xywh=160,0,160,90" in vtt and "thumbs_001.jpg#xywh=0,90,160,90" in vtt
