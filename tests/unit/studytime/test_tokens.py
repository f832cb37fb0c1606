"""Session tokens: sign, verify, rotate, tamper, expire."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xueshi_studytime.exceptions import TokenInvalid
from xueshi_studytime.tokens import TokenClaims, derive_key, sign, usage_hash, verify

pytestmark = pytest.mark.unit

OLD, NEW = b"old-key-" + b"0" * 24, b"new-key-" + b"1" * 24


def claims(exp=2_000_000_000):
    return TokenClaims(str(uuid.uuid4()), 42, usage_hash("block-v1:X+Y+Z+type@xueshi_video+block@v1"), exp)


def test_round_trip():
    c = claims()
    assert verify(sign(c, NEW), [NEW], now=1_000) == c


def test_rotation_accepts_old_key_while_listed_and_refuses_after():
    token = sign(claims(), OLD)
    assert verify(token, [NEW, OLD], now=1_000).user_id == 42
    with pytest.raises(TokenInvalid) as exc:
        verify(token, [NEW], now=1_000)
    assert exc.value.reason_code == "token_invalid"


def test_expired_token_is_refused_with_its_own_code():
    with pytest.raises(TokenInvalid) as exc:
        verify(sign(claims(exp=1_000), NEW), [NEW], now=1_000)
    assert exc.value.reason_code == "token_expired"


@given(st.integers(min_value=3, max_value=60), st.sampled_from("ABCxyz019-_"))
def test_any_single_character_change_is_refused(index, char):
    token = sign(claims(), NEW)
    if index >= len(token) or token[index] == char or token[index] == ".":
        return
    tampered = token[:index] + char + token[index + 1 :]
    with pytest.raises(TokenInvalid):
        verify(tampered, [NEW], now=1_000)


@pytest.mark.parametrize("bad", [None, 5, "", "v1..", "v1.abc.def", "v2.a.b", "x" * 500, "v1.%%%.&&&"])
def test_malformed_tokens_are_refused(bad):
    with pytest.raises(TokenInvalid):
        verify(bad, [NEW], now=1_000)


def test_derived_key_depends_on_secret():
    assert derive_key("a") != derive_key("b") and len(derive_key("a")) == 32
