"""Receivers of the study-time ledger: completion from server-side coverage, playback ended on unenrolment."""

from __future__ import annotations

import logging
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.dispatch import receiver
from opaque_keys.edx.keys import UsageKey
from openedx_events.learning.signals import COURSE_UNENROLLMENT_COMPLETED

from .signals import VIDEO_COVERAGE_COMPLETED

log = logging.getLogger(__name__)
# the name of completion.waffle.ENABLE_COMPLETION_TRACKING_SWITCH
COMPLETION_SWITCH = "completion.enable_completion_tracking"


def completion_tracking_enabled() -> bool:
    """edx-completion is installed and its switch ``completion.enable_completion_tracking`` is on."""
    if not (apps.is_installed("completion") and apps.is_installed("waffle")):
        return False
    # waffle itself, not edx-toggles' WaffleSwitch: that one memoizes in a request cache, which a
    # long-running flusher (``--loop``) never clears, so a switch turned on would stay "off".
    from waffle import switch_is_active

    return bool(switch_is_active(COMPLETION_SWITCH))


@receiver(VIDEO_COVERAGE_COMPLETED, dispatch_uid="xueshi_studytime.submit_completion")
def submit_completion(sender: Any, user_id: int, usage_key: str, coverage: float, **kwargs: Any) -> None:
    """Mark the block complete (1.0) in edx-completion, as the video block's own completion would."""
    if not completion_tracking_enabled():
        return
    from completion.models import BlockCompletion

    user = get_user_model().objects.get(pk=user_id)
    BlockCompletion.objects.submit_completion(
        user=user, block_key=UsageKey.from_string(usage_key), completion=1.0
    )
    log.info(
        "xueshi_studytime: completion 1.0 for user %s in %s (coverage %.3f)", user_id, usage_key, coverage
    )


@receiver(COURSE_UNENROLLMENT_COMPLETED, dispatch_uid="xueshi_studytime.end_playback_on_unenrolment")
def end_playback_on_unenrolment(sender: Any, enrollment: Any, **kwargs: Any) -> None:
    """A learner who leaves a course earns nothing more in it: its live sessions stop (ADR 0094).

    New sessions are refused at open (``may_study``); this ends the ones already beating.
    """
    from . import holds

    ended = holds.end_playback(enrollment.user.id, "unenrolled", course_key=enrollment.course.course_key)
    if ended:
        log.info("xueshi_studytime: ended %s session(s) of user %s on unenrolment", ended, enrollment.user.id)
