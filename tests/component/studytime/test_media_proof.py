"""Media URLs signed for the learner, block and session, what the media server delivered to each
session, and no credit beyond it (issue 15, ADR 0052 and 0053)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings as django_settings
from django.test import Client

from xueshi_studytime import api, delivery, hotstate, media
from xueshi_studytime.models import PlaybackSession
from xueshi_studytime.sessions import short_hash

from .conftest import POLICY, USAGE, Player, play

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


@pytest.fixture
def open_player(open_player):
    """Open a session as the video block does: its sources are signed for the new session."""

    def _open(user, *args, **kwargs):
        player = open_player(user, *args, **kwargs)
        sources = [{"url": "/media/proof-test/lesson.mp4", "type": "video/mp4"}]
        api.sign_media_urls(user.id, USAGE, sources, player.grant.session_id)
        return player

    return _open


def signed(user, url, session_id=""):
    return api.sign_media_urls(user.id, USAGE, [{"url": url, "type": "video/mp4"}], session_id)[0]["url"]


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
    # The page's URL (signed before any session) delivers to the learner, not to this session.
    assert b"".join(Client().get(signed(learner, media_file)).streaming_content)
    assert {r.json()["reason"] for r in play(player, clock, 0, 30)} == {"no_media"}
    Client().get(signed(learner, media_file, player.grant.session_id), HTTP_RANGE="bytes=0-1023")
    replies = [r.json() for r in play(player, clock, 0, 60)]
    assert sum(r["credited"] for r in replies) == 60


def test_only_what_was_delivered_to_the_session_is_credited(
    learner, other_learner, open_player, clock, media_file, proof, flushed
):
    player = open_player(learner)
    url = signed(learner, media_file, player.grant.session_id)
    # Half the file: 1024 of 2048 bytes of a 600 s video, plus the documented slack (~36 s here).
    Client().get(url, HTTP_RANGE="bytes=0-1023")
    reach = delivery.reach(delivery.Delivery(1024, 2048, ((0.0, 1024.0),)), 600.0, 0.0)
    assert 300 < reach < 340
    replies = [r.json() for r in play(player, clock, 0, 360)]
    credited = sum(r["credited"] for r in replies)
    assert credited == 330 and replies[-1]["reason"] == "not_delivered"
    assert replies[-1]["position"] == 330 and replies[-1]["message"]
    # Another session of the learner, or another learner, fetching the rest does not count here.
    other = open_player(other_learner)
    Client().get(signed(other_learner, media_file, other.grant.session_id), HTTP_RANGE="bytes=1024-")
    assert sum(r.json()["credited"] for r in play(player, clock, 330, 60)) == 0
    Client().get(url, HTTP_RANGE="bytes=1024-2047")
    assert sum(r.json()["credited"] for r in play(player, clock, 330, 60)) == 60
    flushed()
    assert PlaybackSession.objects.get(pk=player.grant.session_id).risk_signals == {"not_delivered": 1}
    record = delivery.parse(hotstate.client().hgetall(delivery.key(learner.id, player.grant.session_id)))
    assert record.byte_ranges == ((0.0, 2048.0),) and record.size == 2048


def test_a_session_url_is_bound_to_its_session_and_span(learner, media_file, proof):
    url = signed(learner, media_file, "0" * 8 + "-0000-4000-8000-" + "0" * 12)
    value = parse_qs(urlsplit(url).query)["xst"][0]
    found = media.verify(media_file, value, 0)
    assert found == media.Signed(learner.id, short_hash(USAGE), "0" * 8 + "-0000-4000-8000-" + "0" * 12)
    other_session = value.replace("-0000-4000-", "-1111-4000-")
    assert media.verify(media_file, other_session, 0) is None
    assert media.verify(media_file, value, 0, span="0.000-600.000") is None


def test_hls_segments_count_by_the_span_signed_into_the_session_playlist(
    learner, open_player, clock, proof, settings
):
    folder = settings.MEDIA_ROOT / "proof-hls"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.m3u8").write_text(
        "#EXTM3U\n#EXT-X-TARGETDURATION:60\n"
        + "".join(f"#EXTINF:60.0,\nseg{i}.ts\n" for i in range(10))
        + "#EXT-X-ENDLIST\n"
    )
    for i in range(10):
        (folder / f"seg{i}.ts").write_bytes(b"\x47" * 188)
    player = open_player(learner)
    playlist = Client().get(signed(learner, "/media/proof-hls/index.m3u8", player.grant.session_id))
    uris = [line for line in playlist.content.decode().splitlines() if line and not line.startswith("#")]
    assert len(uris) == 10 and all("xsr=" in u and player.grant.session_id in u for u in uris)
    assert "xsr=60.000-120.000" in uris[1]
    for uri in uris[:2]:  # the first two minutes
        assert Client().get(uri).status_code == 200
    # A span cannot be stretched: the signature covers it.
    assert Client().get(uris[2].replace("120.000-180.000", "120.000-600.000")).status_code == 200
    replies = [r.json() for r in play(player, clock, 0, 150)]
    assert sum(r["credited"] for r in replies) == 120 and replies[-1]["reason"] == "not_delivered"


def test_without_proof_required_the_signal_is_still_recorded(learner, open_player, clock, settings, flushed):
    settings.XUESHI_STUDYTIME_MEDIA_SIGNED_PREFIXES = ["/media/"]
    player = open_player(learner)
    assert sum(r.json()["credited"] for r in play(player, clock, 0, 60)) == 60
    flushed()
    assert PlaybackSession.objects.get().risk_signals == {"no_media": 1}


def test_a_video_on_another_server_is_held_to_no_proof_and_not_flagged(learner, clock, proof, flushed):
    # The block's sources are a CDN URL the author typed: nothing of ours serves or logs it, so
    # the session earns by the other rules alone, however many prefixes this site signs.
    grant = api.open_session(user=learner, usage_key=USAGE, policy=POLICY)
    cdn = [{"url": "https://cdn.example.com/lesson.mp4", "type": "video/mp4"}]
    assert api.sign_media_urls(learner.id, USAGE, cdn, grant.session_id) == cdn
    http = Client()
    http.force_login(learner)
    replies = [r.json() for r in play(Player(http, grant.token, grant=grant), clock, 0, 60)]
    assert sum(r["credited"] for r in replies) == 60
    flushed()
    assert PlaybackSession.objects.get().risk_signals == {}
