"""The issuer's Ed25519 signing keys: the newest signs, every configured key verifies (rotation).

Keys come from ``XUESHI_CERTIFICATES_SIGNING_KEYS`` (``conf.signing_keys``): PEM files, PEM text,
or ``seed:<secret>`` derived with HKDF so Tutor can generate the secret like its other keys (ADR
0122). A key's ``kid`` is its RFC 7638 JWK thumbprint, so the same key has the same id wherever it
is loaded, and a credential names the key that signed it. Retired keys stay in the list (and in
the published JWKS) for as long as certificates they signed must verify.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from . import conf

_HKDF_INFO = b"xueshi-certificates-ed25519-v1"


class KeysMissing(RuntimeError):
    """No signing key is configured: certificates cannot be issued (verification still answers)."""


@dataclass(frozen=True)
class SigningKey:
    """One Ed25519 key pair with its thumbprint ``kid``."""

    kid: str
    private: Ed25519PrivateKey

    @property
    def public(self) -> Ed25519PublicKey:
        """The public half, for verifying and publishing."""
        return self.private.public_key()

    def public_jwk(self) -> dict[str, str]:
        """The public key as an OKP JWK (RFC 8037), with ``kid``, ``use`` and ``alg``."""
        return {**_okp_members(self.public), "kid": self.kid, "use": "sig", "alg": "EdDSA"}


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _okp_members(public: Ed25519PublicKey) -> dict[str, str]:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"crv": "Ed25519", "kty": "OKP", "x": _b64url(raw)}


def thumbprint(public: Ed25519PublicKey) -> str:
    """RFC 7638 thumbprint: SHA-256 of the required members, sorted, without whitespace."""
    canonical = json.dumps(_okp_members(public), sort_keys=True, separators=(",", ":"))
    return _b64url(hashlib.sha256(canonical.encode("ascii")).digest())


def load_private(entry: str) -> Ed25519PrivateKey:
    """One configured entry as a private key (PEM path, PEM text or ``seed:<secret>``)."""
    text = entry.strip()
    if text.startswith("seed:"):
        seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(
            text[5:].encode("utf-8")
        )
        return Ed25519PrivateKey.from_private_bytes(seed)
    pem = text.encode("ascii") if text.startswith("-----BEGIN") else Path(text).read_bytes()
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("certificate signing keys must be Ed25519")
    return key


@lru_cache(maxsize=8)
def _load(entries: tuple[str, ...]) -> tuple[SigningKey, ...]:
    found = []
    for entry in entries:
        private = load_private(entry)
        found.append(SigningKey(thumbprint(private.public_key()), private))
    return tuple(found)


def all_keys() -> tuple[SigningKey, ...]:
    """Every configured key, newest first (cached per configuration)."""
    return _load(tuple(conf.signing_keys()))


def current() -> SigningKey:
    """The key that signs new credentials and status lists."""
    found = all_keys()
    if not found:
        raise KeysMissing("XUESHI_CERTIFICATES_SIGNING_KEYS is empty")
    return found[0]


def by_kid(kid: str) -> SigningKey | None:
    """The configured key with this thumbprint, or ``None`` (then a credential naming it is forged)."""
    return next((k for k in all_keys() if k.kid == kid), None)


def jwks() -> dict[str, list[dict[str, str]]]:
    """The public JWK Set served at ``.well-known/jwks.json``: current and retired keys."""
    return {"keys": [k.public_jwk() for k in all_keys()]}


def generate_pem() -> bytes:
    """A new Ed25519 private key in PKCS#8 PEM (sandbox and ``xueshi_certificates_keygen``)."""
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
