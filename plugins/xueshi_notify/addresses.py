"""Where a learner can be reached on each channel, masked (the send log never holds a full address)."""

from __future__ import annotations

from typing import Any

from xueshi_core.masking import mask_email
from xueshi_identity import api as identity_api

from . import bindings, conf
from .kinds import EMAIL, SMS, WECHAT


def masked_addresses(user: Any) -> dict[str, str]:
    """{channel: masked address} for the channels the learner can be reached on now."""
    found: dict[str, str] = {}
    if user.email:
        found[EMAIL] = mask_email(user.email)
    profile = identity_api.get_profile(user.pk)
    if profile is not None and profile.phone_masked:
        found[SMS] = profile.phone_masked
    openid = bindings.masked(user)
    if openid:
        found[WECHAT] = openid
    return found


def unavailable_reason(channel: str, kind: str, addresses: dict[str, str]) -> str:
    """Why ``channel`` cannot carry ``kind`` to this learner now (``""`` when it can)."""
    if channel not in addresses:
        return {
            EMAIL: "no email address",
            SMS: "no phone in the real-name profile",
            WECHAT: "WeChat not bound",
        }[channel]
    if channel == SMS and not (conf.sms_provider() and (conf.sms().get("TEMPLATES") or {}).get(kind)):
        return "SMS not configured for this kind"
    if channel == WECHAT and not ((conf.wechat().get("TEMPLATES") or {}).get(kind) or {}).get("id"):
        return "WeChat not configured for this kind"
    return ""
