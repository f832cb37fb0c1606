"""Who a certificate is for, read through ``xueshi_identity.api`` (the real name, never a full ID).

The ID number is hashed with a fresh random salt per certificate (Open Badges 3.0
``IdentityObject``); only that hash and the masked number are kept in the snapshot.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass


class HolderMissing(LookupError):
    """The learner has no complete real-name profile: a certificate needs a real name and ID."""


@dataclass(frozen=True)
class Holder:
    """The identity printed on (and signed into) a certificate."""

    user_id: int
    name: str
    id_masked: str
    id_type: str
    id_salt: str
    id_hash: str  # "sha256$<hex>" of ID number + salt
    region_code: str = ""


def holder_of(user_id: int) -> Holder:
    """The learner's holder identity, from their real-name profile; raises :class:`HolderMissing`."""
    from xueshi_identity import api as identity

    profile = identity.get_profile(user_id)
    if profile is None or not profile.real_name or not profile.id_number_masked:
        raise HolderMissing("no real-name profile")
    salt = secrets.token_hex(16)
    digest = identity.salted_id_hash(user_id, salt)
    if digest is None:
        raise HolderMissing("no ID number")
    region = profile.county_code or profile.city_code or profile.province_code or ""
    return Holder(user_id, profile.real_name, profile.id_number_masked, profile.id_type, salt, digest, region)


def user_for_lookup(real_name: str, id_type: str, id_number: str) -> int | None:
    """The learner whose real name and ID number both match exactly, else ``None`` (no hint which)."""
    from xueshi_identity import api as identity

    user_id = identity.find_user_by_id_number(id_type, id_number)
    if user_id is None:
        return None
    profile = identity.get_profile(user_id)
    if profile is None or profile.real_name.strip() != real_name.strip():
        return None
    return user_id
