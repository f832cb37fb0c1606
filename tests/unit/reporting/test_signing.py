"""The signed JSON profile's cryptography checked against independent implementations.

Ours: HMACs and SM3 through OpenSSL (stdlib), SM4 through ``cryptography``, SM2 arithmetic through
``gmssl``. The second ones: ``cryptography`` (HMAC-SHA256, HMAC-SM3), ``gmssl`` (SM4-CBC, and its
own SM3-based ``sign_with_sm3``) and ``pysmx`` (snowland-smx: SM2 with the GM/T 0003 ZA||M digest
and the default user id), in both directions.
"""

from __future__ import annotations

import base64
import json
import secrets

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as chmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from gmssl import sm2, sm4
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


def test_sm4_both_directions_with_gmssl() -> None:
    key = secrets.token_hex(16)
    plain = json.dumps({"姓名": "陈静怡", "n": list(range(50))}, ensure_ascii=False).encode()
    box = json.loads(signing.sm4_seal(key, plain))
    crypt = sm4.CryptSM4()
    crypt.set_key(bytes.fromhex(key), sm4.SM4_DECRYPT)
    assert crypt.crypt_cbc(bytes.fromhex(box["iv"]), base64.b64decode(box["data"])) == plain
    iv = secrets.token_bytes(16)
    crypt = sm4.CryptSM4()
    crypt.set_key(bytes.fromhex(key), sm4.SM4_ENCRYPT)
    data = crypt.crypt_cbc(iv, plain)
    sealed = json.dumps({"enc": "SM4-CBC", "iv": iv.hex(), "data": base64.b64encode(data).decode()}).encode()
    assert signing.sm4_open(key, sealed) == plain


def test_sm4_known_answer() -> None:
    """GB/T 32907 appendix A: key = plaintext = 0123…3210, one block (CBC with a zero IV is ECB)."""
    block = bytes.fromhex("0123456789abcdeffedcba9876543210")
    encryptor = Cipher(algorithms.SM4(block), modes.CBC(bytes(16))).encryptor()
    assert (encryptor.update(block) + encryptor.finalize()).hex() == "681edf34d206965e86b3e94f536e4246"


def test_our_sm2_digest_is_gmssls_own() -> None:
    """A signature made by gmssl's all-gmssl path verifies with ours (OpenSSL's SM3 for the digest)."""
    keys = _keys()
    crypt = sm2.CryptSM2(private_key=keys.sm2_private, public_key=keys.sm2_public)
    assert signing.verify("SM2", keys, MESSAGE, crypt.sign_with_sm3(MESSAGE, secrets.token_hex(32)))


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
