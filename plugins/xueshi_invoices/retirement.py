"""Account retirement (ADR 0060, 0281): the buyer's contact details on invoice requests are erased.

The email, address/phone and bank account a learner typed on a request served the delivery of
the invoice (the mail, the provider's request); they are personal data no law makes us keep once
the account is retired, so they become empty. The request itself (buyer name and tax number,
amounts, serial) and the issued invoice and its files stay: they are tax records the seller must
keep, and a red-letter invoice for a later refund still needs them. Connected to
``xueshi_core.retirement.ACCOUNT_RETIRING`` by ``plugin_app``; idempotent.
"""

from __future__ import annotations

from typing import Any

from .models import InvoiceRequest
from .personal import FIELDS


def retire_account(sender: Any, retiree: Any, **kwargs: Any) -> None:
    """Erase every personal contact field (``personal.FIELDS``) of the retiree's invoice requests."""
    InvoiceRequest.objects.filter(requester_id=retiree.user_id).update(**dict.fromkeys(FIELDS))
