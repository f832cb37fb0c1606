"""The separate PIPL consent to processing the ID number, asked wherever the number is asked.

The forms add a required, unticked box under the notice (:func:`add_consent_field`); once the
profile is saved, :func:`record_after_save` (a ``post_save`` receiver) writes the consent record
with the request of the moment (``crum``, which the LMS installs), because at sign-up the platform
saves our profile itself, far from any view of ours (``do_create_account``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xueshi_core import consent

FIELD = "consent_id_number"
KIND = consent.ID_NUMBER
_PENDING = "_xueshi_consent_version"


def add_consent_field(form: forms.BaseForm) -> None:
    """A required box (never pre-ticked): without it the form is invalid and nothing is saved."""
    form.fields[FIELD] = forms.BooleanField(
        label=_("I have read the notice on processing my ID number and I consent to it."),
        required=True,
        error_messages={
            "required": _(
                "Your ID number is sensitive personal information: tick the box to consent to its "
                "processing. Without consent nothing is saved."
            )
        },
    )


def notice() -> str:
    """The current notice, in the active language (marked safe: a template of ours)."""
    html: str = consent.notice_html(KIND)
    return html


def mark_pending(form: forms.BaseForm, profile: Any) -> None:
    """Remember on the unsaved profile that its form carried a ticked consent box."""
    if form.cleaned_data.get(FIELD):
        setattr(profile, _PENDING, consent.current_version(KIND))


def record_after_save(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Write the consent the saved profile's form carried (once), from the current request."""
    version = getattr(instance, _PENDING, None)
    if version is None or getattr(instance, "user_id", None) is None:
        return
    from crum import get_current_request

    delattr(instance, _PENDING)
    consent.record_consent(instance.user, KIND, version, get_current_request())
