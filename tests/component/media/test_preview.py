"""试听 previews of an HLS-only library video (ADR 0325): the preview page plays the ladder through a
preview token minted for the block and the visitor; other videos, other visitors, expired and
forged tokens are refused with a reason; the poster and captions come with the same token and the
same refusals (ADR 0329); an operator's or the author's cap (the smaller) ends the playlist and the
captions there; and nothing of it reaches the ledger (no session, no delivery record, no fetch log)."""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from sandbox.lms.models import CourseRun
from xueshi_media import api, previews, previewtoken, transcode
from xueshi_media.models import Asset
from xueshi_studytime import hotstate
from xueshi_studytime.models import PlaybackSession

from ..video.conftest import LESSON1, post_json, set_fields
from .conftest import COURSE, upload

pytestmark = [pytest.mark.component, pytest.mark.django_db]
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-cn"}


@pytest.fixture
def preview_unit(operator: Any, videos: Any, settings: Any) -> Asset:
    """LESSON1 plays only an uploaded ladder (no typed URL), is marked 试听, and its run is public."""
    settings.XUESHI_MEDIA_SEGMENT_SECONDS = 1
    asset = Asset.objects.get(pk=upload(operator, videos["good"]).json()["id"])
    assert transcode.run(asset.pk) == Asset.READY
    values = {"media_asset": asset.pk.hex, "sources": [], "captions": [], "preview": True}
    saved = post_json(operator, LESSON1, "submit_studio_edits", {"values": values})
    assert saved.status_code == 200, saved.content
    CourseRun.objects.filter(course_key=COURSE).update(course_visibility="public")
    return asset


def visitor(name: str = "visitor") -> Client:
    """A signed-in visitor who has not enrolled (the sandbox's /xblock/ view needs a sign-in)."""
    user = get_user_model().objects.create_user(name, f"{name}@example.com", "pw-preview-1")
    client = Client()
    client.force_login(user)
    return client


def uris(playlist: Any) -> list[str]:
    return [line for line in playlist.content.decode().splitlines() if line and not line.startswith("#")]


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def attribute(page: str, pattern: str) -> str:
    return re.search(pattern, page).group(1).replace("&amp;", "&")


def refused(client: Client, url: str, **extra: Any) -> tuple[str, str]:
    answer = client.get(url, **extra)
    assert answer.status_code == 403, (answer.status_code, url)
    return answer.json()["error"], answer.json()["detail"]


def test_the_hls_only_preview_plays_for_its_visitor_and_the_ledger_records_nothing(
    preview_unit: Asset, demo_site: Any
) -> None:
    guest = visitor()
    ledger_keys = set(hotstate.client().keys("*"))
    page = guest.get(f"/xblock/{LESSON1}", **ZH).content.decode()
    assert 'data-preview="true"' in page and "XueshiVideoBlock" not in page and "选课后观看才计学时" in page
    assert "public/js/dist/preview.js" in page and "XueshiVideoPreview" in page
    master_url = re.search(r'data-hls="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert master_url.startswith(f"/xueshi/media/preview/{preview_unit.pk.hex}/master.m3u8?xpv=")
    master = guest.get(master_url)
    assert master.status_code == 200 and master["Cache-Control"] == "private, no-store"
    variant = guest.get(uris(master)[-1])
    assert variant.status_code == 200 and "#EXT-X-ENDLIST" in variant.content.decode()
    segments = uris(variant)
    assert len(segments) == 3 and all("/xueshi/media/preview/" in s and "xpv=" in s for s in segments)
    key_url = re.search(r'URI="([^"]+)"', variant.content.decode()).group(1)
    assert len(guest.get(key_url).content) == 16
    for segment in segments:
        served = guest.get(segment)
        assert served.status_code == 200 and served["Content-Type"] == "video/mp2t"
        assert len(body(served)) > 1000

    # Nothing reached the ledger: no playback session, no delivery record, no fetch log.
    assert not PlaybackSession.objects.exists()
    assert set(hotstate.client().keys("*")) == ledger_keys

    # The same link in another browser (another session, or none) is refused, with the reason.
    assert refused(visitor("other"), segments[0])[0] == "other_visitor"
    code, detail = refused(Client(), segments[0], **ZH)
    assert code == "other_visitor" and "其他访客" in detail
    # A forged token, none, or the token on another video's path.
    token = parse_qs(urlsplit(segments[0]).query)["xpv"][0]
    forged = token[:-1] + ("0" if token[-1] != "0" else "1")
    assert refused(guest, segments[0].replace(token, forged))[0] == "bad_preview_token"
    assert refused(guest, segments[0].split("?")[0])[0] == "bad_preview_token"
    other = segments[0].replace(preview_unit.pk.hex, "0" * 32, 1)
    assert refused(guest, other)[0] == "other_video"
    # The ledger's own signature is no preview token, nor a preview token a ledger signature.
    assert guest.get(segments[0].replace("/preview/", "/hls/")).json()["error"] == "bad_signature"


def test_the_preview_shows_the_poster_and_captions_to_its_visitor_only(preview_unit: Asset) -> None:
    guest, base = visitor(), f"/xueshi/media/preview/{preview_unit.pk.hex}/"
    ledger_keys = set(hotstate.client().keys("*"))
    page = guest.get(f"/xblock/{LESSON1}", **ZH).content.decode()
    poster = attribute(page, r'poster="([^"]+)"')
    track = attribute(page, r'<track kind="captions"[^>]* src="([^"]+)" default>')
    assert poster.startswith(base + "poster.jpg?xpv=") and track.startswith(base + "captions_0.vtt?xpv=")
    image = guest.get(poster)
    assert (
        image.status_code == 200 and image["Content-Type"] == "image/jpeg" and body(image)[:2] == b"\xff\xd8"
    )
    words = guest.get(track)
    assert words["Content-Type"].startswith("text/vtt") and "第一课字幕" in body(words).decode()
    assert not PlaybackSession.objects.exists() and set(hotstate.client().keys("*")) == ledger_keys
    assert refused(visitor("other"), poster)[0] == "other_visitor"
    assert refused(guest, track.replace(preview_unit.pk.hex, "0" * 32, 1))[0] == "other_video"
    assert refused(guest, poster.split("?")[0])[0] == "bad_preview_token"
    assert guest.get(track.replace("captions_0.vtt", "thumbnails.vtt")).status_code == 404  # not in previews


def test_an_expired_token_is_refused_and_an_anonymous_grant_plays_anywhere(preview_unit: Asset) -> None:
    asset = preview_unit.pk.hex
    stale = previewtoken.mint(asset, LESSON1, None, 0, time.time() - 7200, 600)
    code, detail = refused(Client(), f"/xueshi/media/preview/{asset}/master.m3u8?xpv={stale}", **ZH)
    assert code == "preview_expired" and "已过期" in detail
    fresh = api.preview_url(asset, LESSON1, None, 3.0)  # a visitor without a session: a random id
    assert Client().get(fresh).status_code == 200


@override_settings(XUESHI_MEDIA_PREVIEW_MAX_SECONDS=1)
def test_an_operators_cap_ends_the_preview_there(preview_unit: Asset) -> None:
    guest = visitor()
    page = guest.get(f"/xblock/{LESSON1}", **ZH).content.decode()
    assert "试听前 1 分钟" in page
    master_url = re.search(r'data-hls="([^"]+)"', page).group(1).replace("&amp;", "&")
    variant = guest.get(uris(guest.get(master_url))[-1]).content.decode()
    segments = [line for line in variant.splitlines() if line and not line.startswith("#")]
    assert len(segments) == 1 and variant.rstrip().endswith("#EXT-X-ENDLIST")
    assert guest.get(segments[0]).status_code == 200
    past = segments[0].replace("seg_00000.ts", "seg_00002.ts")
    code, detail = refused(guest, past, **ZH)
    assert code == "beyond_preview" and "选课" in detail


@override_settings(XUESHI_MEDIA_PREVIEW_MAX_SECONDS=600)
def test_the_authors_cap_ends_the_preview_when_it_is_the_smaller(preview_unit: Asset) -> None:
    typed = {"sources": ["/media/xueshi-demo/lesson1.mp4"], "captions": [{"lang": "zh-cn", "url": "/x.vtt"}]}
    set_fields(LESSON1, preview_max_seconds=1, **typed)
    guest = visitor()
    page = guest.get(f"/xblock/{LESSON1}", **ZH).content.decode()
    assert "试听前 1 分钟" in page and "<source" not in page  # a typed fallback would play past the cap
    variant = guest.get(uris(guest.get(attribute(page, r'data-hls="([^"]+)"')))[-1]).content.decode()
    segments = [line for line in variant.splitlines() if line and not line.startswith("#")]
    assert len(segments) == 1 and variant.rstrip().endswith("#EXT-X-ENDLIST")
    code, _detail = refused(guest, segments[0].replace("seg_00000.ts", "seg_00002.ts"))
    assert code == "beyond_preview"
    track = attribute(page, r'<track kind="captions"[^>]* src="([^"]+)"')
    assert "/x.vtt" not in page  # the author's tracks cannot be cut: the library's are shown
    assert "第一课字幕" in body(guest.get(track)).decode()  # its cue starts at 0, before the cap


def test_captions_lose_the_cues_past_the_cap() -> None:
    vtt = "WEBVTT\n\n00:00.000 --> 00:02.000\n一\n\n1\n00:01:05.500 --> 00:01:07.000\n二\n"
    assert previews.cut_captions(vtt, 60) == "WEBVTT\n\n00:00.000 --> 00:02.000\n一\n"
    assert "二" in previews.cut_captions(vtt, 66)
    assert previewtoken.effective_limit(0, 0) == 0 and previewtoken.effective_limit(300, 0) == 300
    assert previewtoken.effective_limit(0, 120) == 120 and previewtoken.effective_limit(300, 120) == 120
