"""Encryption at rest of personal data (ID numbers, phones, face images), with key rotation.

Why this shape:

- **AES-256-GCM** (``cryptography``): authenticated, so a changed byte anywhere in a token is
  detected (:class:`TamperedToken`) instead of decrypting to garbage.
- **Keys from settings**, ``XUESHI_DATA_KEYS``: an ordered list, the *first* key encrypts and
  *every* key decrypts. Rotation = put a new key first, run ``manage.py xueshi_rotate_data_keys``
  (re-encrypts every stored token with the new key), then drop the old key.
- **Key id inside every token**, so decryption picks the right key without trying them all and
  the rotation command can find tokens still under an old key with one ``LIKE`` query.
- **Purpose inside every token and bound as associated data**: a phone token pasted into the ID
  number column fails to decrypt as an ID number.
- **Keyed hash** (HMAC-SHA256 with its own key, ``XUESHI_DATA_HASH_KEY``) for exact lookups such as
  "is this ID number already registered?" without decrypting every row. ID numbers have little
  entropy, so a plain hash would be reversible by enumeration; an HMAC is not without its key.

Token format (ASCII, safe in any text column): ``xs1.<key id>.<purpose>.<base64url(nonce|ct|tag)>``.
Key ids are derived from the key (8 hex chars), so operators configure keys only.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = "xs1"
_PURPOSE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]+$")
_NONCE_BYTES = 12
_MIN_SECRET_CHARS = 16


class CryptoError(Exception):
    """Base of every error this module raises."""


class KeyConfigurationError(CryptoError):
    """The keys in settings are missing or unusable (too short, duplicated)."""


class UnknownKey(CryptoError):
    """A token names a key that is no longer configured (retired before its tokens were rotated)."""


class TamperedToken(CryptoError):
    """A token is malformed, altered, or was made for another purpose."""


@dataclass(frozen=True)
class DataKey:
    """One configured encryption key: its id (public, inside tokens) and its AES-256 key."""

    key_id: str
    aes_key: bytes


def _derive(secret: str, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"xueshi-data", info=info).derive(
        secret.encode("utf-8")
    )


@lru_cache(maxsize=32)
def _data_key(secret: str) -> DataKey:
    """Derive the AES key and the key id from an operator's secret (any long random string)."""
    if len(secret) < _MIN_SECRET_CHARS:
        raise KeyConfigurationError(
            f"each XUESHI_DATA_KEYS entry needs at least {_MIN_SECRET_CHARS} characters"
        )
    key_id = _derive(secret, b"xueshi-data-key-id").hex()[:8]
    return DataKey(key_id=key_id, aes_key=_derive(secret, b"xueshi-data-aes-256-gcm"))


def _settings_value(name: str) -> object:
    from django.conf import settings

    return getattr(settings, name, None)


def data_keys() -> list[DataKey]:
    """The configured keys, newest (encrypting) first. Read at call time so overrides apply."""
    raw = _settings_value("XUESHI_DATA_KEYS") or []
    secrets = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list | tuple) else []
    keys = [_data_key(str(secret)) for secret in secrets if str(secret)]
    if not keys:
        raise KeyConfigurationError("XUESHI_DATA_KEYS is empty: personal data cannot be encrypted")
    ids = [key.key_id for key in keys]
    if len(set(ids)) != len(ids):
        raise KeyConfigurationError("XUESHI_DATA_KEYS lists the same key twice")
    return keys


def current_key_id() -> str:
    """Id of the key new tokens are made with (the first of ``XUESHI_DATA_KEYS``)."""
    return data_keys()[0].key_id


def _check_purpose(purpose: str) -> str:
    if not _PURPOSE.match(purpose or ""):
        raise ValueError(f"purpose must match {_PURPOSE.pattern}, got {purpose!r}")
    return purpose


def _aad(key_id: str, purpose: str) -> bytes:
    return f"{VERSION}.{key_id}.{purpose}".encode("ascii")


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise TamperedToken("token payload is not base64url") from exc


def encrypt(plaintext: str | bytes, *, purpose: str) -> str:
    """Encrypt ``plaintext`` (text is UTF-8 encoded) with the newest key; return a token.

    Each call uses a fresh random nonce, so equal values give different tokens: use
    :func:`keyed_hash` to look values up.
    """
    _check_purpose(purpose)
    data = plaintext.encode("utf-8") if isinstance(plaintext, str) else bytes(plaintext)
    key = data_keys()[0]
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(key.aes_key).encrypt(nonce, data, _aad(key.key_id, purpose))
    return f"{VERSION}.{key.key_id}.{purpose}.{_b64encode(nonce + sealed)}"


@dataclass(frozen=True)
class TokenHeader:
    """The public part of a token: format version, key id and purpose."""

    version: str
    key_id: str
    purpose: str


def parse(token: str) -> tuple[TokenHeader, str]:
    """Split a token into its header and payload, or raise :class:`TamperedToken`."""
    parts = token.split(".") if isinstance(token, str) else []
    if (
        len(parts) != 4
        or parts[0] != VERSION
        or len(parts[1]) != 8
        or not _PURPOSE.match(parts[2])
        or not _PAYLOAD.match(parts[3])
    ):
        raise TamperedToken("not a Xueshi data token")
    return TokenHeader(parts[0], parts[1], parts[2]), parts[3]


def decrypt(token: str, *, purpose: str | None = None) -> bytes:
    """Decrypt a token made by :func:`encrypt` with any configured key.

    Raises :class:`TamperedToken` if it was altered or (when ``purpose`` is given) made for
    another purpose, :class:`UnknownKey` if its key has been removed from settings.
    """
    header, payload = parse(token)
    if purpose is not None and header.purpose != purpose:
        raise TamperedToken(f"token is for {header.purpose!r}, not {purpose!r}")
    key = next((k for k in data_keys() if k.key_id == header.key_id), None)
    if key is None:
        raise UnknownKey(f"no configured key has id {header.key_id}")
    raw = _b64decode(payload)
    if len(raw) < _NONCE_BYTES + 16:
        raise TamperedToken("token payload is too short")
    try:
        return AESGCM(key.aes_key).decrypt(
            raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _aad(key.key_id, header.purpose)
        )
    except InvalidTag as exc:
        raise TamperedToken("token failed authentication (altered, or wrong key)") from exc


def decrypt_text(token: str, *, purpose: str | None = None) -> str:
    """:func:`decrypt` for values that were text."""
    return decrypt(token, purpose=purpose).decode("utf-8")


def needs_rotation(token: str) -> bool:
    """Tell whether a token was made with a key other than the newest."""
    header, _ = parse(token)
    return header.key_id != current_key_id()


def rotate(token: str) -> str:
    """Re-encrypt a token with the newest key (same purpose); a current token is returned as is."""
    header, _ = parse(token)
    if header.key_id == current_key_id():
        return token
    return encrypt(decrypt(token), purpose=header.purpose)


def _hash_key() -> bytes:
    secret = str(_settings_value("XUESHI_DATA_HASH_KEY") or "")
    if len(secret) < _MIN_SECRET_CHARS:
        raise KeyConfigurationError(
            f"XUESHI_DATA_HASH_KEY needs at least {_MIN_SECRET_CHARS} characters"
            " (it keys exact lookups of personal data)"
        )
    return _hash_key_of(secret)


@lru_cache(maxsize=8)
def _hash_key_of(secret: str) -> bytes:
    """The HMAC key of a secret, derived once (HKDF per hash was half of a hash's cost; ADR 0306)."""
    return _derive(secret, b"xueshi-data-hmac-sha256")


def keyed_hash(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of ``value`` for ``purpose``, as 64 hex chars: equal inputs give equal hashes.

    Callers normalise first (e.g. upper-case the ``X`` of an ID number), since the hash is exact.
    The purpose is mixed in, so equal values in different roles never share a hash.
    """
    _check_purpose(purpose)
    message = purpose.encode("ascii") + b"\x00" + value.encode("utf-8")
    return hmac.new(_hash_key(), message, hashlib.sha256).hexdigest()


def generate_secret() -> str:
    """A fresh random secret suitable for ``XUESHI_DATA_KEYS`` or ``XUESHI_DATA_HASH_KEY``."""
    return _b64encode(os.urandom(32))


def __getattr__(name: str) -> object:
    """``crypto.EncryptedTextField`` / ``EncryptedBinaryField`` (contract C3), imported on first use.

    They live in ``xueshi_core.fields`` so that this module stays free of Django models.
    """
    if name in ("EncryptedTextField", "EncryptedBinaryField"):
        import importlib

        return getattr(importlib.import_module("xueshi_core.fields"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
