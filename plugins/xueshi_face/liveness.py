"""Liveness challenges: the server picks a random pose sequence, the page films it, once, in time.

Without a challenge a client could send any recorded head turn; with one, the frames must show the
poses this server chose moments ago, in that order, bound to a single-use nonce that expires
(ADR 0548). The clock is the ledger's (``conf.now``), so tests drive it.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from . import conf
from .data import choose_poses
from .images import Refused
from .models import LivenessChallenge

_rng = random.SystemRandom()


class ChallengeRefused(Refused):
    """The frames do not answer a live challenge: unknown, used already, too late or too early."""


@dataclass(frozen=True)
class Challenge:
    """What the page is told: the nonce to send back, the poses in order, and the time allowed."""

    nonce: str
    poses: tuple[str, ...]
    expires_in: float


def _server_time() -> datetime:
    return datetime.fromtimestamp(conf.now(), tz=UTC)


def issue(user: Any) -> Challenge:
    """A new challenge for ``user`` (older unused ones simply expire)."""
    poses = choose_poses(_rng, conf.challenge_poses())
    now = _server_time()
    row = LivenessChallenge.objects.create(
        user=user,
        nonce=secrets.token_urlsafe(24),
        actions=",".join(poses),
        issued_at=now,
        expires_at=now + timedelta(seconds=conf.challenge_seconds()),
    )
    return Challenge(row.nonce, poses, conf.challenge_seconds())


def consume(user: Any, nonce: str) -> tuple[str, ...]:
    """Spend ``user``'s challenge ``nonce`` and return its poses, or raise :class:`ChallengeRefused`.

    The nonce is marked used with one conditional UPDATE, so two requests racing with the same
    nonce cannot both pass, and it is spent even when the answer then fails.
    """
    if not nonce or len(nonce) > 64:
        raise ChallengeRefused("challenge_required", "Start the check again: no challenge was sent.", 400)
    now = _server_time()
    spent = LivenessChallenge.objects.filter(user=user, nonce=nonce, used_at__isnull=True).update(used_at=now)
    row = LivenessChallenge.objects.filter(user=user, nonce=nonce).first()
    if row is None:
        raise ChallengeRefused("challenge_unknown", "This check was not started here. Start it again.", 400)
    if not spent:
        raise ChallengeRefused(
            "challenge_used", "These frames were sent already. Start the check again.", 409
        )
    if now > row.expires_at:
        raise ChallengeRefused("challenge_expired", "The check took too long. Start it again.", 410)
    poses = tuple(row.actions.split(","))
    if (now - row.issued_at).total_seconds() < conf.min_seconds_per_pose() * len(poses):
        raise ChallengeRefused(
            "challenge_too_fast", "The frames came too fast to be filmed. Start again.", 409
        )
    return poses


def purge_old(days: int = 1) -> int:
    """Delete challenges issued more than ``days`` ago (they are never needed after they expire)."""
    cutoff = _server_time() - timedelta(days=days)
    return int(LivenessChallenge.objects.filter(issued_at__lt=cutoff).delete()[0])
