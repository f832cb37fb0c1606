"""The receiver's side of the signed JSON profile, written apart from the adapter it checks.

HMACs with ``cryptography`` (SHA-256, SM3), SM4-CBC with ``gmssl``, SM2 with ``gmssl`` over an
OpenSSL SM3 digest: where it can, another library than ``xueshi_reporting.adapters.signing``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as chmac
from gmssl import sm2, sm4

HASHES = {"HMAC-SHA256": hashes.SHA256, "HMAC-SM3": hashes.SM3}


def text(app_id: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    return f"{app_id}\n{timestamp}\n{nonce}\n".encode() + body


def hmac_hex(algorithm: str, key: str, message: bytes) -> str:
    mac = chmac.HMAC(key.encode(), HASHES[algorithm]())
    mac.update(message)
    return mac.finalize().hex()


def sm2_e(public_hex: str, message: bytes) -> bytes:
    """SM3(ZA ‖ M) with the default user id (GM/T 0003.2)."""
    t = sm2.default_ecc_table
    za_input = "0080" + "31323334353637383132333435363738" + t["a"] + t["b"] + t["g"] + public_hex
    za = hashlib.new("sm3", bytes.fromhex(za_input)).digest()
    return hashlib.new("sm3", za + message).digest()


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
        public = keys["client_sm2_public"]
        return bool(sm2.CryptSM2(private_key="", public_key=public).verify(signature, sm2_e(public, message)))
    return False


def sign(algorithm: str, keys: dict[str, str], message: bytes) -> str:
    """The platform's answer signature."""
    if algorithm in HASHES:
        return hmac_hex(algorithm, keys.get("hmac_key", ""), message)
    crypt = sm2.CryptSM2(private_key=keys["platform_sm2_private"], public_key=keys["platform_sm2_public"])
    return str(crypt.sign(sm2_e(keys["platform_sm2_public"], message), secrets.token_hex(32)))


def sm4_open(key_hex: str, body: bytes) -> bytes:
    """Open an SM4-CBC envelope (``ValueError`` when it is not one or its padding is wrong)."""
    box = json.loads(body)
    if not isinstance(box, dict) or box.get("enc") != "SM4-CBC":
        raise ValueError("not SM4-CBC")
    crypt = sm4.CryptSM4()
    crypt.set_key(bytes.fromhex(key_hex), sm4.SM4_DECRYPT)
    plain = crypt.crypt_cbc(bytes.fromhex(box["iv"]), base64.b64decode(box["data"]))
    if not plain:
        raise ValueError("bad padding")
    return bytes(plain)


def sm4_seal(key_hex: str, plain: bytes) -> bytes:
    """Seal an answer the same way (random IV, PKCS#7)."""
    iv = secrets.token_bytes(16)
    crypt = sm4.CryptSM4()
    crypt.set_key(bytes.fromhex(key_hex), sm4.SM4_ENCRYPT)
    data = crypt.crypt_cbc(iv, plain)
    return json.dumps({"enc": "SM4-CBC", "iv": iv.hex(), "data": base64.b64encode(data).decode()}).encode()
