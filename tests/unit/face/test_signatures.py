"""The sandboxes' signature checks accept a correctly signed request and refuse every tampering.

Requests are signed here by an independent implementation of each vendor's documented algorithm
(not the server's code), so a mistake in the server cannot hide itself.
"""

import hashlib
import hmac
import json
from datetime import UTC, datetime

import pytest

from sandbox.faceapis.signatures import Received, SignatureRefused, verify_acs3, verify_tc3

NOW = 1_795_000_000.0
SECRETS = {"AKIDexample": "tc-secret"}


def _h(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tc3_request(body: bytes, *, secret="tc-secret", timestamp=NOW, host="127.0.0.1:9") -> Received:
    date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    canonical = f"POST\n/\n\ncontent-type:application/json\nhost:{host}\n\ncontent-type;host\n{_h(body)}"
    to_sign = f"TC3-HMAC-SHA256\n{int(timestamp)}\n{date}/iai/tc3_request\n{_h(canonical.encode())}"
    key = hmac.new(f"TC3{secret}".encode(), date.encode(), hashlib.sha256).digest()
    key = hmac.new(key, b"iai", hashlib.sha256).digest()
    key = hmac.new(key, b"tc3_request", hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    auth = (
        f"TC3-HMAC-SHA256 Credential=AKIDexample/{date}/iai/tc3_request, "
        f"SignedHeaders=content-type;host, Signature={signature}"
    )
    headers = {
        "authorization": auth,
        "content-type": "application/json",
        "host": host,
        "x-tc-timestamp": str(int(timestamp)),
        "x-tc-action": "CompareFace",
    }
    return Received("POST", "/", "", headers, body)


def test_tc3_accepts_a_correct_signature():
    assert verify_tc3(tc3_request(b'{"ImageA": "x"}'), SECRETS, "iai", NOW) == "AKIDexample"


@pytest.mark.parametrize(
    ("tamper", "code"),
    [
        (
            lambda r: Received(r.method, r.path, r.query, r.headers, b'{"ImageA": "y"}'),
            "AuthFailure.SignatureFailure",
        ),
        (
            lambda r: Received(r.method, r.path, r.query, {**r.headers, "host": "evil:1"}, r.body),
            "AuthFailure.SignatureFailure",
        ),
        (lambda r: Received(r.method, "/other", r.query, r.headers, r.body), "AuthFailure.SignatureFailure"),
        (
            lambda r: Received(r.method, r.path, r.query, {**r.headers, "authorization": "Basic x"}, r.body),
            "AuthFailure.SignatureFailure",
        ),
    ],
)
def test_tc3_refuses_a_tampered_request(tamper, code):
    with pytest.raises(SignatureRefused) as refused:
        verify_tc3(tamper(tc3_request(b'{"ImageA": "x"}')), SECRETS, "iai", NOW)
    assert refused.value.code == code


def test_tc3_refuses_a_wrong_key_an_unknown_id_and_an_old_timestamp():
    with pytest.raises(SignatureRefused, match="credentials") as wrong:
        verify_tc3(tc3_request(b"{}", secret="guessed"), SECRETS, "iai", NOW)
    assert wrong.value.code == "AuthFailure.SignatureFailure"
    with pytest.raises(SignatureRefused) as unknown:
        verify_tc3(tc3_request(b"{}"), {"AKIDother": "tc-secret"}, "iai", NOW)
    assert unknown.value.code == "AuthFailure.SecretIdNotFound"
    with pytest.raises(SignatureRefused) as expired:
        verify_tc3(tc3_request(b"{}", timestamp=NOW - 301), SECRETS, "iai", NOW)
    assert expired.value.code == "AuthFailure.SignatureExpire"


def acs3_request(body: bytes, *, secret="ali-secret", nonce="n-1", stamp=None, query="") -> Received:
    stamp = stamp or datetime.fromtimestamp(NOW, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    headers = {
        "host": "127.0.0.1:9",
        "x-acs-action": "CompareFace",
        "x-acs-version": "2019-12-30",
        "x-acs-date": stamp,
        "x-acs-signature-nonce": nonce,
        "x-acs-content-sha256": _h(body),
        "content-type": "application/x-www-form-urlencoded",
    }
    names = sorted(headers)
    canonical_headers = "".join(f"{n}:{headers[n]}\n" for n in names)
    canonical = f"POST\n/\n{query}\n{canonical_headers}\n{';'.join(names)}\n{_h(body)}"
    to_sign = f"ACS3-HMAC-SHA256\n{_h(canonical.encode())}"
    signature = hmac.new(secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = (
        f"ACS3-HMAC-SHA256 Credential=LTAIexample,SignedHeaders={';'.join(names)},Signature={signature}"
    )
    return Received("POST", "/", query, headers, body)


ALI = {"LTAIexample": "ali-secret"}


def test_acs3_accepts_a_correct_signature_once():
    nonces: set[str] = set()
    request = acs3_request(b"ImageDataA=abc")
    assert verify_acs3(request, ALI, NOW, nonces) == "LTAIexample"
    with pytest.raises(SignatureRefused) as replay:
        verify_acs3(request, ALI, NOW, nonces)
    assert replay.value.code == "SignatureNonceUsed"


def test_acs3_canonical_query_is_sorted_and_encoded():
    signed = acs3_request(b"", query="a=%E4%BA%BA%201&b=2")  # the canonical form the client signs
    sent = Received(signed.method, signed.path, "b=2&a=%E4%BA%BA+1", signed.headers, signed.body)
    assert verify_acs3(sent, ALI, NOW, set()) == "LTAIexample"  # order and "+" on the wire do not matter
    changed = Received(signed.method, signed.path, "b=3&a=%E4%BA%BA+1", signed.headers, signed.body)
    with pytest.raises(SignatureRefused):
        verify_acs3(changed, ALI, NOW, set())


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: _with_body(acs3_request(b"ImageDataA=abc"), b"ImageDataA=abd"), "SignatureDoesNotMatch"),
        (lambda: acs3_request(b"x", secret="guessed"), "SignatureDoesNotMatch"),
        (lambda: _with_header(acs3_request(b"x"), "x-acs-action", "DeleteFace"), "SignatureDoesNotMatch"),
        (lambda: acs3_request(b"x", stamp="2020-01-01T00:00:00Z"), "InvalidTimeStamp.Expired"),
        (
            lambda: _with_header(
                acs3_request(b"x"),
                "authorization",
                "ACS3-HMAC-SHA256 Credential=LTAIother,SignedHeaders=host,Signature=00",
            ),
            "InvalidAccessKeyId.NotFound",
        ),
        (
            lambda: _with_header(
                acs3_request(b"x"),
                "authorization",
                "ACS3-HMAC-SHA256 Credential=LTAIexample,SignedHeaders=host,Signature=00",
            ),
            "IncompleteSignature",
        ),
    ],
)
def test_acs3_refuses_tampering(make, code):
    with pytest.raises(SignatureRefused) as refused:
        verify_acs3(make(), ALI, NOW, set())
    assert refused.value.code == code


def _with_body(request: Received, body: bytes) -> Received:
    return Received(request.method, request.path, request.query, request.headers, body)


def _with_header(request: Received, name: str, value: str) -> Received:
    return Received(
        request.method, request.path, request.query, {**request.headers, name: value}, request.body
    )


def test_json_payload_of_the_tc3_example_is_what_is_hashed():
    body = json.dumps({"ImageA": "abc"}).encode()
    assert verify_tc3(tc3_request(body), SECRETS, "iai", NOW)
