"""How ``xueshi_identity`` hooks into the LMS: middleware, registration form, filter step.

Applied in the common layer and again in the production layer, because the platform's YAML may
replace ``OPEN_EDX_FILTERS_CONFIG`` or ``REGISTRATION_EXTRA_FIELDS`` wholesale (trap 14). Every
step is idempotent and keeps what others configured.
"""

from __future__ import annotations

from typing import Any

MIDDLEWARE = "xueshi_identity.middleware.RequireIdentityProfileMiddleware"
EXTENSION_FORM = "xueshi_identity.forms.RegistrationExtensionForm"
REGISTRATION_FILTER = "org.openedx.learning.student.registration.requested.v1"
REGISTRATION_STEP = "xueshi_identity.pipeline.CheckIdentityAtRegistration"
#: Our fields on the LMS registration form (names from RegistrationExtensionForm).
#: The name is the platform's own ``name`` field (asked once); the consent box is PIPL art. 29's.
EXTRA_FIELDS = {
    "id_type": "required",
    "id_number": "required",
    "phone": "required",
    "province_code": "optional",
    "employer": "optional",
    "category": "optional",
    "consent_id_number": "required",
}


def wire_into_platform(settings: Any) -> None:
    """Add our middleware, registration extension form, extra fields and filter step."""
    middleware = list(getattr(settings, "MIDDLEWARE", []) or [])
    if MIDDLEWARE not in middleware:
        middleware.append(MIDDLEWARE)
    settings.MIDDLEWARE = middleware
    if not getattr(settings, "REGISTRATION_EXTENSION_FORM", None):
        settings.REGISTRATION_EXTENSION_FORM = EXTENSION_FORM
    fields = dict(getattr(settings, "REGISTRATION_EXTRA_FIELDS", {}) or {})
    for name, visibility in EXTRA_FIELDS.items():
        fields.setdefault(name, visibility)
    settings.REGISTRATION_EXTRA_FIELDS = fields
    filters = {k: dict(v) for k, v in (getattr(settings, "OPEN_EDX_FILTERS_CONFIG", {}) or {}).items()}
    entry = filters.setdefault(REGISTRATION_FILTER, {})
    pipeline = list(entry.get("pipeline") or [])
    if REGISTRATION_STEP not in pipeline:
        pipeline.append(REGISTRATION_STEP)
    entry["pipeline"] = pipeline
    # Fail closed: an error in our step must stop a registration, never let it through unchecked.
    entry["fail_silently"] = False
    settings.OPEN_EDX_FILTERS_CONFIG = filters
