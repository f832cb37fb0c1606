"""Check a pasted credential: valid, revoked, forged or malformed, always with a reason (ADR 0124).

Any input gets an answer, never an exception: tokens are size-limited, parsed with PyJWT, and
every failure maps to a stable ``code``. "Forged" means the token parses but was not signed by a
key this issuer publishes (or its contents were changed after signing); "malformed" means it is
not a credential of ours at all; "revoked" means genuine but withdrawn (the reason is shown).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any

import jwt

from . import keys, links
from .models import Certificate

VALID, REVOKED, FORGED, MALFORMED = "valid", "revoked", "forged", "malformed"
MAX_TOKEN_BYTES = 16 * 1024


@dataclass(frozen=True)
class Verdict:
    """The answer for one token: a status, a machine code, and the facts a page may show."""

    status: str
    code: str
    certificate: Certificate | None = None
    claims: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Genuine and not revoked."""
        return self.status == VALID


def _malformed(code: str) -> Verdict:
    return Verdict(MALFORMED, code)


def _header(token: str) -> dict[str, Any] | Verdict:
    if len(token.encode("utf-8", "replace")) > MAX_TOKEN_BYTES:
        return _malformed("too_long")
    if token.count(".") != 2:
        return _malformed("not_a_jwt")
    segment = token.split(".", 1)[0]
    try:  # the header alone: a bad payload is reported as such, after the signature check
        header = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (binascii.Error, UnicodeError, ValueError):
        return _malformed("bad_header")
    if not isinstance(header, dict):
        return _malformed("bad_header")
    return header


def verify_token(raw: Any) -> Verdict:
    """The verdict on ``raw`` (anything a form or JSON body held)."""
    token = str(raw or "").strip()
    if not token:
        return _malformed("empty")
    header = _header(token)
    if isinstance(header, Verdict):
        return header
    if header.get("alg") != "EdDSA":
        return Verdict(FORGED, "wrong_algorithm")
    key = keys.by_kid(str(header.get("kid", "")))
    if key is None:
        return Verdict(FORGED, "unknown_key")
    try:
        claims = jwt.decode(
            token,
            key.public,
            algorithms=["EdDSA"],
            issuer=links.issuer_id(),
            options={"require": ["iss", "jti", "nbf"], "verify_aud": False},
        )
    except jwt.InvalidSignatureError:
        return Verdict(FORGED, "bad_signature")
    except jwt.InvalidIssuerError:
        return Verdict(FORGED, "other_issuer")
    except jwt.ImmatureSignatureError:
        return Verdict(FORGED, "not_yet_valid")
    except (jwt.MissingRequiredClaimError, jwt.DecodeError):
        return _malformed("bad_payload")
    except jwt.InvalidTokenError:
        return _malformed("bad_payload")
    return _judge(claims)


def _judge(claims: dict[str, Any]) -> Verdict:
    types = claims.get("type") or []
    extension = claims.get("xueshi") if isinstance(claims.get("xueshi"), dict) else {}
    if not isinstance(types, list) or "OpenBadgeCredential" not in types or not extension.get("serial"):
        return Verdict(MALFORMED, "not_a_certificate", claims=claims)
    cert = Certificate.objects.filter(serial=str(extension["serial"])).first()
    if cert is None or claims.get("jti") != links.verify_url(cert.serial, cert.check_code):
        return Verdict(FORGED, "not_on_record", claims=claims)
    status = claims.get("credentialStatus") or {}
    if str(status.get("statusListIndex")) != str(cert.status_index):
        return Verdict(FORGED, "status_mismatch", cert, claims)
    if cert.is_revoked:
        return Verdict(REVOKED, "revoked", cert, claims)
    return Verdict(VALID, "valid", cert, claims)


#: What each code means, for pages and the API (translated where shown).
def reason_text(code: str) -> str:
    """A sentence a bureau clerk understands for each verdict code."""
    from django.utils.translation import gettext as _

    texts = {
        "valid": _("Genuine: signed by this platform's key and not revoked."),
        "revoked": _("Genuine, but the issuer has revoked this certificate."),
        "wrong_algorithm": _("Not signed the way this platform signs (Ed25519)."),
        "unknown_key": _("Signed by a key this platform has never published."),
        "bad_signature": _(
            "The signature does not match the contents: the credential was altered or forged."
        ),
        "other_issuer": _("Issued by a different issuer."),
        "not_yet_valid": _("The credential claims to be valid only in the future."),
        "not_on_record": _("Signed with this platform's key, but no such certificate was issued."),
        "status_mismatch": _("Its revocation entry does not match the certificate on record."),
        "empty": _("Paste a credential first."),
        "too_long": _("Too long to be a credential of this platform."),
        "not_a_jwt": _("Not a signed credential (expected three dot-separated parts)."),
        "bad_header": _("The credential's header cannot be read."),
        "bad_payload": _("The credential's contents cannot be read."),
        "not_a_certificate": _("A signed token, but not a certificate of this platform."),
    }
    return str(texts.get(code, code))
