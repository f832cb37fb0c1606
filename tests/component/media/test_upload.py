"""Resumable upload to the course's video library: chunks, resume, and every kind of bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from xueshi_media.models import Asset, Upload

from .conftest import COURSE, upload

pytestmark = [pytest.mark.component, pytest.mark.django_db]


def test_a_chunked_upload_resumes_and_becomes_a_measured_library_video(operator: Any, videos: Any) -> None:
    data = videos["good"].read_bytes()
    created = operator.post(
        "/xueshi/media/uploads/",
        {"course_id": COURSE, "filename": "c:\\课程\\第一课.mp4", "size": len(data)},
        content_type="application/json",
    )
    assert created.status_code == 201
    upload_id, half = created.json()["id"], len(data) // 2
    url = f"/xueshi/media/uploads/{upload_id}/"
    first = operator.put(url, data[:half], content_type="application/octet-stream", HTTP_UPLOAD_OFFSET="0")
    assert first.json()["received"] == half
    # The same chunk sent again (a retry after a lost reply) is refused with the offset to go on from.
    again = operator.put(url, data[:half], content_type="application/octet-stream", HTTP_UPLOAD_OFFSET="0")
    assert again.status_code == 409 and again.json() == {
        "error": "offset_mismatch",
        "detail": str(half),
        "received": half,
    }
    # A broken connection: the client asks where to resume.
    assert operator.get(url).json()["received"] == half
    early = operator.post(f"{url}finish/", {}, content_type="application/json")
    assert early.status_code == 409 and early.json()["error"] == "incomplete"
    rest = operator.put(
        url, data[half:], content_type="application/octet-stream", HTTP_UPLOAD_OFFSET=str(half)
    )
    assert rest.json()["received"] == len(data)
    done = operator.post(f"{url}finish/", {"title": "第一课"}, content_type="application/json")
    assert done.status_code == 201, done.content
    body = done.json()
    assert body["title"] == "第一课" and (body["width"], body["height"]) == (960, 540)
    assert abs(body["duration"] - 3.0) < 0.2  # measured by ffprobe, nobody typed it
    asset = Asset.objects.get(pk=body["id"])
    assert Upload.objects.get(pk=upload_id).filename == "第一课.mp4"
    with default_storage.open(asset.source_name, "rb") as stored:
        assert stored.read() == data
    listed = operator.get(f"/xueshi/media/courses/{COURSE}/videos/").json()["assets"]
    assert [a["id"] for a in listed] == [asset.pk.hex]


@pytest.mark.parametrize(("name", "code"), [("text", "not_a_video"), ("truncated", "truncated")])
def test_what_is_not_a_whole_video_is_refused_and_not_kept(
    operator: Any, videos: Any, name: str, code: str
) -> None:
    refused = upload(operator, videos[name])
    assert refused.status_code == 422 and refused.json()["error"] == code
    assert not Asset.objects.exists() and Upload.objects.get().state == Upload.FAILED
    assert not default_storage.listdir("xueshi-media/uploads")[1]


def test_huge_forged_and_unauthorised_uploads_get_clear_4xx(
    operator: Any, settings: Any, demo_site: Any
) -> None:
    settings.XUESHI_MEDIA_MAX_UPLOAD_BYTES = 1000
    start = "/xueshi/media/uploads/"
    huge = operator.post(start, {"course_id": COURSE, "filename": "a.mp4", "size": 10**12},
                         content_type="application/json")  # fmt: skip
    assert huge.status_code == 413 and huge.json()["error"] == "too_large"
    for body, code in [
        ({"course_id": "not a course", "filename": "a.mp4", "size": 10}, "invalid_course_id"),
        ({"course_id": COURSE, "filename": "a.mp4", "size": "ten"}, "invalid_size"),
        ({"course_id": COURSE, "filename": "a.mp4", "size": 0}, "empty"),
    ]:
        answer = operator.post(start, body, content_type="application/json")
        assert answer.status_code == 400 and answer.json()["error"] == code, answer.content
    assert operator.post(start, "[1,", content_type="application/json").status_code == 400
    upload_id = operator.post(start, {"course_id": COURSE, "filename": "a.mp4", "size": 100},
                              content_type="application/json").json()["id"]  # fmt: skip
    url = f"/xueshi/media/uploads/{upload_id}/"
    over = operator.put(url, b"x" * 200, content_type="application/octet-stream", HTTP_UPLOAD_OFFSET="0")
    assert over.status_code == 413 and over.json()["error"] == "too_long"
    ahead = operator.put(url, b"x" * 10, content_type="application/octet-stream", HTTP_UPLOAD_OFFSET="50")
    assert ahead.status_code == 409 and ahead.json()["received"] == 0
    bad_offset = operator.put(url, b"x", content_type="application/octet-stream", HTTP_UPLOAD_OFFSET="-1")
    assert bad_offset.status_code == 400
    assert Client().post(start, {}, content_type="application/json").status_code == 401
    learner = Client()
    assert learner.login(username="zhangsan", password=demo_site["password"])
    refused = learner.post(start, {"course_id": COURSE, "filename": "a.mp4", "size": 10},
                           content_type="application/json")  # fmt: skip
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
    assert learner.get(url).status_code == 403  # and someone else's upload stays closed
    assert learner.get(f"/xueshi/media/library/{COURSE}/").status_code == 403
    page = operator.get(f"/xueshi/media/library/{COURSE}/")
    assert page.status_code == 200 and b"xm-progress" in page.content
