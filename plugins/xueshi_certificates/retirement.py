"""Account retirement (ADR 0060, 0127): the certificate stays valid and verifiable, without the full name.

A certificate is evidence of study the regulators make us keep, and a paper or credential the
holder gave an employer or a bureau: revoking it because the account closed would tell them the
study never counted. So the row, its serial, check code, status and figures stay; what names the
person goes: the real name in the snapshot becomes its masked form (``张*``), and the stored copy
of the signed credential (whose description names the holder) is emptied. The salted ID-number
hash and the masked number stay, so the copy the holder kept still verifies and still binds to
them. Connected to ``xueshi_core.retirement.ACCOUNT_RETIRING`` by ``plugin_app``; idempotent.
"""

from __future__ import annotations

from typing import Any

from xueshi_core.masking import mask_name

from .models import Certificate


def is_retired_holder(cert: Certificate) -> bool:
    """Whether the holder's account was retired (the certificate is kept for verification only)."""
    return bool((cert.snapshot or {}).get("holder", {}).get("retired"))


def retire_account(sender: Any, retiree: Any, **kwargs: Any) -> None:
    """Mask the holder's name in each certificate's snapshot and drop the stored credential copy."""
    for cert in Certificate.objects.select_for_update().filter(user_id=retiree.user_id):
        if is_retired_holder(cert):
            continue
        holder = dict(cert.snapshot.get("holder") or {})
        holder.update(name=mask_name(holder.get("name", "")), retired=True)
        cert.snapshot = {**cert.snapshot, "holder": holder}
        cert.credential = ""
        cert.save(update_fields=["snapshot", "credential"])
