"""The guarded video's pure rules: Studio validation, event sanitising, transcripts, completion."""

import gettext
from pathlib import Path

import pytest

from xueshi_video import logic

ENGLISH = str


def valid_edits(**changes):
    values = {
        "display_name": "第一课：安全生产法概述",
        "sources": ["https://cdn.example.com/v/l1.mp4", "/media/l1/index.m3u8"],
        "edx_video_id": "",
        "duration": "120.5",
        "captions": [
            {"lang": "zh-cn", "url": "/static/l1.zh.vtt"},
            {"lang": "en", "url": "https://x.example/l1.vtt"},
        ],
        "transcript_download": True,
        "completion_coverage": 0.95,
        "allowed_rates": [1.0, 1.25],
        "anti_idle_minutes": "15",
        "free_seek_after_complete": False,
        "weight": 2,
    }
    values.update(changes)
    return values


def test_valid_edits_are_cleaned_to_stored_types():
    clean, errors = logic.validate_edits(valid_edits(), ENGLISH)
    assert errors == {}
    assert clean["duration"] == 120.5
    assert clean["anti_idle_minutes"] == 15.0
    assert clean["allowed_rates"] == [1.0, 1.25]
    assert clean["sources"][1] == "/media/l1/index.m3u8"


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("duration", "0", "greater than 0"),
        ("duration", "-3", "greater than 0"),
        ("duration", "abc", "greater than 0"),
        ("duration", float("nan"), "greater than 0"),
        ("completion_coverage", 0.3, "between 50% and 100%"),
        ("completion_coverage", 1.5, "between 50% and 100%"),
        ("allowed_rates", [2.0], "include 1.0"),
        ("allowed_rates", [1.0, 3.0], "chosen from"),
        ("allowed_rates", "1.0", "chosen from"),
        ("anti_idle_minutes", "0.5", "0 (off) or 1 to 240"),
        ("anti_idle_minutes", 500, "0 (off) or 1 to 240"),
        ("weight", -1, "0 to 100"),
        ("sources", ["javascript:alert(1)//.mp4"], "Unsupported source"),
        ("sources", ["//evil.example/x.mp4"], "Unsupported source"),
        ("sources", ["https://cdn.example.com/v/l1.avi"], "Unsupported source"),
        ("sources", ["/a.mp4"] * 6, "at most 5"),
        ("captions", [{"lang": "中文", "url": "/a.vtt"}], "not a language code"),
        ("captions", [{"lang": "en", "url": "/a.srt"}], "WebVTT"),
        ("captions", [{"lang": "en", "url": "/a.vtt"}, {"lang": "EN", "url": "/b.vtt"}], "given twice"),
        ("display_name", "  ", "title"),
        ("free_seek_after_complete", "yes", "yes or no"),
        ("edx_video_id", "a b", "video ID"),
    ],
)
def test_bad_values_get_a_message_on_their_field(field, value, fragment):
    clean, errors = logic.validate_edits(valid_edits(**{field: value}), ENGLISH)
    assert fragment in errors[field]
    assert field not in clean


def test_a_video_needs_a_source_or_a_video_id():
    _, errors = logic.validate_edits(valid_edits(sources=[], edx_video_id=""), ENGLISH)
    assert "at least one" in errors["sources"]
    _, errors = logic.validate_edits(valid_edits(sources=[], edx_video_id="abc-123"), ENGLISH)
    assert errors == {}


def test_messages_are_translated_with_the_committed_chinese_catalog():
    locale = Path(logic.__file__).parent / "translations"
    chinese = gettext.translation("text", localedir=str(locale), languages=["zh_CN"]).gettext
    _, errors = logic.validate_edits(valid_edits(duration="-1", completion_coverage=0.2), chinese)
    assert errors["duration"] == "时长必须是大于 0 的秒数（最长 24 小时）。"
    assert "50% 到 100%" in errors["completion_coverage"]


def test_textarea_sources_are_split_into_lines():
    clean, errors = logic.validate_edits({"sources": " /a.mp4 \n\n/b.webm\n"}, ENGLISH)
    assert errors == {}
    assert clean["sources"] == ["/a.mp4", "/b.webm"]


def test_event_whitelist_and_sanitising():
    event = logic.sanitize_event(
        "seek_video",
        {
            "old_time": -5,
            "new_time": 99999,
            "type": "onSlideSeek",
            "id": "forged",
            "evil": "<script>",
            "code": "x",
        },
        duration=120.0,
        block_id="block-v1:A+B+C+type@xueshi_video+block@v",
    )
    assert event == {
        "id": "block-v1:A+B+C+type@xueshi_video+block@v",
        "code": "html5",
        "old_time": 0.0,
        "new_time": 120.0,
        "type": "onSlideSeek",
        "duration": 120.0,
    }
    speed = logic.sanitize_event("speed_change_video", {"old_speed": 1, "new_speed": 2}, 60, "b")
    assert (speed["old_speed"], speed["new_speed"]) == ("1.00", "2.00")
    with pytest.raises(ValueError):
        logic.sanitize_event("problem_check", {}, 60, "b")
    with pytest.raises(ValueError):
        logic.sanitize_event("play_video", ["not", "an", "object"], 60, "b")


def test_vtt_to_text_keeps_cue_text_only():
    vtt = (
        "\ufeffWEBVTT\n\nNOTE a comment\n\n"
        "1\n00:00:00.000 --> 00:00:02.000 align:start\n<v 讲师>第一句</v>\n\n"
        "00:02.000 --> 00:04.000\n第二句\n第二行\n\n00:04.000 --> 00:05.000\n第二句\n第二行\n"
    )
    assert logic.vtt_to_text(vtt) == "第一句\n第二句 第二行\n"
    assert logic.vtt_to_text("WEBVTT\n") == ""


@pytest.mark.parametrize(
    ("coverage", "required", "completed", "expected"),
    [(0.0, 0.95, False, 0.0), (0.475, 0.95, False, 0.5), (0.97, 0.95, False, 0.99), (0.2, 0.95, True, 1.0)],
)
def test_completion_comes_from_server_coverage(coverage, required, completed, expected):
    assert logic.completion_for(coverage, required, completed) == expected


def test_source_types():
    assert logic.source_type("https://a/b/index.M3U8?sig=1") == "application/x-mpegURL"
    assert logic.source_type("/a.webm") == "video/webm"
    assert logic.source_type("/a.mov") is None
