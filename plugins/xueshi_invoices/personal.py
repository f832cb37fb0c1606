"""The buyer's contact details on an invoice request: masked for people, plain only for machines.

Why (ADR 0176): address/phone, bank account and email are personal data. Pages and exports show
them masked through core's masking; a person sees a full value only through :func:`reveal`, which
goes through ``xueshi_core.audit.reveal`` (role + scope check, then an audit row). The issuing job
and the invoice mail need the plain values to do their work and call :func:`plain`; nobody looks
at them there, so no view is recorded.
"""

from __future__ import annotations

from typing import Any

from xueshi_core import audit, masking
from xueshi_core.fields import SealedText

from .models import InvoiceRequest

#: The request fields that hold the buyer's personal data, with the masker for each.
FIELDS: dict[str, Any] = {
    "buyer_address_phone": lambda text: masking.mask_middle(text, 3, 4),
    "buyer_bank": lambda text: masking.mask_middle(text, 2, 4),
    "email": masking.mask_email,
}


def plain(value: SealedText | str | None) -> str:
    """The value for a machine step (the provider's request, the mail's recipient); '' when absent."""
    if value is None:
        return ""
    return value.reveal() if isinstance(value, SealedText) else str(value)


def masked(request: InvoiceRequest) -> dict[str, str]:
    """Each personal field of a request, masked ('' when not given), for pages and exports."""
    shown = {}
    for name, mask in FIELDS.items():
        value = getattr(request, name)
        shown[name] = mask(plain(value)) if value is not None else ""
    return shown


def reveal(request: InvoiceRequest, field: str, *, actor: Any, http_request: Any = None) -> str:
    """The full value of one field for ``actor``, recorded in the audit log (raises ``FullViewDenied``)."""
    if field not in FIELDS:
        raise KeyError(field)
    sealed = getattr(request, field)
    if sealed is None:
        return ""
    return audit.reveal(
        sealed,
        actor=actor,
        subject_user_id=request.requester_id,
        field=f"invoice_{field}",
        purpose=f"invoice request {request.serial}",
        request=http_request,
    )
