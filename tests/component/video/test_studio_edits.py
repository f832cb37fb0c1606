"""Studio editing: values are validated on the server and bad ones get clear per-field messages."""

import pytest
from opaque_keys.edx.keys import UsageKey

from sandbox.lms.models import ContentBlock

from .conftest import LESSON1, handler_url, post_json

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
