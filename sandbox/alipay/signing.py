"""Alipay's RSA2 signatures, as the gateway computes and checks them, and its key files.

The string to sign is every parameter but ``sign`` (and, for notices, ``sign_type``; requests
also leave empty values out), sorted by name, joined as ``k=v&k=v`` with raw (not URL-encoded) values; the
signature is SHA256withRSA (PKCS#1 v1.5), Base64. Written with ``cryptography`` rather than the
merchant SDK, so the sandbox checks the SDK instead of agreeing with it by construction.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey


def sign_content(
    params: Mapping[str, str], exclude: Iterable[str] = ("sign",), *, keep_empty: bool = False
) -> str:
    """The sorted ``k=v&…`` string Alipay signs, without the ``exclude``d names.

    A request's content leaves empty values out (Alipay SDKs' ``getSignContent``); a notice's or
    return's keeps them (``getSignCheckContentV1`` drops only ``sign`` and ``sign_type``).
    """
    skipped = set(exclude)
    return "&".join(
        f"{k}={params[k]}" for k in sorted(params) if k not in skipped and (keep_empty or params[k] != "")
    )


def sign(private_key: RSAPrivateKey, content: str) -> str:
    """SHA256withRSA over the UTF-8 bytes, Base64 on one line."""
    signature = private_key.sign(content.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode("ascii")


def verify(public_key: RSAPublicKey, content: str, signature: str) -> bool:
    """True only for a well-formed signature of ``content`` by the key's private half."""
    try:
        raw = base64.b64decode(signature, validate=True)
        public_key.verify(raw, content.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
    except (binascii.Error, ValueError, InvalidSignature):
        return False
    return True


def new_private_key() -> RSAPrivateKey:
    """A 2048-bit RSA key, the size Alipay's key tool makes."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_pem(key: RSAPrivateKey) -> str:
    """PKCS#1 PEM (``BEGIN RSA PRIVATE KEY``), the form Alipay's tools and SDKs take."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode("ascii")


def public_pem(key: RSAPrivateKey | RSAPublicKey) -> str:
    """SubjectPublicKeyInfo PEM of a key's public half."""
    public = key.public_key() if isinstance(key, RSAPrivateKey) else key
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def load_public(pem: str) -> RSAPublicKey:
    """A public key from PEM (what a merchant uploads to Alipay as its app public key)."""
    key = serialization.load_pem_public_key(pem.encode("ascii"))
    if not isinstance(key, RSAPublicKey):
        raise ValueError("not an RSA public key")
    return key


def private_key_file(path: Path) -> RSAPrivateKey:
    """The key in ``path``, created there if missing (atomically: two processes agree on one key)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(private_pem(new_private_key()))
        try:
            os.link(temporary, path)  # fails if another process got there first
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, RSAPrivateKey):
        raise ValueError(f"{path} is not an RSA private key")
    return key
