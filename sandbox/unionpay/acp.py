"""ACP 5.1.0 signMethod 01 as UnionPay computes it, written apart from the channel's module.

So the sandbox checks the channel rather than agreeing with it by construction: every field but
``signature``, sorted, ``k=v`` joined by ``&``; SHA-256 of that, as lowercase hex; SHA256withRSA
over the hex text; Base64.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa


def _to_sign(params: Mapping[str, str]) -> bytes:
    text = "&".join(f"{k}={v}" for k, v in sorted(params.items()) if k != "signature")
    return hashlib.sha256(text.encode("utf-8")).hexdigest().encode("ascii")


def sign(key: rsa.RSAPrivateKey, params: Mapping[str, str]) -> str:
    """The ``signature`` value for ``params``."""
    return base64.b64encode(key.sign(_to_sign(params), padding.PKCS1v15(), hashes.SHA256())).decode("ascii")


def verify(key: rsa.RSAPublicKey, params: Mapping[str, str]) -> bool:
    """True if ``params["signature"]`` verifies with ``key``."""
    try:
        raw = base64.b64decode(params.get("signature", ""), validate=True)
        key.verify(raw, _to_sign(params), padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def reply_text(params: Mapping[str, str]) -> str:
    """A back-end reply body: ``k=v&k=v`` with values as they are (not URL-encoded), like UnionPay's."""
    return "&".join(f"{k}={v}" for k, v in params.items())
