"""Media URLs signed for the learner and block, a delivery log kept by the media server, and no
credit for a session whose learner was never sent the video (issue 15)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings as django_settings
from django.test import Client

from xueshi_studytime import api, hotstate, media
from xueshi_studytime.models import PlaybackSession
from xueshi_studytime.sessions import short_hash

from .conftest import USAGE, play

pytestmark = [pytest.mark.component, pytest.mark.django_db]


@pytest.fixture
def media_file():
    folder = django_settings.MEDIA_ROOT / "proof-test"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "lesson.mp4"
    path.write_bytes(bytes(range(256)) * 8)  # 2048 bytes
    yield "/media/proof-test/lesson.mp4"
    path.unlink()


@pytest.fixture
def proof(settings):
    settings.XUESHI_STUDYTIME_MEDIA_SIGNED_PREFIXES = ["/media/"]
    settings.XUESHI_STUDYTIME_MEDIA_PROOF = True


def signed(user, url):
    return api.sign_media_urls(user.id, USAGE, [{"url": url, "type": "video/mp4"}])[0]["url"]


def delivery_log(user):
    return hotstate.client().hgetall(media.log_key(user.id, short_hash(USAGE)))


def test_only_our_media_urls_are_signed(learner, proof):
    cdn = "https://cdn.example.com/v/lesson.mp4"
    assert signed(learner, cdn) == cdn
    url = signed(learner, "/media/demo/lesson1.mp4?lang=zh")
    query = parse_qs(urlsplit(url).query)
    assert query["lang"] == ["zh"] and query["xst"][0].startswith(f"{learner.id}.{short_hash(USAGE)}.")


def test_the_media_server_logs_bytes_sent_under_a_valid_signature(learner, other_learner, media_file, proof):
    http = Client()
    url = signed(learner, media_file)
    assert b"".join(http.get(url).streaming_content) == (bytes(range(256)) * 8)
    assert http.get(url, HTTP_RANGE="bytes=0-99").status_code == 206
    log = delivery_log(learner)
    assert log["bytes"] == "2148" and log["fetches"] == "2" and log["size"] == "2048"
    # A signature is bound to its path, its learner and its expiry: tampering is served, not logged.
    tampered = url.replace(f"xst={learner.id}.", f"xst={other_learner.id}.")
    elsewhere = signed(other_learner, "/media/proof-test/other.mp4").split("?")[1]
    assert http.get(tampered, HTTP_RANGE="bytes=0-9").status_code == 206
    assert http.get(f"{media_file}?{elsewhere}", HTTP_RANGE="bytes=0-9").status_code == 206
    assert delivery_log(other_learner) == {}


def test_expired_signatures_are_not_logged(learner, media_file, proof, clock):
    url = signed(learner, media_file)
    clock.advance(9 * 3600)
    Client().get(url, HTTP_RANGE="bytes=0-9")
    assert delivery_log(learner) == {}


def test_without_delivered_media_a_session_earns_nothing(
    learner, open_player, clock, media_file, proof, flushed
):
    player = open_player(learner)
    replies = [r.json() for r in play(player, clock, 0, 90)]
    assert {r["reason"] for r in replies} == {"no_media"} and sum(r["credited"] for r in replies) == 0
    assert replies[-1]["message"]
    flushed()
    assert PlaybackSession.objects.get().risk_signals == {"no_media": 1}
    Client().get(signed(learner, media_file), HTTP_RANGE="bytes=0-1023")
    replies = [r.json() for r in play(player, clock, 0, 60)]
    assert sum(r["credited"] for r in replies) == 60


def test_without_proof_required_the_signal_is_still_recorded(learner, open_player, clock, settings, flushed):
    settings.XUESHI_STUDYTIME_MEDIA_SIGNED_PREFIXES = ["/media/"]
    player = open_player(learner)
    assert sum(r.json()["credited"] for r in play(player, clock, 0, 60)) == 60
    flushed()
    assert PlaybackSession.objects.get().risk_signals == {"no_media": 1}
