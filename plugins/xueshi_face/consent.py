"""The separate consent to processing face data (PIPL art. 28-29), its withdrawal and its effects.

A face is biometric, hence sensitive, personal information: the learner ticks a box under the
notice before the photo is taken or chosen, enrolment and checks are refused without a consent
record, and a withdrawal erases the photos and frames at once (checks then hold study until the
learner consents and enrols again). Records live in ``xueshi_core.consent`` (ADR 0085).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.safestring import SafeString

from xueshi_core import consent

from . import conf
from .retirement import erase_face_images

KIND = consent.FACE
#: The box on the enrolment page and the multipart field of the enrolment API.
FIELD = "consent_face"


class ConsentMissing(Exception):
    """The learner has no unwithdrawn consent to the current face notice."""


def notice() -> SafeString:
    """The current notice in the active language, with the configured frame retention."""
    return consent.notice_html(KIND, frame_retention_days=conf.image_retention_days())


def given(user: Any) -> bool:
    """Whether the learner's consent to the current notice stands."""
    return consent.has_consented(user, KIND)


def require(user: Any) -> None:
    """Raise :class:`ConsentMissing` unless the learner's consent stands."""
    if not given(user):
        raise ConsentMissing


def ticked(request: Any) -> bool:
    """Whether the posted form carries the ticked box (a browser sends ``on``, an app ``true``)."""
    return str(request.POST.get(FIELD, "")).lower() in ("on", "true", "1")


def give(user: Any, request: Any) -> None:
    """Record the consent the learner just ticked (once per notice version)."""
    if not given(user):
        consent.record_consent(user, KIND, consent.current_version(KIND), request)


def withdraw(user: Any) -> int:
    """Stamp the consent withdrawn and erase the photos and stored frames together; how many were open."""
    with transaction.atomic():
        count = consent.withdraw_consent(user, KIND)
        erase_face_images(int(user.pk))
    return count
