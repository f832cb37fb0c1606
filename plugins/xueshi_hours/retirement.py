"""Account retirement (ADR 0060): the learner's proofs of external hours are deleted.

A proof (a certificate, an attendance sheet) names the learner and may show their ID number; it
served the operator's decision and is not kept once the account is retired. The decision (hours,
category, day, approved or rejected) stays with the study records, as the ledger's do, for the
regulators' retention. Idempotent.
"""

from __future__ import annotations

from typing import Any

from .models import ExternalHours


def retire_account(sender: Any, retiree: Any, **kwargs: Any) -> None:
    """Delete the stored proofs of the retiree's external hours and forget their file names."""
    for row in ExternalHours.objects.filter(user_id=retiree.user_id).exclude(attachment=""):
        row.attachment.delete(save=False)
        row.attachment = ""
        row.save(update_fields=["attachment"])
