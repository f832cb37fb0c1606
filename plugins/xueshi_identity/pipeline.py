"""Filter step on ``StudentRegistrationRequested``: refuse bad identity data before an account exists.

The registration extension form validates the same fields, but only after the platform has
checked username and e-mail; this step runs first, so a learner whose ID number is malformed or
already registered gets one clear message and no half-created account. It also normalises what
people type (full-width digits, lower-case x, +86) so the platform stores clean values. Without
the ticked consent to processing the ID number (PIPL art. 29) no account is created.
"""

from __future__ import annotations

from typing import Any

from openedx_filters import PipelineStep
from openedx_filters.learning.filters import StudentRegistrationRequested

from .forms import RegistrationExtensionForm


class CheckIdentityAtRegistration(PipelineStep):
    """Validate real-name fields when the registration form carries them."""

    def run_filter(self, form_data: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:  # type: ignore[override]
        """Return the normalised form data, or stop the registration with the first problem."""
        if not form_data or not form_data.get("id_number"):
            return {"form_data": form_data}  # not collected here: the profile page will ask
        form = RegistrationExtensionForm(data=form_data)  # the same rules, consent included
        if not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            label = form.fields[field].label if field in form.fields else ""
            message = f"{label}: {errors[0]}" if label else str(errors[0])
            raise StudentRegistrationRequested.PreventRegistration(message, status_code=400)
        if hasattr(form_data, "_mutable"):
            form_data = form_data.copy()
        form_data["id_number"] = form.cleaned_data["id_number"]
        form_data["phone"] = form.cleaned_data["phone"]
        return {"form_data": form_data}
