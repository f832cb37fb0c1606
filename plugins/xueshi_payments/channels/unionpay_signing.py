"""UnionPay ACP 5.1.0 signatures (signMethod 01) and the check of UnionPay's signing certificate.

The string to sign is every field but ``signature``, sorted by name, joined as ``k=v&k=v`` with raw
values; its SHA-256 is written as lowercase hex, and *that hex text* is signed with SHA256withRSA
(PKCS#1 v1.5), Base64. ``certId`` is the decimal serial number of the certificate whose key signs.
UnionPay's replies and notices carry their signing certificate (``signPubKeyCert``, PEM): it is
trusted only if the middle certificate issued it, the root issued the middle, it is within its
validity, and its subject CN names UnionPay (third ``@`` part ``中国银联股份有限公司``). Written
with ``cryptography``: there is no maintained Python ACP SDK (ADR 0160).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

UNIONPAY_CN = "中国银联股份有限公司"
TEST_CN = "00040000:SIGN"  # the CN part of UnionPay's test-environment signing certificate


class CertificateRefused(ValueError):
    """``signPubKeyCert`` is not UnionPay's; ``code`` says why (for ``NoticeRejected``)."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason


def sign_content(params: Mapping[str, str]) -> str:
    """The sorted ``k=v&…`` text: every field but ``signature``, empty ones too."""
    return "&".join(f"{key}={params[key]}" for key in sorted(params) if key != "signature")


def _digest_hex(params: Mapping[str, str]) -> bytes:
    return hashlib.sha256(sign_content(params).encode("utf-8")).hexdigest().encode("ascii")


def sign(private_key: rsa.RSAPrivateKey, params: Mapping[str, str]) -> str:
    """The ``signature`` field for ``params`` (signMethod 01)."""
    signature = private_key.sign(_digest_hex(params), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode("ascii")


def verify(public_key: rsa.RSAPublicKey, params: Mapping[str, str]) -> bool:
    """True if ``params["signature"]`` is ``public_key``'s signature over the other fields."""
    try:
        signature = base64.b64decode(params.get("signature", ""), validate=True)
        public_key.verify(signature, _digest_hex(params), padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def cert_id(certificate: x509.Certificate) -> str:
    """ACP's ``certId``: the certificate's serial number in decimal."""
    return str(certificate.serial_number)


def load_pfx(data: bytes, password: str) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """The merchant's signing key and certificate from the PFX (PKCS#12) UnionPay/CFCA issues."""
    key, certificate, _ = pkcs12.load_key_and_certificates(data, password.encode("utf-8") or None)
    if not isinstance(key, rsa.RSAPrivateKey) or certificate is None:
        raise ValueError("the PFX holds no RSA key with its certificate")
    return key, certificate


def load_certificate(data: bytes) -> x509.Certificate:
    """A certificate from PEM or DER bytes (UnionPay ships ``.cer`` files in either)."""
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)


def load_certificate_file(path: str | Path) -> x509.Certificate:
    """A certificate file (``.cer``), PEM or DER."""
    return load_certificate(Path(path).read_bytes())


def unionpay_key(
    pem: str,
    middle: x509.Certificate,
    root: x509.Certificate,
    *,
    accept_test_cn: bool = False,
    now: datetime | None = None,
) -> rsa.RSAPublicKey:
    """The public key of ``signPubKeyCert`` once it is proven UnionPay's; ``CertificateRefused`` if not."""
    try:
        certificate = x509.load_pem_x509_certificate(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise CertificateRefused("bad_certificate", "signPubKeyCert is not a PEM certificate") from None
    try:
        certificate.verify_directly_issued_by(middle)
        middle.verify_directly_issued_by(root)
    except (ValueError, TypeError, InvalidSignature):
        raise CertificateRefused(
            "untrusted_certificate", "signPubKeyCert does not chain to the middle and root certificates"
        ) from None
    moment = now or datetime.now(UTC)
    for cert in (certificate, middle):
        if not cert.not_valid_before_utc <= moment <= cert.not_valid_after_utc:
            raise CertificateRefused("expired_certificate", "a certificate of the chain is not valid now")
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    parts = str(names[0].value).split("@") if names else []
    owner = parts[2] if len(parts) > 2 else ""
    if owner != UNIONPAY_CN and not (accept_test_cn and owner == TEST_CN):
        raise CertificateRefused("not_unionpay_certificate", f"certificate CN names {owner!r}, not UnionPay")
    key = certificate.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise CertificateRefused("bad_certificate", "signPubKeyCert has no RSA key")
    return key


def parse_reply(text: str) -> dict[str, str]:
    """A back-end reply (``k=v&k=v``, values not URL-encoded): split on ``&`` and each first ``=``.

    ACP's SDKs read replies this way (values may hold ``=``, ``+`` and ``/``, as in
    ``signPubKeyCert``); ``ValueError`` for a part without ``=`` or a name given twice.
    """
    fields: dict[str, str] = {}
    for part in text.strip().split("&"):
        name, sep, value = part.partition("=")
        if not sep or not name or name in fields:
            raise ValueError(f"not an ACP reply near {part[:40]!r}")
        fields[name] = value
    return fields
