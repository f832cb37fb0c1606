"""Retirement step of the real-name app: delete the profile, keep its keyed hash for the regulators.

Connected to ``xueshi_core.retirement.ACCOUNT_RETIRING`` by ``plugin_app`` (ADR 0060). Idempotent:
a second run finds no profile and leaves the retained row as it is.
"""

from __future__ import annotations

from typing import Any

from .models import IdentityProfile, RetainedIdentity


def purge_past_retention(sender: Any, purge: Any, **kwargs: Any) -> None:
    """``RETENTION_DUE``: the keyed hash of an account retired before the cut-off goes (ADR 0064)."""
    purge.delete("identity.retained_identities", RetainedIdentity.objects.filter(retired_at__lt=purge.cutoff))


def retire_account(sender: Any, retiree: Any, **kwargs: Any) -> None:
    """Replace the profile by a :class:`RetainedIdentity` (hash, region, category; no name or number)."""
    profile = IdentityProfile.objects.select_related("category").filter(user_id=retiree.user_id).first()
    if profile is None:
        return
    RetainedIdentity.objects.update_or_create(
        user_id=retiree.user_id,
        defaults={
            "id_type": profile.id_type,
            "id_number_hash": profile.id_number_hash,
            "province_code": profile.province_code,
            "city_code": profile.city_code,
            "county_code": profile.county_code,
            "category_code": profile.category.code if profile.category else "",
            "collected_at": profile.created_at,
        },
    )
    profile.delete()
