"""Callback URLs the provider is given: each carries an HMAC of the serial, so a forged call is refused.

Nuonuo's result push is not documented as signed, so we neither trust its content nor accept it
from anyone: the URL holds ``salted_hmac(serial)`` (Django's SECRET_KEY), a call without the right
tag is answered 403 and changes nothing, and a right one only makes us query the provider.
"""

from __future__ import annotations

import hmac

from django.urls import reverse
from django.utils.crypto import salted_hmac

from . import conf

SALT = "xueshi_invoices.callback"


def tag(kind: str, serial: str) -> str:
    """The tag for ``kind`` (``request`` or ``red``) and ``serial``."""
    return salted_hmac(SALT, f"{kind}:{serial}", algorithm="sha256").hexdigest()[:32]


def tag_ok(kind: str, serial: str, given: str) -> bool:
    """Whether ``given`` is the tag we put in that callback URL (constant-time)."""
    return hmac.compare_digest(tag(kind, serial).encode(), given.encode())


def callback_url(kind: str, serial: str) -> str:
    """The full callback URL, or "" when no public base URL is set (then we only poll)."""
    base = conf.callback_base_url()
    if not base:
        return ""
    path = reverse(
        "xueshi_invoices:callback", kwargs={"kind": kind, "serial": serial, "tag": tag(kind, serial)}
    )
    return base + path
