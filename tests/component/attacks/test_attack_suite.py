"""Attack suite (issue 15): the credit each scripted attack earns against an honest learner in the
same run, on one injected clock. Prints a table and writes it to ``var/attacks.json``.

Runs twice: with delivery proof on (the sandbox's default: our media server signs and logs) and
off (a deployment whose CDN does not sign yet), so both halves of the defence are measured. With
proof on, each session earns only up to what was delivered under its own signed URL (ADR 0053).
The speeded players here are protocol-level; Chromium at playbackRate 2 and 16 is measured by
``tests/browser/video/test_speeded_browser.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model

from xueshi_studytime import delivery
from xueshi_studytime.flusher import flush
from xueshi_studytime.models import PlaybackSession

from ..ledgerkit import ManualClock, isolated_ledger
from .actors import POLICY, Actor
from .scripts import CHUNK, BlindScript, FirstRangeOnly, Honest, MultiSession, OtherSessionUrl, Replayer

pytestmark = [pytest.mark.component, pytest.mark.django_db]

USAGE = "block-v1:Xueshi+AT101+2026+type@xueshi_video+block@lecture"
SECONDS = 120
MEDIA_SIZE = 20_000 * 1200
REPORT = Path(__file__).resolve().parents[3] / "var" / "attacks.json"
RESULTS: dict[str, dict[str, dict[str, object]]] = {}


@pytest.fixture
def media_url():
    folder = django_settings.MEDIA_ROOT / "attack-suite"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "lecture.mp4"
    with path.open("wb") as handle:  # sparse: 20 kB/s over the policy's 1200 s, as a small lecture
        handle.truncate(MEDIA_SIZE)
    yield "/media/attack-suite/lecture.mp4"
    path.unlink()


def actor(name, media_url, **kw):
    user = get_user_model().objects.create_user(f"atk-{name}", f"{name}@example.com", "pw")
    a = Actor(name, user, USAGE, **kw)
    a.signed_media(media_url)
    return a


def run(proof: bool, media_url: str) -> dict[str, dict[str, object]]:
    clock = ManualClock()
    with isolated_ledger(
        "attacks",
        clock,
        XUESHI_STUDYTIME_TOKEN_KEYS=["attack-suite-key"],
        XUESHI_STUDYTIME_LEASE_POLICY="takeover",
        XUESHI_STUDYTIME_MEDIA_SIGNED_PREFIXES=["/media/"],
        XUESHI_STUDYTIME_MEDIA_PROOF=proof,
    ):
        honest = Honest(actor("honest", media_url))
        attacks = {
            "blind_script": BlindScript(actor("blind_script", media_url, user_agent="python-requests/2.32")),
            "multi_session": MultiSession(actor("multi_session", media_url, user_agent="python-httpx/0.28")),
            "replayed_session": Replayer(actor("replayed_session", media_url), capture_until=30),
            "speeded_2x": Honest(actor("speeded_2x", media_url), speed=2.0, reported_rate=2.0),
            "timewarp_16x": Honest(actor("timewarp_16x", media_url), speed=16.0),
            "first_range_only": FirstRangeOnly(actor("first_range_only", media_url)),
            "other_session_url": OtherSessionUrl(actor("other_session_url", media_url)),
        }
        for t in range(SECONDS):
            for script in (honest, *attacks.values()):
                script.tick(t)
            clock.advance(1)
        flush(claim_idle_ms=0)
    table = {}
    for name, script in {"honest": honest, **attacks}.items():
        a = script.honest.actor if isinstance(script, Replayer) else script.actor
        signals: dict[str, int] = {}
        for session in PlaybackSession.objects.filter(user=a.user):
            for key, count in (session.risk_signals or {}).items():
                signals[key] = signals.get(key, 0) + int(count)
        table[name] = {
            "credited_seconds": round(script.gained if isinstance(script, Replayer) else a.credited, 1),
            "after_first_challenge": round(a.credited_after_first_challenge, 1),
            "sessions": PlaybackSession.objects.filter(user=a.user).count(),
            "opens_throttled": a.throttled,
            "risk_signals": dict(sorted(signals.items())),
        }
    return table


def report(mode: str, table: dict[str, dict[str, object]]) -> None:
    RESULTS[mode] = table
    print(f"\nattack suite, delivery proof {mode}, {SECONDS} s of server time")
    print(
        f"{'actor':18} {'credited s':>10} {'after 1st challenge':>20} {'sessions':>8} {'throttled':>9}  risk"
    )
    for name, row in table.items():
        signals = ", ".join(f"{k}×{v}" for k, v in row["risk_signals"].items()) or "-"
        print(
            f"{name:18} {row['credited_seconds']:>10} {row['after_first_challenge']:>20} "
            f"{row['sessions']:>8} {row['opens_throttled']:>9}  {signals}"
        )
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps({"seconds": SECONDS, "runs": RESULTS}, indent=2, ensure_ascii=False))


@pytest.mark.parametrize("proof", [True, False], ids=["proof_on", "proof_off"])
def test_no_attack_out_earns_the_honest_learner(proof, media_url):
    mode = "on" if proof else "off"
    table = run(proof, media_url)
    report(mode, table)
    honest = table["honest"]["credited_seconds"]
    assert honest >= 0.8 * SECONDS
    # multi_session: the per-learner budget (ADR 0040) bounds a script that keeps opening sessions.
    for name in table:
        assert table[name]["credited_seconds"] <= honest, name
    # The script that cannot see the video: nothing once challenged, and nothing at all with proof on.
    assert table["blind_script"]["after_first_challenge"] == 0
    if proof:
        assert table["blind_script"]["credited_seconds"] == 0
        assert "no_media" in table["blind_script"]["risk_signals"]
    else:  # it earned until challenged, then answered with the id alone
        assert "challenge_no_code" in table["blind_script"]["risk_signals"]
    assert table["replayed_session"]["credited_seconds"] == 0
    assert table["replayed_session"]["risk_signals"].get("replayed_beats", 0) > 0
    assert table["speeded_2x"]["credited_seconds"] == 0
    if proof:  # credit only up to what was delivered to the session, under its own URL
        first_range = delivery.Delivery(CHUNK, MEDIA_SIZE, ((0.0, float(CHUNK)),))
        reach = delivery.reach(first_range, POLICY.duration, 0.0)
        assert 0 < table["first_range_only"]["credited_seconds"] <= reach < honest
        assert "not_delivered" in table["first_range_only"]["risk_signals"]
        assert table["other_session_url"]["credited_seconds"] == 0
        assert "no_media" in table["other_session_url"]["risk_signals"]
    else:  # no proof: what they fetched does not matter, they play as the honest learner does
        assert table["first_range_only"]["credited_seconds"] == honest
    assert "headless_agent" in table["multi_session"]["risk_signals"]
