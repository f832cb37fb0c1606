"""Transcripts from course files (``/static/…``, ``/asset-v1:…``) and from edx-val, through the handler.

Course files go through ``compat.read_course_media`` to the sandbox's contentstore, which keys
them as the platform does; edx-val transcripts through ``compat.read_val_transcript`` to the real
edx-val package (ADR 0012).
"""

import json

import pytest
from django.core.files.base import ContentFile

from sandbox.lms import contentstore

from .conftest import LESSON1, handler_url, set_fields

pytestmark = pytest.mark.django_db
COURSE = "course-v1:XueshiDemo+AQ101+2026"
VTT = "WEBVTT\n\n00:00.000 --> 00:02.000\n课程文件里的字幕\n"


def transcript(client, lang):
    return client.get(handler_url(LESSON1, "transcript") + f"?lang={lang}")


def test_static_and_asset_urls_are_read_from_the_course_contentstore(learner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    asset_url = contentstore.save(COURSE, "subs/lesson1.zh.vtt", VTT.encode())
    assert asset_url == "/asset-v1:XueshiDemo+AQ101+2026+type@asset+block@subs_lesson1.zh.vtt"
    contentstore.save("course-v1:Other+X+1", "secret.vtt", VTT.encode())
    captions = [
        {"lang": "zh-cn", "url": "/static/subs/lesson1.zh.vtt"},  # the path an author types in Studio
        {"lang": "en", "url": asset_url},
        {"lang": "fr", "url": "/static/secret.vtt"},  # another course's file is not this course's
        {"lang": "de", "url": "/static/../../etc/passwd"},
    ]
    set_fields(LESSON1, captions=captions)
    for lang in ("zh-cn", "en"):
        response = transcript(learner, lang)
        assert response.status_code == 200, lang
        assert response.content.decode() == "课程文件里的字幕\n"
    assert transcript(learner, "fr").status_code == 404
    assert transcript(learner, "de").status_code == 404


def test_a_video_id_without_caption_files_downloads_its_edx_val_transcript(learner):
    from edxval import api as edxval_api

    cues = {"start": [0, 1500], "end": [1500, 3000], "text": ["第一句", "第二句"]}
    edxval_api.create_video_transcript(
        "xueshi-demo-lesson1", "zh-cn", "sjson", ContentFile(json.dumps(cues).encode())
    )
    set_fields(LESSON1, sources=[], captions=[], edx_video_id="xueshi-demo-lesson1")
    response = transcript(learner, "zh-cn")
    assert response.status_code == 200
    assert response.content.decode() == "第一句\n第二句\n"
    assert 'filename="transcript-zh-cn.txt"' in response.headers["Content-Disposition"]
    assert transcript(learner, "fr").status_code == 404
