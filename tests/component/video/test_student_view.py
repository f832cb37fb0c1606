"""The learner view and ``student_view_data``: markup for phones and WeChat, course-wide data only."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from opaque_keys.edx.keys import UsageKey

from sandbox.lms.runtime import load_block

from .conftest import LESSON1, LESSON2, handler_url, set_fields

pytestmark = pytest.mark.django_db


def init_args(html):
    match = re.search(
        r'<script type="json/xblock-args" class="xblock_json_init_args">(.*?)</script>', html, re.S
    )
    return json.loads(match.group(1))


def test_student_view_renders_the_guarded_player(learner):
    response = learner.get(f"/xblock/{LESSON1}")
    assert response.status_code == 200
    html = response.content.decode()
    for attribute in ("playsinline", "webkit-playsinline", "x5-playsinline", "disablepictureinpicture"):
        assert attribute in html
    video_tag = html.split("<video", 1)[1].split(">", 1)[0]
    assert not re.search(r"\scontrols(\s|=|$)", video_tag)  # no native controls: ours only
    assert 'role="slider"' in html
    assert "public/js/dist/player.js" in html
    assert "public/js/translations/zh_CN/text.js" in html  # the sandbox speaks Chinese by default
    assert '<track kind="captions" srclang="zh-cn"' in html
    args = init_args(html)
    assert args["sources"] == [{"url": "/media/xueshi-demo/lesson1.mp4", "type": "video/mp4"}]
    assert args["rules"]["allowed_rates"] == [1.0]


def test_english_pages_load_no_chinese_catalog(learner):
    html = learner.get(f"/xblock/{LESSON1}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "translations/zh_CN" not in html


def test_student_view_data_shape_has_no_learner_state(demo_site):
    user = get_user_model().objects.get(username="lisi")
    data = load_block(user, UsageKey.from_string(LESSON2)).student_view_data()
    assert set(data) == {
        "block_id",
        "title",
        "duration",
        "sources",
        "all_sources",
        "encoded_videos",
        "transcripts",
        "transcript_download",
        "rules",
        "only_on_web",
    }
    assert data["encoded_videos"]["hls"]["url"].endswith("/lesson2/index.m3u8")
    assert "fallback" in data["encoded_videos"]
    assert data["duration"] == 150
    assert data["transcripts"]["zh-cn"].endswith("lesson2.zh.vtt")
    assert data["rules"] == {
        "allowed_rates": [1.0],
        "completion_coverage": 0.95,
        "anti_idle_seconds": 900,
        "free_seek_after_complete": False,
        "heartbeat_seconds": 30,
    }
    other = load_block(get_user_model().objects.get(username="wangwu"), UsageKey.from_string(LESSON2))
    assert other.student_view_data() == data


def test_heartbeat_interval_comes_from_xblock_settings(demo_site, settings):
    settings.XBLOCK_SETTINGS = {"xueshi_video": {"heartbeat_seconds": 5}}
    user = get_user_model().objects.get(username="lisi")
    assert (
        load_block(user, UsageKey.from_string(LESSON1)).student_view_data()["rules"]["heartbeat_seconds"] == 5
    )


def test_video_id_resolves_through_compat(demo_site):
    set_fields(LESSON1, sources=[], edx_video_id="xueshi-demo-lesson1", duration=0.0)
    user = get_user_model().objects.get(username="lisi")
    data = load_block(user, UsageKey.from_string(LESSON1)).student_view_data()
    assert data["sources"][0]["url"].endswith("/lesson1.mp4")
    assert data["duration"] == 120.0
    assert data["encoded_videos"]["desktop_mp4"]["url"].endswith("/lesson1.mp4")


def test_block_without_source_says_so(learner):
    set_fields(LESSON1, sources=[], edx_video_id="")
    html = learner.get(f"/xblock/{LESSON1}").content.decode()
    assert "<video" not in html
    assert 'role="alert"' in html


def test_h5_page_is_a_complete_mobile_page(learner):
    response = learner.get(handler_url(LESSON1, "h5"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith("<!DOCTYPE html>")
    assert 'name="viewport"' in html
    assert "x5-playsinline" in html
    boot = json.loads(re.search(r'id="xueshi-h5-boot">(.*?)</script>', html, re.S).group(1))
    assert boot["handlers"]["open_session"] == handler_url(LESSON1, "open_session")
    assert boot["csrf"]
    assert "csrftoken" in response.cookies


def test_h5_page_asks_anonymous_visitors_to_sign_in(demo_site, client):
    html = client.get(handler_url(LESSON1, "h5")).content.decode()
    assert "<video" not in html
    assert "/login/?next=" in html


def test_the_blocks_compiled_js_catalog_is_served_like_the_lms_serves_it(learner):
    """``local_resource_url`` + the resource view: the namespaced catalog, as a script (ADR 0081)."""
    for block, namespace in (("xueshi_video", "XueshiVideoI18N"), ("xueshi_practice", "XueshiPracticeI18N")):
        response = learner.get(f"/xblock/resource/{block}/public/js/translations/zh_CN/text.js")
        assert response.status_code == 200 and "javascript" in response["Content-Type"]
        assert f"globals.{namespace} = {{}}" in response.content.decode()


def test_a_platform_compiled_catalog_is_preferred_when_the_lms_has_one(learner, settings, tmp_path):
    """The LMS's ``get_javascript_i18n_catalog_url``: atlas catalogs compiled by the platform win."""
    settings.STATICI18N_ROOT = tmp_path
    assert "public/js/translations/zh_CN/text.js" in learner.get(f"/xblock/{LESSON1}").content.decode()
    compiled = tmp_path / "js" / "xblock.v1-i18n" / "xueshi_video" / "zh_CN.js"
    compiled.parent.mkdir(parents=True)
    compiled.write_text("/* compile_xblock_translations */", encoding="utf-8")
    html = learner.get(f"/xblock/{LESSON1}").content.decode()
    assert "/static/js/xblock.v1-i18n/xueshi_video/zh_CN.js" in html
    assert "public/js/translations/" not in html
