"""The receiver's side of the signed JSON profile, written apart from the adapter it checks.

HMACs with ``cryptography`` (SHA-256, SM3), SM4-CBC with ``cryptography``, SM2 with ``gmssl``:
a second implementation of what ``xueshi_reporting.adapters.signing`` does with other libraries.
"""

from __future__ import annotations

import base64
import json
import secrets

from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives import hmac as chmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from gmssl import sm2

HASHES = {"HMAC-SHA256": hashes.SHA256, "HMAC-SM3": hashes.SM3}


def text(app_id: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    return f"{app_id}\n{timestamp}\n{nonce}\n".encode() + body


def hmac_hex(algorithm: str, key: str, message: bytes) -> str:
    mac = chmac.HMAC(key.encode(), HASHES[algorithm]())
    mac.update(message)
    return mac.finalize().hex()


def verify(algorithm: str, keys: dict[str, str], message: bytes, signature: str) -> bool:
    """The client's signature: shared key, or the client's SM2 public key."""
    if algorithm in HASHES:
        return secrets.compare_digest(hmac_hex(algorithm, keys.get("hmac_key", ""), message), signature)
    if algorithm == "SM2":
        try:
            int(signature, 16)
        except ValueError:
            return False
        if len(signature) != 128:
            return False
        return bool(
            sm2.CryptSM2(private_key="", public_key=keys["client_sm2_public"]).verify_with_sm3(
                signature, message
            )
        )
    return False


def sign(algorithm: str, keys: dict[str, str], message: bytes) -> str:
    """The platform's answer signature."""
    if algorithm in HASHES:
        return hmac_hex(algorithm, keys.get("hmac_key", ""), message)
    crypt = sm2.CryptSM2(private_key=keys["platform_sm2_private"], public_key=keys["platform_sm2_public"])
    return str(crypt.sign_with_sm3(message, secrets.token_hex(32)))


def sm4_open(key_hex: str, body: bytes) -> bytes:
    box = json.loads(body)
    if box.get("enc") != "SM4-CBC":
        raise ValueError("not SM4-CBC")
    decryptor = Cipher(
        algorithms.SM4(bytes.fromhex(key_hex)), modes.CBC(bytes.fromhex(box["iv"]))
    ).decryptor()
    padded = decryptor.update(base64.b64decode(box["data"])) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return unpadder.update(padded) + unpadder.finalize()


def sm4_seal(key_hex: str, plain: bytes) -> bytes:
    iv = secrets.token_bytes(16)
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.SM4(bytes.fromhex(key_hex)), modes.CBC(iv)).encryptor()
    data = encryptor.update(padder.update(plain) + padder.finalize()) + encryptor.finalize()
    return json.dumps({"enc": "SM4-CBC", "iv": iv.hex(), "data": base64.b64encode(data).decode()}).encode()
