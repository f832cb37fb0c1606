"""The signed JSON profile's cryptography checked against independent implementations.

Ours: HMACs through OpenSSL (stdlib ``hmac``), SM2/SM4 through ``gmssl``. The second ones:
``cryptography`` (HMAC-SHA256, HMAC-SM3, SM4-CBC) and ``pysmx`` (snowland-smx: SM2 with the
GM/T 0003 ZA||M digest and the default user id), in both directions.
"""

from __future__ import annotations

import base64
import json
import secrets

import pytest
from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives import hmac as chmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from pysmx import SM2 as smx

from xueshi_reporting.adapters import signing

UID = b"1234567812345678"
MESSAGE = b"xueshi-demo\n1733356800\nabcdef0123456789\n" + '{"records":[{"姓名":"陈静怡"}]}'.encode()


def _keys() -> signing.Keys:
    private = signing.new_sm2_private()
    public = signing.sm2_public_of(private)
    return signing.Keys(
        hmac_key=secrets.token_hex(32),
        sm2_private=private,
        sm2_public=public,
        peer_sm2_public=public,
        sm4_key=secrets.token_hex(16),
    )


@pytest.mark.parametrize(("algorithm", "digest"), [("HMAC-SHA256", hashes.SHA256), ("HMAC-SM3", hashes.SM3)])
def test_hmacs_agree_with_cryptography(algorithm: str, digest) -> None:
    keys = _keys()
    mac = chmac.HMAC(keys.hmac_key.encode(), digest())
    mac.update(MESSAGE)
    expected = mac.finalize().hex()
    assert signing.sign(algorithm, keys, MESSAGE) == expected
    assert signing.verify(algorithm, keys, MESSAGE, expected)
    assert not signing.verify(algorithm, keys, MESSAGE + b" ", expected)


def test_hmac_sm3_known_answer() -> None:
    """RFC 2104 over SM3 of 'abc' with the key 'key' agrees with cryptography."""
    keys = signing.Keys(hmac_key="key")
    mac = chmac.HMAC(b"key", hashes.SM3())
    mac.update(b"abc")
    assert signing.sign("HMAC-SM3", keys, b"abc") == mac.finalize().hex()


def test_sm2_signature_verifies_with_pysmx_and_back() -> None:
    keys = _keys()
    ours = signing.sign("SM2", keys, MESSAGE)
    assert smx.Verify(ours, MESSAGE, keys.sm2_public, 64, uid=UID)
    assert not smx.Verify(ours, MESSAGE + b"x", keys.sm2_public, 64, uid=UID)
    theirs = smx.Sign(MESSAGE, keys.sm2_private, secrets.token_hex(32), 64, uid=UID)
    theirs = theirs.hex() if isinstance(theirs, bytes) else theirs
    assert signing.verify("SM2", keys, MESSAGE, theirs)
    assert not signing.verify("SM2", keys, MESSAGE, "zz" * 64)
    assert not signing.verify("SM2", keys, MESSAGE, theirs[:-2])


def test_sm2_public_key_agrees_with_pysmx() -> None:
    private = signing.new_sm2_private()
    point = smx.kG(int(private, 16), smx.sm2_G, 64)
    assert signing.sm2_public_of(private) == point


def test_sm4_both_directions_with_cryptography() -> None:
    key = secrets.token_hex(16)
    plain = json.dumps({"姓名": "陈静怡", "n": list(range(50))}, ensure_ascii=False).encode()
    box = json.loads(signing.sm4_seal(key, plain))
    decryptor = Cipher(algorithms.SM4(bytes.fromhex(key)), modes.CBC(bytes.fromhex(box["iv"]))).decryptor()
    padded = decryptor.update(base64.b64decode(box["data"])) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    assert unpadder.update(padded) + unpadder.finalize() == plain
    iv = secrets.token_bytes(16)
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.SM4(bytes.fromhex(key)), modes.CBC(iv)).encryptor()
    data = encryptor.update(padder.update(plain) + padder.finalize()) + encryptor.finalize()
    sealed = json.dumps({"enc": "SM4-CBC", "iv": iv.hex(), "data": base64.b64encode(data).decode()}).encode()
    assert signing.sm4_open(key, sealed) == plain


@pytest.mark.parametrize(
    "sealed",
    [
        b"{}",
        b"[]",
        b'{"enc":"SM4-CBC","iv":"00","data":"AA=="}',
        b'{"enc":"SM4-CBC","iv":"' + b"00" * 16 + b'","data":"!!"}',
        b"not json",
    ],
)
def test_sm4_open_refuses_garbage(sealed: bytes) -> None:
    with pytest.raises(ValueError):
        signing.sm4_open(secrets.token_hex(16), sealed)


def test_missing_keys_are_a_signing_error() -> None:
    with pytest.raises(signing.SigningError):
        signing.sign("SM2", signing.Keys(), b"x")
    with pytest.raises(signing.SigningError):
        signing.sign("HMAC-SHA256", signing.Keys(), b"x")
    with pytest.raises(signing.SigningError):
        signing.sign("RSA", signing.Keys(hmac_key="k"), b"x")
