"""Studio editing: values are validated on the server and bad ones get clear per-field messages."""

import pytest
from opaque_keys.edx.keys import UsageKey

from sandbox.lms.models import ContentBlock

from .conftest import LESSON1, handler_url, post_json, set_fields

pytestmark = pytest.mark.django_db


def stored(usage):
    return ContentBlock.objects.get(usage_key=UsageKey.from_string(usage)).fields


def test_valid_edits_are_saved(author):
    values = {
        "display_name": "第一课（修订）",
        "sources": ["/media/xueshi-demo/lesson1.mp4"],
        "duration": "121.5",
        "completion_coverage": 0.9,
        "allowed_rates": [1.0, 1.5],
        "anti_idle_minutes": "0",
        "captions": [{"lang": "zh-cn", "url": "/media/xueshi-demo/lesson1.zh.vtt"}],
        "weight": "3",
        "free_seek_after_complete": True,
    }
    response = post_json(author, LESSON1, "submit_studio_edits", {"values": values})
    assert response.status_code == 200, response.content
    fields = stored(LESSON1)
    assert fields["display_name"] == "第一课（修订）"
    assert fields["duration"] == 121.5
    assert fields["allowed_rates"] == [1.0, 1.5]
    assert fields["anti_idle_minutes"] == 0.0
    assert fields["weight"] == 3.0
    assert fields["free_seek_after_complete"] is True


def test_bad_values_get_per_field_messages_and_nothing_is_saved(author):
    before = dict(stored(LESSON1))
    bad = {"duration": "-1", "completion_coverage": 0.2, "allowed_rates": [2.0], "sources": ["ftp://x/a.mp4"]}
    response = post_json(author, LESSON1, "submit_studio_edits", {"values": bad}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_fields"
    assert set(body["field_errors"]) == {"duration", "completion_coverage", "allowed_rates", "sources"}
    assert "greater than 0" in body["field_errors"]["duration"]
    assert stored(LESSON1) == before


def test_learners_cannot_edit(learner):
    response = post_json(learner, LESSON1, "submit_studio_edits", {"values": {"duration": 1}})
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ("[1, 2]", 400, "invalid_json"),
        ("{not json", 400, "invalid_json"),
        ("x" * 600000, 413, "body_too_large"),
    ],
)
def test_malformed_bodies_get_4xx_not_500(author, body, status, code):
    response = post_json(author, LESSON1, "submit_studio_edits", body)
    assert response.status_code == status
    assert response.json()["error"] == code


def test_get_is_refused(author):
    response = author.get(handler_url(LESSON1, "submit_studio_edits"))
    assert response.status_code == 405


def test_studio_view_renders_the_editor(author):
    response = author.get(f"/studio/xblock/{LESSON1}")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="xueshi-video-studio"' in html
    assert "public/js/dist/studio.js" in html
    assert "data-init='XueshiVideoStudio'" in html
    assert 'name="completion_coverage"' in html and 'value="95"' in html


def test_messages_follow_the_authors_language(author):
    bad = {"values": {"duration": "0"}}
    chinese = post_json(author, LESSON1, "submit_studio_edits", bad, HTTP_ACCEPT_LANGUAGE="zh-cn").json()
    assert chinese["field_errors"]["duration"] == "时长必须是大于 0 的秒数（最长 24 小时）。"
    assert chinese["message"] == "请更正标出的字段。"
    english = post_json(author, LESSON1, "submit_studio_edits", bad, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["field_errors"]["duration"].startswith("Duration must be")


@pytest.mark.parametrize("bad", ["abc", "", 30, -60, 90000, 61.5, True, None, [600], "1e999"])
def test_a_bad_preview_length_gets_a_message_not_a_500(author, bad):
    set_fields(LESSON1, media_asset="a" * 32)
    values = {"values": {"preview_max_seconds": bad}}
    answer = post_json(author, LESSON1, "submit_studio_edits", values, HTTP_ACCEPT_LANGUAGE="zh-cn")
    assert answer.status_code == 400
    assert answer.json()["field_errors"] == {
        "preview_max_seconds": "试听时长须为 0（整个视频）或 1 到 1440 分钟。"
    }
    assert "preview_max_seconds" not in stored(LESSON1)


def test_a_preview_length_is_saved_in_seconds_and_needs_a_library_video(author):
    cap = {"values": {"preview_max_seconds": 300}}
    typed_only = post_json(author, LESSON1, "submit_studio_edits", cap, HTTP_ACCEPT_LANGUAGE="en")
    assert typed_only.status_code == 400  # a typed URL plays whole whatever the field said
    assert "library" in typed_only.json()["field_errors"]["preview_max_seconds"]
    set_fields(LESSON1, media_asset="a" * 32)
    assert post_json(author, LESSON1, "submit_studio_edits", cap).status_code == 200
    assert stored(LESSON1)["preview_max_seconds"] == 300
    html = author.get(f"/studio/xblock/{LESSON1}").content.decode()
    assert 'name="preview_max_minutes"' in html and 'value="5"' in html
    assert (
        post_json(
            author, LESSON1, "submit_studio_edits", {"values": {"preview_max_seconds": "0"}}
        ).status_code
        == 200
    )
    assert stored(LESSON1)["preview_max_seconds"] == 0
