"""Object storage without bytes through Django (ADR 0326): with an S3-compatible default storage
(moto's S3 server behind a SigV4 gate, real processes on loopback), a verified segment is answered
302 to a short-lived presigned URL that the store itself checks; the delivery record and the fetch
log are kept; playlists are still Django's; an unverified request gets no redirect."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from xueshi_media import api, objectstore
from xueshi_media.models import Asset
from xueshi_studytime import delivery, hotstate

from ..video.conftest import LESSON1, post_json
from .objectstore import s3_sandbox
from .test_delivery import body, clock, grant_user, learner_client, lesson, uris  # noqa: F401

pytestmark = [pytest.mark.component, pytest.mark.django_db]
S3 = "storages.backends.s3.S3Storage"


@pytest.fixture
def store(lesson: Asset, media_root: Path, settings: Any) -> Any:  # noqa: F811
    """The lesson's ladder in the bucket, and Django's default storage on it (as tutor-minio sets)."""
    with s3_sandbox() as sandbox:
        ladder = media_root / "xueshi-media" / lesson.pk.hex
        assert sandbox.upload_tree(ladder, f"xueshi-media/{lesson.pk.hex}") > 5
        default = {"BACKEND": S3, "OPTIONS": sandbox.storage_options()}
        settings.STORAGES = {**settings.STORAGES, "default": default}
        settings.XUESHI_MEDIA_PRESIGNED_SECONDS = 30
        yield sandbox


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read()


def test_a_verified_segment_is_redirected_to_a_presigned_url_the_store_checks(
    lesson: Asset,  # noqa: F811
    store: Any,
    demo_site: Any,
    media_root: Path,
    settings: Any,
) -> None:
    asset = lesson.pk.hex
    learner = learner_client(demo_site)
    grant = post_json(learner, LESSON1, "open_session", {"client": "web"}).json()
    master = learner.get(grant["sources"][0]["url"])
    assert master.status_code == 200 and not master.has_header("Location")  # playlists stay Django's
    segments = uris(learner.get(uris(master)[-1]))
    answer = learner.get(segments[0])
    assert answer.status_code == 302 and answer["Cache-Control"] == "private, no-store"
    location = answer["Location"]
    assert location.startswith(f"{store.endpoint}/xueshi-media/xueshi-media/{asset}/360p/seg_00000.ts?")
    assert parse_qs(urlsplit(location).query)["X-Amz-Expires"] == ["30"]
    status, data = fetch(location)
    stored = media_root / "xueshi-media" / asset / "360p" / "seg_00000.ts"
    assert status == 200 and data == stored.read_bytes()
    # Kept as before: the ledger's delivery record and this app's fetch log.
    session = grant["session_id"]
    assert urlsplit(api.fetched_segments(session)[-1].path).path.endswith("/360p/seg_00000.ts")
    record = delivery.parse(hotstate.client().hgetall(delivery.key(grant_user(demo_site), session)))
    assert len(record.time_spans) == 1 and record.time_spans[0][0] == pytest.approx(0.0, abs=0.05)

    # The store refuses a tampered URL: another object, a longer life, no signature at all.
    assert fetch(location.replace("seg_00000.ts", "seg_00001.ts"))[0] == 403
    assert b"SignatureDoesNotMatch" in fetch(location.replace("X-Amz-Expires=30", "X-Amz-Expires=3600"))[1]
    assert b"AccessDenied" in fetch(location.split("?")[0])[1]
    # An unverified request gets its refusal from Django, never a redirect.
    other = learner_client(demo_site, "lisi").get(segments[0])
    assert other.status_code == 403 and other.json()["error"] == "other_learner"
    assert not other.has_header("Location")
    forged = learner.get(segments[0].replace("xst=", "xst=9"))
    assert forged.status_code == 403 and not forged.has_header("Location")
    # A preview (试听) segment goes the same way.
    preview = learner.get(uris(learner.get(api.preview_url(asset, LESSON1, None, 3.0)))[-1])
    assert learner.get(uris(preview)[0]).status_code == 302

    # The presigned URL dies with its short life.
    settings.XUESHI_MEDIA_PRESIGNED_SECONDS = 1
    short = learner.get(segments[1])["Location"]
    assert fetch(short)[0] == 200
    time.sleep(2.2)
    status, data = fetch(short)
    assert status == 403 and b"AccessDenied" in data


def test_a_storage_that_cannot_presign_streams_instead(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.XUESHI_MEDIA_PRESIGNED_SECONDS = 30
    assert objectstore.presigned_url("xueshi-media/x/360p/seg_00000.ts") is None  # the file system
    options = {"bucket_name": "b", "endpoint_url": "http://127.0.0.1:9", "querystring_auth": False}
    options |= {"access_key": "k", "secret_key": "s", "region_name": "us-east-1"}
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": S3, "OPTIONS": options}}
    assert objectstore.presigned_url("xueshi-media/x/360p/seg_00000.ts") is None  # unsigned: never handed out
