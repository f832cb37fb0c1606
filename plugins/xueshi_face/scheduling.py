"""When checks are due: at sign-in (a setting) and at random times during study (a rate per course).

Both are ledger holds (``xueshi_studytime.api.place_hold``): from the hold's time on, nothing is
credited to the learner until a check passes and releases it. A random check is drawn on the
server when a playback session opens, and again after each passed study check; a hold already
scheduled is never moved, so reopening the video cannot postpone a check.

If drawing the random check fails (database or Redis trouble, a bad course key), study is held at
once rather than waved through: the ledger's signal swallows a receiver's error to keep playback
running, so the face app must turn its own failure into a hold (ADR 0547).
"""

from __future__ import annotations

import logging
import random
from typing import Any

from xueshi_core.permissions import is_platform_staff
from xueshi_studytime import api as ledger

from . import conf, tokens
from .data import SIGNIN, STUDY, CheckContext, next_check_delay
from .models import CourseFaceSettings

log = logging.getLogger(__name__)
_rng = random.SystemRandom()


def course_rate(course_key: str) -> float:
    """Mean minutes of study between random checks in the course (the course's row, else the setting)."""
    row = CourseFaceSettings.objects.filter(course_key=course_key).first() if course_key else None
    return float(row.mean_minutes_between_checks) if row else conf.study_check_minutes()


def _pending(user_id: int, kind: str) -> bool:
    return any(hold.kind == kind for hold in ledger.active_holds(user_id))


def schedule_study_check(user_id: int, course_key: str, usage_key: str = "") -> float | None:
    """Place the next random check of the learner in this course; return its server time, if placed."""
    context = CheckContext(STUDY, course_key, usage_key)
    rate = course_rate(course_key)
    delay = next_check_delay(rate, conf.min_check_gap_seconds(), _rng)
    if delay is None or _pending(user_id, context.hold_kind):
        return None
    when = conf.now() + delay
    ledger.place_hold(
        user_id,
        context.hold_kind,
        url=tokens.check_url(user_id, context),
        not_before=when,
        reason=f"random face check (course rate: every {rate:g} min on average)",
    )
    return when


SCHEDULING_FAILED = "face check could not be scheduled ({error}): study is held until a check passes"


def hold_after_scheduling_failure(user_id: int, course_key: str, usage_key: str, exc: BaseException) -> None:
    """Hold the learner now, with a check URL, because the random check could not be drawn."""
    context = CheckContext(STUDY, course_key, usage_key)
    log.error(
        "face check scheduling failed for user %s in %s; holding study", user_id, course_key, exc_info=exc
    )
    ledger.place_hold(
        user_id,
        context.hold_kind,
        url=tokens.check_url(user_id, context),
        reason=SCHEDULING_FAILED.format(error=type(exc).__name__),
    )


def schedule_or_hold(user_id: int, course_key: str, usage_key: str = "") -> float | None:
    """:func:`schedule_study_check`, holding study now if that fails for any reason.

    A failure of the hold itself propagates (the ledger is down: nothing is credited anyway).
    """
    try:
        return schedule_study_check(user_id, course_key, usage_key)
    except Exception as exc:  # every failure must become a hold, whatever its type
        hold_after_scheduling_failure(user_id, course_key, usage_key, exc)
        return None


def on_playback_opened(
    sender: Any = None, *, user_id: int, course_key: str, usage_key: str, **_: Any
) -> None:
    """``PLAYBACK_SESSION_OPENED`` receiver: draw a random check unless one is already scheduled."""
    schedule_or_hold(int(user_id), str(course_key), str(usage_key))


def require_signin_check(user: Any) -> bool:
    """Place the sign-in hold when the setting asks for it; tell whether it was placed.

    Platform staff (Django staff or any Xueshi role, ``xueshi_core.permissions.is_platform_staff``)
    do not study, so they are exempt.
    """
    if not conf.check_at_signin() or is_platform_staff(user):
        return False
    context = CheckContext(SIGNIN)
    ledger.place_hold(
        user.id, context.hold_kind, url=tokens.check_url(user.id, context), reason="face check at sign-in"
    )
    return True
