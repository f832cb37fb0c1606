"""Nuonuo's request signature: the client's signer, the sandbox's checker and an outside tool agree.

The reference has no published example, so the expected value was computed with OpenSSL
(``printf '%s' "$TEXT" | openssl dgst -sha1 -hmac secret456 -binary | base64``), independent
of both Python implementations.
"""

from __future__ import annotations

from sandbox.nuonuo import protocol
from xueshi_invoices.providers import nuonuo

BODY = '{"order":{"buyerName":"赵学员"}}'
ARGS = ("secret456", "appkey123", "0123456789abcdef0123456789abcdef", "12345678", "1733300000", BODY)
OPENSSL = "R+U5TZQ798bOrNyFGbBPq6xq8xM="


def test_client_signature_matches_openssl() -> None:
    assert nuonuo.sign(*ARGS) == OPENSSL


def test_sandbox_checks_the_same_text() -> None:
    query = {"appkey": ARGS[1], "senid": ARGS[2], "nonce": ARGS[3], "timestamp": ARGS[4]}
    assert protocol.sign_ok(ARGS[0], query, BODY, OPENSSL)
    assert not protocol.sign_ok(ARGS[0], query, BODY.replace("赵", "钱"), OPENSSL)  # body changed
    assert not protocol.sign_ok("other", query, BODY, OPENSSL)  # wrong secret
    assert not protocol.sign_ok(ARGS[0], {**query, "nonce": "12345679"}, BODY, OPENSSL)
    assert protocol.query_shape_ok(query)
    assert not protocol.query_shape_ok({**query, "nonce": "1234567a"})
