"""Absolute public URLs of certificates, the issuer, its keys and status lists.

Built from ``conf.public_base_url()`` (never from a request's Host header): they are signed into
credentials and printed in QR codes, so they must not change with the way a page was reached.
"""

from __future__ import annotations

from django.urls import reverse

from . import conf


def absolute(path: str) -> str:
    """``path`` on the public host."""
    return conf.public_base_url() + path


def verify_url(serial: str, check_code: str) -> str:
    """What the QR code carries: serial and check code, nothing personal."""
    return absolute(reverse("xueshi_certificates:verify-code", args=[serial, check_code]))


def issuer_id() -> str:
    """The issuer's profile URL (``issuer.id`` and the JWT ``iss``)."""
    return absolute(reverse("xueshi_certificates:issuer"))


def jwks_url() -> str:
    """The published public keys."""
    return absolute(reverse("xueshi_certificates:jwks"))


def status_list_url(list_id: int) -> str:
    """The signed status list credential of list ``list_id``."""
    return absolute(reverse("xueshi_certificates:status-list", args=[list_id]))


def achievement_id(rule_id: str, rule_version: int, kind: str) -> str:
    """A stable id for what the certificate recognises: the rule version and kind."""
    return absolute(reverse("xueshi_certificates:issuer")) + f"#achievement-{kind}-{rule_id}-v{rule_version}"
