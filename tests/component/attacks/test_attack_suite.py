"""Attack suite (issue 15): the credit each scripted attack earns against an honest learner in the
same run, on one injected clock. Prints a table and writes it to ``var/attacks.json``.

Runs twice: with delivery proof on (the sandbox's default: our media server signs and logs) and
off (a deployment whose CDN does not sign yet), so both halves of the defence are measured.
The speeded players here are protocol-level; Chromium at playbackRate 2 and 16 is measured by
``tests/browser/video/test_speeded_browser.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model

from xueshi_studytime.flusher import flush
from xueshi_studytime.models import PlaybackSession

from ..ledgerkit import ManualClock, isolated_ledger
from .actors import Actor
from .scripts import BlindScript, Honest, MultiSession, Replayer

pytestmark = [pytest.mark.component, pytest.mark.django_db]

USAGE = "block-v1:Xueshi+AT101+2026+type@xueshi_video+block@lecture"
SECONDS = 120
REPORT = Path(__file__).resolve().parents[3] / "var" / "attacks.json"
RESULTS: dict[str, dict[str, dict[str, object]]] = {}


@pytest.fixture
def media_url():
    folder = django_settings.MEDIA_ROOT / "attack-suite"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "lecture.mp4"
    path.write_bytes(b"\0" * (64 * 1024 * 40))
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
    for name in ("blind_script", "multi_session", "replayed_session", "speeded_2x", "timewarp_16x"):
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
    assert "headless_agent" in table["multi_session"]["risk_signals"]
