"""Nuonuo's request signature, as the sandbox checks it (pure; written apart from the client's signer).

The signed text is fixed by the platform: ``a=services&l=v1&p=open&k={appKey}&i={senid}&n={nonce}
&t={timestamp}&f={body}``, HMAC-SHA1 keyed with the app secret, Base64. The body is signed exactly
as sent, so the server verifies over the raw bytes it received.
"""

from __future__ import annotations

import base64
import hashlib
import hmac


def expected_sign(app_secret: str, app_key: str, senid: str, nonce: str, timestamp: str, body: str) -> str:
    """The ``X-Nuonuo-Sign`` value the platform expects for these query values and body."""
    text = f"a=services&l=v1&p=open&k={app_key}&i={senid}&n={nonce}&t={timestamp}&f={body}"
    digest = hmac.new(app_secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def sign_ok(app_secret: str, query: dict[str, str], body: str, given: str) -> bool:
    """Whether ``given`` is the right signature (compared in constant time)."""
    want = expected_sign(
        app_secret,
        query.get("appkey", ""),
        query.get("senid", ""),
        query.get("nonce", ""),
        query.get("timestamp", ""),
        body,
    )
    return hmac.compare_digest(want.encode(), given.encode())


def query_shape_ok(query: dict[str, str]) -> bool:
    """``senid`` 32 characters, ``nonce`` 8 digits, ``timestamp`` digits (seconds)."""
    return (
        len(query.get("senid", "")) == 32
        and len(query.get("nonce", "")) == 8
        and query.get("nonce", "").isdigit()
        and query.get("timestamp", "").isdigit()
    )
