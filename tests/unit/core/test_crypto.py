"""xueshi_core.crypto: round trip, key rotation, tamper detection, keyed hashes."""

from __future__ import annotations

import base64

import pytest
from django.test import override_settings

from xueshi_core import crypto

OLD = "old-key-for-unit-tests-0123456789"
NEW = "new-key-for-unit-tests-9876543210"
HASH = "hash-key-for-unit-tests-abcdefgh"


@pytest.fixture(autouse=True)
def _keys():
    with override_settings(XUESHI_DATA_KEYS=[OLD], XUESHI_DATA_HASH_KEY=HASH):
        yield


def test_text_round_trip_and_token_shape() -> None:
    token = crypto.encrypt("350102199003071234", purpose="id_number")
    version, key_id, purpose, _payload = token.split(".")
    assert (version, purpose) == ("xs1", "id_number")
    assert key_id == crypto.current_key_id() and len(key_id) == 8
    assert "350102" not in token
    assert crypto.decrypt(token) == b"350102199003071234"
    assert crypto.decrypt_text(token, purpose="id_number") == "350102199003071234"


def test_binary_and_chinese_round_trip() -> None:
    image = bytes(range(256)) * 40
    assert crypto.decrypt(crypto.encrypt(image, purpose="face_image")) == image
    assert crypto.decrypt_text(crypto.encrypt("张三丰", purpose="name")) == "张三丰"


def test_equal_values_give_different_tokens() -> None:
    assert crypto.encrypt("13812345678", purpose="phone") != crypto.encrypt("13812345678", purpose="phone")


def test_rotation_old_tokens_decrypt_and_rotate_to_the_new_key() -> None:
    old_token = crypto.encrypt("13812345678", purpose="phone")
    old_id = crypto.current_key_id()
    with override_settings(XUESHI_DATA_KEYS=[NEW, OLD]):
        new_id = crypto.current_key_id()
        assert new_id != old_id
        assert crypto.decrypt(old_token) == b"13812345678"
        assert crypto.needs_rotation(old_token)
        rotated = crypto.rotate(old_token)
        assert rotated.split(".")[1] == new_id and rotated.split(".")[2] == "phone"
        assert not crypto.needs_rotation(rotated)
        assert crypto.rotate(rotated) == rotated
    with override_settings(XUESHI_DATA_KEYS=[NEW]):
        assert crypto.decrypt(rotated) == b"13812345678"
        with pytest.raises(crypto.UnknownKey):
            crypto.decrypt(old_token)


def _flip(token: str, index: int) -> str:
    head, payload = token.rsplit(".", 1)
    raw = bytearray(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    raw[index] ^= 0x01
    return head + "." + base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()


@pytest.mark.parametrize("index", [0, 12, -1])  # nonce, ciphertext, tag
def test_any_flipped_bit_is_detected(index: int) -> None:
    token = crypto.encrypt("350102199003071234", purpose="id_number")
    with pytest.raises(crypto.TamperedToken):
        crypto.decrypt(_flip(token, index))


def test_purpose_is_authenticated() -> None:
    token = crypto.encrypt("13812345678", purpose="phone")
    relabelled = token.replace(".phone.", ".id_number.")
    with pytest.raises(crypto.TamperedToken):
        crypto.decrypt(relabelled)
    with pytest.raises(crypto.TamperedToken):
        crypto.decrypt(token, purpose="id_number")


@pytest.mark.parametrize(
    "bad",
    ["", "garbage", "xs1.abc.phone.AAAA", "xs2.0123abcd.phone.AAAA", "xs1.0123abcd.phone.!!!", None, 42],
)
def test_malformed_tokens_are_tampered_not_crashes(bad: object) -> None:
    with pytest.raises(crypto.TamperedToken):
        crypto.decrypt(bad)  # type: ignore[arg-type]


def test_wrong_key_with_same_id_shape_is_detected() -> None:
    token = crypto.encrypt("x", purpose="phone")
    other = crypto.encrypt("x", purpose="phone")
    # Splice another token's payload with one bit of its tag flipped: authentication must fail, not
    # return a value. (Replacing its last two characters, as this once did, left about one token in
    # 1,000 unchanged, since a base64 tail carries unused bits: the test then failed by chance.)
    payload = other.rsplit(".", 1)[1]
    raw = bytearray(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    raw[-1] ^= 0x01
    spliced = token.rsplit(".", 1)[0] + "." + base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    with pytest.raises(crypto.TamperedToken):
        crypto.decrypt(spliced)


def test_missing_or_weak_keys_are_configuration_errors() -> None:
    with override_settings(XUESHI_DATA_KEYS=[]), pytest.raises(crypto.KeyConfigurationError):
        crypto.encrypt("x", purpose="phone")
    with override_settings(XUESHI_DATA_KEYS=["short"]), pytest.raises(crypto.KeyConfigurationError):
        crypto.encrypt("x", purpose="phone")
    with override_settings(XUESHI_DATA_KEYS=[OLD, OLD]), pytest.raises(crypto.KeyConfigurationError):
        crypto.encrypt("x", purpose="phone")
    with override_settings(XUESHI_DATA_HASH_KEY=""), pytest.raises(crypto.KeyConfigurationError):
        crypto.keyed_hash("x", purpose="phone")


@pytest.mark.parametrize("purpose", ["", "Phone", "id-number", "a" * 41, "1abc"])
def test_bad_purposes_are_refused(purpose: str) -> None:
    with pytest.raises(ValueError):
        crypto.encrypt("x", purpose=purpose)


def test_keyed_hash_is_exact_per_purpose_and_per_key() -> None:
    first = crypto.keyed_hash("350102199003071234", purpose="id_number")
    assert first == crypto.keyed_hash("350102199003071234", purpose="id_number")
    assert len(first) == 64 and int(first, 16) >= 0
    assert first != crypto.keyed_hash("350102199003071235", purpose="id_number")
    assert first != crypto.keyed_hash("350102199003071234", purpose="phone")
    with override_settings(XUESHI_DATA_HASH_KEY="another-hash-key-0123456789"):
        assert first != crypto.keyed_hash("350102199003071234", purpose="id_number")
    # The hash key is not the encryption key: changing data keys leaves lookups intact.
    with override_settings(XUESHI_DATA_KEYS=[NEW, OLD]):
        assert first == crypto.keyed_hash("350102199003071234", purpose="id_number")


def test_generated_secrets_are_long_and_distinct() -> None:
    a, b = crypto.generate_secret(), crypto.generate_secret()
    assert a != b and len(a) >= 40
    with override_settings(XUESHI_DATA_KEYS=[a, b]):
        assert crypto.decrypt(crypto.encrypt("x", purpose="phone")) == b"x"
