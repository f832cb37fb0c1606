"""Session-bound delivery of a library video played through the guarded video block: signed
playlists and segments, refused after expiry, for another session or another learner; the proof of
fetch per session; X-Accel-Redirect for the web server."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.test import Client, override_settings

from xueshi_media import api, transcode
from xueshi_media.models import Asset
from xueshi_studytime import delivery, hotstate

from ..ledgerkit import ManualClock
from ..video.conftest import LESSON1, post_json
from .conftest import upload

pytestmark = [pytest.mark.component, pytest.mark.django_db]


@pytest.fixture
def clock() -> Any:
    manual = ManualClock()
    with override_settings(
        XUESHI_STUDYTIME_CLOCK=manual,
        XUESHI_STUDYTIME_FLUSH_INLINE=True,
        XUESHI_STUDYTIME_TOKEN_KEYS=["media-test-key"],
        XUESHI_STUDYTIME_LEASE_POLICY="takeover",
        LANGUAGE_CODE="en",
    ):
        yield manual


@pytest.fixture
def lesson(operator: Any, videos: Any, settings: Any, clock: Any) -> Asset:
    """LESSON1 plays a transcoded library video the author picked in the block's editor."""
    settings.XUESHI_MEDIA_SEGMENT_SECONDS = 1
    asset = Asset.objects.get(pk=upload(operator, videos["good"]).json()["id"])
    assert transcode.run(asset.pk) == Asset.READY
    # The editor sends a typed duration too; the measured one wins.
    saved = post_json(
        operator, LESSON1, "submit_studio_edits", {"values": {"media_asset": asset.pk.hex, "duration": "999"}}
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["values"]["duration"] == pytest.approx(3.0, abs=0.2)
    # The editor offers the course's library and marks the chosen video (the URL field stays).
    editor = operator.get(f"/studio/xblock/{LESSON1}").content.decode()
    assert f'<option value="{asset.pk.hex}" selected>第一课 · 3 s</option>' in editor
    assert f'href="/xueshi/media/library/{asset.course_key}/"' in editor and 'name="sources"' in editor
    return asset


def learner_client(demo_site: Any, username: str = "zhangsan") -> Client:
    client = Client()
    assert client.login(username=username, password=demo_site["password"])
    return client


def uris(playlist: Any) -> list[str]:
    return [line for line in playlist.content.decode().splitlines() if line and not line.startswith("#")]


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_learner_plays_the_ladder_through_urls_signed_for_the_session(
    lesson: Asset, demo_site: Any, clock: ManualClock
) -> None:
    learner = learner_client(demo_site)
    grant = post_json(learner, LESSON1, "open_session", {"client": "web"}).json()
    master_url = grant["sources"][0]["url"]
    assert master_url.startswith(f"/xueshi/media/hls/{lesson.pk.hex}/master.m3u8?xst=")
    assert grant["sources"][0]["type"] == "application/x-mpegURL"
    master = learner.get(master_url)
    assert master.status_code == 200 and master["Cache-Control"] == "private, no-store"
    variants = uris(master)
    assert [urlsplit(v).path.rsplit("/", 2)[-2] for v in variants] == ["540p", "360p"]
    playlist = learner.get(variants[1])
    segments = uris(playlist)
    assert len(segments) == 3 and all("xsr=" in s for s in segments)
    segment = learner.get(segments[1])
    encrypted = body(segment)
    assert segment.status_code == 200 and encrypted[:1] != b"\x47"  # encrypted: no MPEG-TS sync byte
    # The AES-128 key: its URI is signed for the session too, and only that session gets it.
    key_url = re.search(r'#EXT-X-KEY:METHOD=AES-128,URI="([^"]+)"', playlist.content.decode()).group(1)
    assert key_url.startswith(f"/xueshi/media/hls/{lesson.pk.hex}/key?xst=")
    key = learner.get(key_url)
    assert key.status_code == 200 and key["Cache-Control"] == "private, no-store" and len(key.content) == 16
    assert learner_client(demo_site, "lisi").get(key_url).json()["error"] == "other_learner"
    decryptor = Cipher(algorithms.AES(key.content), modes.CBC((1).to_bytes(16, "big"))).decryptor()
    assert (decryptor.update(encrypted) + decryptor.finalize())[:1] == b"\x47"  # IV = media sequence 1
    # The proof of fetch: what this session was served, in order, and the span the ledger credits.
    fetched = api.fetched_segments(grant["session_id"])
    assert [urlsplit(f.path).path.rsplit("/", 2)[-2:] for f in fetched] == [
        [lesson.pk.hex, "master.m3u8"],
        ["360p", "index.m3u8"],
        ["360p", "seg_00001.ts"],
        [lesson.pk.hex, "key"],
    ]
    assert fetched[2].span == pytest.approx((1.0, 2.0), abs=0.05)
    record = delivery.parse(
        hotstate.client().hgetall(delivery.key(grant_user(demo_site), grant["session_id"]))
    )
    assert len(record.time_spans) == 1 and record.time_spans[0] == pytest.approx((1.0, 2.0), abs=0.05)
    # The page's own data: the ladder first, with the measured duration and the carried captions.
    view = learner.get(f"/xueshi/media/files/{lesson.pk.hex}/captions_0.vtt")
    assert view.status_code == 200 and "第一课字幕" in body(view).decode()


def grant_user(demo_site: Any) -> int:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="zhangsan").pk


def test_signed_urls_are_refused_after_expiry_for_another_session_or_learner(
    lesson: Asset, demo_site: Any, clock: ManualClock
) -> None:
    learner = learner_client(demo_site)
    grant = post_json(learner, LESSON1, "open_session", {"client": "web"}).json()
    segments = uris(learner.get(uris(learner.get(grant["sources"][0]["url"]))[0]))
    segment = segments[0]
    assert learner.get(segment).status_code == 200

    def refused(client: Client, url: str) -> str:
        answer = client.get(url)
        assert answer.status_code in (403, 404), answer.status_code
        return str(answer.json()["error"])

    # Another learner (signed in, or anonymous) cannot use the learner's URL.
    assert refused(learner_client(demo_site, "lisi"), segment) == "other_learner"
    assert refused(Client(), segment) == "other_learner"
    # A forged URL: the session in the token changed, the span stretched, no signature, a path outside.
    token = parse_qs(urlsplit(segment).query)["xst"][0]
    other_session = re.sub(r"\.[0-9a-f]{8}-", ".00000000-", token)
    assert refused(learner, segment.replace(token, other_session)) == "bad_signature"
    stretched = re.sub(r"xsr=([0-9.]+)-([0-9.]+)", r"xsr=\1-3.000", segment)
    assert stretched != segment and refused(learner, stretched) == "bad_signature"
    assert refused(learner, urlsplit(segment).path) == "bad_signature"
    assert refused(learner, f"/xueshi/media/hls/{lesson.pk.hex}/../uploads/x") == "not_found"
    # The learner's next session (another page or device) takes over: the old session's URLs die.
    post_json(learner, LESSON1, "open_session", {"client": "web"})
    assert refused(learner, segment) == "session_ended"
    # And every URL expires with its token.
    fresh = post_json(learner, LESSON1, "open_session", {"client": "web"}).json()
    url = fresh["sources"][0]["url"]
    assert learner.get(url).status_code == 200
    clock.advance(9 * 3600)
    assert refused(learner, url) == "bad_signature"


def test_segments_are_handed_to_the_web_server_by_internal_redirect(
    lesson: Asset, demo_site: Any, clock: ManualClock, settings: Any
) -> None:
    settings.XUESHI_MEDIA_ACCEL_REDIRECT_PREFIX = "/xueshi-media-internal/"
    learner = learner_client(demo_site)
    grant = post_json(learner, LESSON1, "open_session", {"client": "web"}).json()
    segment = uris(learner.get(uris(learner.get(grant["sources"][0]["url"]))[0]))[0]
    answer = learner.get(segment)
    assert answer.status_code == 200 and answer.content == b""
    assert (
        answer["X-Accel-Redirect"] == f"/xueshi-media-internal/xueshi-media/{lesson.pk.hex}/540p/seg_00000.ts"
    )
    assert len(api.fetched_segments(grant["session_id"])) == 3  # still logged: the proof is Django's
