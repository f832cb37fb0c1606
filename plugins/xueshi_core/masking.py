"""Masked forms of personal data for screens, exports and logs (pure functions, no Django).

The shapes are the ones Chinese users know from banks and government sites: an ID number keeps
its first four digits (province and city) and last four (3501**********1234), a mobile number
its carrier prefix and last four (138****5678), a name its first character (张*). A masked value
never reveals more than the regulator's examples do, whatever the input's length.
"""

from __future__ import annotations

import ipaddress
import re

MASK = "*"
_MAINLAND_MOBILE = re.compile(r"^(\+?86[-\s]?)?(1\d{10})$")


def mask_middle(value: str, keep_start: int, keep_end: int) -> str:
    """Replace all but the first ``keep_start`` and last ``keep_end`` characters with ``*``.

    If the value is too short for that, more is masked: at least half of it is always hidden.
    """
    text = value or ""
    n = len(text)
    if n == 0:
        return ""
    visible = n // 2
    keep_start = min(keep_start, visible)
    keep_end = min(keep_end, visible - keep_start)
    return text[:keep_start] + MASK * (n - keep_start - keep_end) + (text[n - keep_end :] if keep_end else "")


def mask_id_number(value: str | None) -> str:
    """Mask an ID document number: 350102199003071234 → 3501**********1234.

    18-digit resident ID numbers show region (4) and check digits (4); shorter documents
    (passports, permits, legacy 15-digit numbers) show proportionally less.
    """
    text = (value or "").strip().upper()
    if len(text) >= 15:
        return mask_middle(text, 4, 4)
    if len(text) >= 8:
        return mask_middle(text, 2, 2)
    return mask_middle(text, 1, 1)


def mask_phone(value: str | None) -> str:
    """Mask a phone number: 13812345678 → 138****5678, +86 138 1234 5678 → +86 138****5678."""
    text = re.sub(r"[\s-]", "", value or "")
    match = _MAINLAND_MOBILE.match(text)
    if match:
        prefix = "+86 " if match.group(1) else ""
        mobile = match.group(2)
        return f"{prefix}{mobile[:3]}****{mobile[-4:]}"
    return mask_middle(text, 3, 4)


def mask_name(value: str | None) -> str:
    """Mask a person's name: 张三 → 张*, 欧阳娜娜 → 欧***, John Smith → J*** S****."""
    text = (value or "").strip()
    if not text:
        return ""
    if len(text) == 1:
        return MASK
    if " " in text and text.isascii():
        return " ".join(part[:1] + MASK * (len(part) - 1) for part in text.split())
    return text[0] + MASK * (len(text) - 1)


def mask_email(value: str | None) -> str:
    """Mask an e-mail address: zhangsan@example.com → zh******@example.com."""
    text = (value or "").strip()
    local, at, domain = text.partition("@")
    if not at:
        return mask_middle(text, 2, 0)
    return mask_middle(local, 2, 0) + "@" + domain


def coarse_ip(value: str | None) -> str | None:
    """The network of an address, not the address: 202.96.128.86 → 202.96.128.0 (IPv4 /24, IPv6 /48).

    ``None`` for an empty or malformed value. Retirement keeps sign-in records for the regulators'
    period, but no longer tied to a household's line: the network still shows the region and the
    carrier an auditor checks.
    """
    try:
        address = ipaddress.ip_address(str(value or "").strip())
    except ValueError:
        return None
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)
