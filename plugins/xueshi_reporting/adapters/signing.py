r"""Signatures and encryption of the signed JSON profile: HMAC-SHA256, HMAC-SM3, SM2 (with SM3), SM4.

HMACs and the SM3 digests through OpenSSL (stdlib ``hmac``/``hashlib``), SM4-CBC through
``cryptography`` (OpenSSL), the SM2 curve arithmetic through ``gmssl``. gmssl's own SM3 is pure
Python (about 100 KB a second), so the GM/T 0003 digest e = SM3(ZA ‖ M) is computed with OpenSSL
and handed to gmssl's ``sign``/``verify``; gmssl draws the SM2 nonce with ``random.choice`` when
none is given, which is not a secure source: we always pass one from ``secrets`` (ADR 0203).
The signed text is ``app_id\\ntimestamp\\nnonce\\n`` + the body bytes, both ways.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from gmssl import sm2

#: ENTL ‖ ID of the default user id ``1234567812345678`` (GM/T 0009).
DEFAULT_ID = "0080" + "31323334353637383132333435363738"

HMAC_SHA256, HMAC_SM3, SM2 = "HMAC-SHA256", "HMAC-SM3", "SM2"
ALGORITHMS = (HMAC_SHA256, HMAC_SM3, SM2)


class SigningError(Exception):
    """A key is missing or malformed for the algorithm a destination names."""


@dataclass(frozen=True)
class Keys:
    """One side's keys: shared HMAC key, own SM2 private/public, the peer's SM2 public, SM4 key (hex)."""

    hmac_key: str = ""
    sm2_private: str = ""
    sm2_public: str = ""
    peer_sm2_public: str = ""
    sm4_key: str = ""

    @classmethod
    def from_mapping(cls, value: dict[str, Any]) -> Keys:
        """Keys from a settings entry (unknown names ignored)."""
        return cls(**{k: str(v) for k, v in value.items() if k in cls.__dataclass_fields__})


def signed_text(app_id: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    """What is signed: app id, timestamp and nonce lines, then the body bytes."""
    return f"{app_id}\n{timestamp}\n{nonce}\n".encode() + body


def sm2_public_of(private_hex: str) -> str:
    """The SM2 public key (128 hex digits, x‖y) of a private key."""
    crypt = sm2.CryptSM2(private_key=private_hex, public_key="")
    return str(crypt._kg(int(private_hex, 16), sm2.default_ecc_table["g"]))


def new_sm2_private() -> str:
    """A fresh SM2 private key (hex) in [1, n-1], from ``secrets``."""
    n = int(sm2.default_ecc_table["n"], 16)
    return f"{secrets.randbelow(n - 1) + 1:064x}"


def sm2_digest(public_hex: str, text: bytes) -> bytes:
    """E = SM3(ZA ‖ M), ZA = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA) (GM/T 0003.2 §6.1)."""
    table = sm2.default_ecc_table
    za = hashlib.new(
        "sm3", bytes.fromhex(DEFAULT_ID + table["a"] + table["b"] + table["g"] + public_hex)
    ).digest()
    return hashlib.new("sm3", za + text).digest()


def sign(algorithm: str, keys: Keys, text: bytes) -> str:
    """Hex HMAC, or hex r‖s of SM2-with-SM3 (default user id 1234567812345678)."""
    if algorithm in (HMAC_SHA256, HMAC_SM3):
        if not keys.hmac_key:
            raise SigningError("no shared key")
        return hmac.new(
            keys.hmac_key.encode(), text, "sha256" if algorithm == HMAC_SHA256 else "sm3"
        ).hexdigest()
    if algorithm == SM2:
        if not (keys.sm2_private and keys.sm2_public):
            raise SigningError("no SM2 key pair")
        crypt = sm2.CryptSM2(private_key=keys.sm2_private, public_key=keys.sm2_public)
        return str(crypt.sign(sm2_digest(crypt.public_key, text), secrets.token_hex(32)))
    raise SigningError(f"unknown signature algorithm {algorithm!r}")


def verify(algorithm: str, keys: Keys, text: bytes, signature: str) -> bool:
    """Whether ``signature`` over ``text`` was made by the peer (shared key, or the peer's SM2 key)."""
    try:
        if algorithm in (HMAC_SHA256, HMAC_SM3):
            return hmac.compare_digest(sign(algorithm, keys, text), signature or "")
        if algorithm == SM2:
            if not keys.peer_sm2_public or len(signature or "") != 128:
                return False
            int(signature, 16)
            crypt = sm2.CryptSM2(private_key="", public_key=keys.peer_sm2_public)
            return bool(crypt.verify(signature, sm2_digest(crypt.public_key, text)))
    except (ValueError, SigningError):
        return False
    return False


def sm4_seal(key_hex: str, plain: bytes) -> bytes:
    """``{"enc":"SM4-CBC","iv":hex,"data":base64}`` as JSON bytes (PKCS#7 padding, random IV)."""
    iv = secrets.token_bytes(16)
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.SM4(bytes.fromhex(key_hex)), modes.CBC(iv)).encryptor()
    data = encryptor.update(padder.update(plain) + padder.finalize()) + encryptor.finalize()
    return json.dumps({"enc": "SM4-CBC", "iv": iv.hex(), "data": base64.b64encode(data).decode()}).encode()


def sm4_open(key_hex: str, sealed: bytes) -> bytes:
    """The plaintext of ``sm4_seal``; ``ValueError`` when it is not such an envelope or does not decrypt."""
    try:
        box = json.loads(sealed)
        if not isinstance(box, dict) or box.get("enc") != "SM4-CBC":
            raise ValueError("not an SM4-CBC envelope")
        iv, data = bytes.fromhex(box["iv"]), base64.b64decode(box["data"], validate=True)
        if len(iv) != 16 or not data or len(data) % 16:
            raise ValueError("bad IV or ciphertext length")
        decryptor = Cipher(algorithms.SM4(bytes.fromhex(key_hex)), modes.CBC(iv)).decryptor()
        padded = decryptor.update(data) + decryptor.finalize()
        unpadder = padding.PKCS7(128).unpadder()
        return unpadder.update(padded) + unpadder.finalize()
    except (KeyError, TypeError, base64.binascii.Error) as exc:  # type: ignore[attr-defined]
        raise ValueError(str(exc)) from exc
