"""Session tokens: compact HMAC-SHA256 capabilities bound to (session, user, block, expiry, caller).

A heartbeat must be verifiable without a database hit (the path must scale) and must work from
``navigator.sendBeacon`` on unload, which cannot send a CSRF header. So the token itself is the
credential: unguessable, bound to one learner, one block and one session, short-lived, and signed
with a key list (newest first) so keys rotate without cutting live sessions. Pure: no Django.

It is not a bearer credential on its own (ADR 0030): it also names the sign-in it was issued to
(``binding``: 8 bytes naming the browser's Django session, ``xueshi_core.caller.session_binding``;
zeros for the app, which signs each request with its own OAuth token), and the heartbeat honours
it only for that caller, so a leaked token earns nothing and cannot disturb its owner.

Layout (base64url, no padding): ``v2.<payload>.<mac>`` where payload is
``struct(">16sQ8sI8s")`` = session UUID bytes, user id, first 8 bytes of SHA-256(usage key), expiry
(epoch seconds), caller binding; mac is the first 16 bytes of HMAC-SHA256(key, "xst2" + payload).
Version 1 tokens (no binding) are refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from .exceptions import TokenInvalid

_PAYLOAD = struct.Struct(">16sQ8sI8s")
_PREFIX = "v2"
_DOMAIN = b"xst2"
UNBOUND = bytes(8)
_MAC_BYTES = 16
MAX_TOKEN_LENGTH = 200


def usage_hash(usage_key: str) -> bytes:
    """8-byte digest of a usage key: enough to bind a token to a block, short enough for a token."""
    return hashlib.sha256(usage_key.encode("utf-8")).digest()[:8]


@dataclass(frozen=True)
class TokenClaims:
    """What a verified token proves."""

    session_id: str
    user_id: int
    usage_hash: bytes
    expires_at: int
    binding: bytes = UNBOUND


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: bytes, payload: bytes) -> bytes:
    return hmac.new(key, _DOMAIN + payload, hashlib.sha256).digest()[:_MAC_BYTES]


def sign(claims: TokenClaims, key: bytes) -> str:
    """Sign ``claims`` with ``key`` (the newest key of the rotation list)."""
    payload = _PAYLOAD.pack(
        uuid.UUID(claims.session_id).bytes,
        claims.user_id,
        claims.usage_hash,
        claims.expires_at,
        claims.binding,
    )
    return f"{_PREFIX}.{_b64(payload)}.{_b64(_mac(key, payload))}"


def verify(token: object, keys: Sequence[bytes], now: float) -> TokenClaims:
    """Check a token against every key in the rotation list and its expiry.

    Raises:
        TokenInvalid: with reason ``token_invalid`` (malformed, forged, tampered) or ``token_expired``.
    """
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        raise TokenInvalid("token missing or malformed")
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != _PREFIX:
        raise TokenInvalid("token malformed")
    try:
        payload, mac = _unb64(parts[1]), _unb64(parts[2])
    except (ValueError, UnicodeEncodeError) as exc:
        raise TokenInvalid("token malformed") from exc
    if len(payload) != _PAYLOAD.size or len(mac) != _MAC_BYTES:
        raise TokenInvalid("token malformed")
    # Compare against every key (no early exit) so timing does not reveal which key matched.
    matched = False
    for key in keys:
        matched |= hmac.compare_digest(_mac(key, payload), mac)
    if not matched:
        raise TokenInvalid("token signature invalid")
    sid, user_id, uhash, expires_at, binding = _PAYLOAD.unpack(payload)
    if now >= expires_at:
        raise TokenInvalid("token expired", reason_code="token_expired")
    return TokenClaims(str(uuid.UUID(bytes=sid)), user_id, uhash, expires_at, binding)


def derive_key(secret: str) -> bytes:
    """Fallback signing key derived from Django's SECRET_KEY, separated by purpose."""
    return hashlib.sha256(b"xueshi_studytime.tokens|" + secret.encode("utf-8")).digest()
