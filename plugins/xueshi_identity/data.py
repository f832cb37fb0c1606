"""Plain data types of ``xueshi_identity`` (no models, no querysets): what other apps receive."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class ProfileView:
    """A learner's real-name profile as anyone may see it: ID number and phone masked."""

    user_id: int
    real_name: str
    id_type: str
    id_type_label: str
    id_number_masked: str
    phone_masked: str
    province_code: str
    city_code: str
    county_code: str
    region_names: tuple[str, ...]
    employer: str
    category_code: str
    category_name: str
    complete: bool
    missing: tuple[str, ...] = field(default=())
    source: str = ""


@dataclass(frozen=True)
class RegisterCheckView:
    """The latest answer of an authority's register about a learner (status, when, who answered)."""

    user_id: int
    register: str
    status: str
    status_label: str
    source: str
    detail: str
    attempts: int
    checked_at: datetime
    fingerprint: str = ""
