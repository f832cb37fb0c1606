"""Verification of S3 presigned (query-string SigV4) URLs, as S3 and MinIO do it.

moto's S3 server stores and serves objects faithfully but does not check query-string signatures
on objects that exist (and its IAM mode cannot read them), so the sandbox's gate checks them the
way AWS documents: canonical request (method, path, every query parameter but the signature,
the signed headers, ``UNSIGNED-PAYLOAD``), the string to sign over ``X-Amz-Date`` and the
credential scope, the derived signing key, and ``X-Amz-Date + X-Amz-Expires`` against the clock.
https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from urllib.parse import parse_qsl, quote

ALGORITHM = "AWS4-HMAC-SHA256"


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def _encode(text: str) -> str:
    return quote(text, safe="-_.~")


def check(
    method: str, path: str, query: str, headers: dict[str, str], secrets: dict[str, str], now: float
) -> str:
    """``""`` when the presigned request is valid, else the S3 error code that refuses it."""
    params = parse_qsl(query, keep_blank_values=True)
    values = dict(params)
    if values.get("X-Amz-Algorithm") != ALGORITHM or "X-Amz-Signature" not in values:
        return "AuthorizationQueryParametersError"
    access_key, _, scope = values.get("X-Amz-Credential", "").partition("/")
    if access_key not in secrets:
        return "InvalidAccessKeyId"
    try:
        signed_at = dt.datetime.strptime(values["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
        expires = int(values["X-Amz-Expires"])
    except (KeyError, ValueError):
        return "AuthorizationQueryParametersError"
    lower = {k.lower(): v.strip() for k, v in headers.items()}
    signed_headers = values.get("X-Amz-SignedHeaders", "host")
    canonical_headers = "".join(f"{name}:{lower.get(name, '')}\n" for name in signed_headers.split(";"))
    canonical_query = "&".join(
        f"{_encode(k)}={_encode(v)}" for k, v in sorted(params) if k != "X-Amz-Signature"
    )
    parts = [method, path, canonical_query, canonical_headers, signed_headers, "UNSIGNED-PAYLOAD"]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    to_sign = "\n".join([ALGORITHM, values["X-Amz-Date"], scope, digest])
    day, region, service, _term = [*scope.split("/"), "", "", "", ""][:4]
    key = ("AWS4" + secrets[access_key]).encode()
    for part in (day, region, service, "aws4_request"):
        key = _hmac(key, part)
    expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, values["X-Amz-Signature"]):
        return "SignatureDoesNotMatch"
    if signed_at.timestamp() + expires < now:
        return "AccessDenied"  # S3: "Request has expired"
    return ""
