"""Server-side verification of the vendors' request signatures (pure functions, unit-tested).

Both schemes hash a canonical request (method, path, query, the signed headers, the payload hash)
and sign it with HMAC-SHA256; the server recomputes it from what it received, so any change to a
signed header, the query or the body breaks the signature.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote

TC3 = "TC3-HMAC-SHA256"
ACS3 = "ACS3-HMAC-SHA256"
MAX_SKEW_SECONDS = 300


class Refused(Exception):
    """The sandbox refuses the request; ``code`` is the vendor's error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class SignatureRefused(Refused):
    """The request's signature is missing, malformed, expired or wrong."""


@dataclass(frozen=True)
class Received:
    """A request as the server saw it (header names lower-cased)."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def _fields(value: str, separator: str) -> dict[str, str]:
    out = {}
    for part in value.split(separator):
        name, _, field = part.strip().partition("=")
        out[name.strip()] = field.strip()
    return out


def tc3_signature(secret_key: str, date: str, service: str, string_to_sign: str) -> str:
    """TC3 key derivation: TC3+key → date → service → "tc3_request", then HMAC the string to sign."""
    key = _hmac(("TC3" + secret_key).encode("utf-8"), date)
    key = _hmac(key, service)
    key = _hmac(key, "tc3_request")
    return hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def verify_tc3(request: Received, secrets: Mapping[str, str], service: str, now: float) -> str:
    """Check a Tencent Cloud API 3.0 request; return the SecretId that signed it."""
    auth = request.headers.get("authorization", "")
    algorithm, _, rest = auth.partition(" ")
    if algorithm != TC3:
        raise SignatureRefused("AuthFailure.SignatureFailure", "Authorization must use TC3-HMAC-SHA256")
    fields = _fields(rest, ",")
    credential = fields.get("Credential", "").split("/")
    if len(credential) != 4 or credential[3] != "tc3_request" or not fields.get("Signature"):
        raise SignatureRefused("AuthFailure.SignatureFailure", "malformed Authorization")
    secret_id, date, signed_service = credential[0], credential[1], credential[2]
    if secret_id not in secrets:
        raise SignatureRefused("AuthFailure.SecretIdNotFound", "The SecretId is not found")
    try:
        timestamp = int(request.headers.get("x-tc-timestamp", ""))
    except ValueError as exc:
        raise SignatureRefused("AuthFailure.SignatureFailure", "X-TC-Timestamp missing") from exc
    if abs(now - timestamp) > MAX_SKEW_SECONDS:
        raise SignatureRefused("AuthFailure.SignatureExpire", "Signature expired: timestamp too far from now")
    if date != datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d") or signed_service != service:
        raise SignatureRefused("AuthFailure.SignatureFailure", "credential scope does not match the request")
    names = fields.get("SignedHeaders", "").split(";")
    if "content-type" not in names or "host" not in names:
        raise SignatureRefused("AuthFailure.SignatureFailure", "content-type and host must be signed")
    canonical_headers = "".join(f"{n}:{request.headers.get(n, '').strip().lower()}\n" for n in names)
    payload = request.body
    if request.headers.get("x-tc-content-sha256") == "UNSIGNED-PAYLOAD":
        payload = b"UNSIGNED-PAYLOAD"
    canonical = "\n".join(
        [request.method, request.path, request.query, canonical_headers, ";".join(names), _sha256(payload)]
    )
    to_sign = f"{TC3}\n{timestamp}\n{date}/{service}/tc3_request\n{_sha256(canonical.encode('utf-8'))}"
    expected = tc3_signature(secrets[secret_id], date, service, to_sign)
    if not hmac.compare_digest(expected, fields["Signature"]):
        raise SignatureRefused(
            "AuthFailure.SignatureFailure", "The provided credentials could not be validated"
        )
    return secret_id


def acs3_canonical_query(query: str) -> str:
    """Sorted ``name=value`` pairs, percent-encoded (RFC 3986, ``~`` kept), joined by ``&``."""
    pairs = sorted(parse_qsl(query, keep_blank_values=True))
    return "&".join(f"{quote(k, safe='~')}={quote(v, safe='~')}" for k, v in pairs)


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def verify_acs3(request: Received, secrets: Mapping[str, str], now: float, seen_nonces: set[str]) -> str:
    """Check an Alibaba Cloud V3 (ACS3-HMAC-SHA256) request; return the AccessKey ID that signed it."""
    auth = request.headers.get("authorization", "")
    algorithm, _, rest = auth.partition(" ")
    if algorithm != ACS3:
        raise SignatureRefused("IncompleteSignature", "Authorization must use ACS3-HMAC-SHA256")
    fields = _fields(rest, ",")
    key_id, names = fields.get("Credential", ""), fields.get("SignedHeaders", "").split(";")
    if not key_id or not fields.get("Signature"):
        raise SignatureRefused("IncompleteSignature", "malformed Authorization")
    if key_id not in secrets:
        raise SignatureRefused("InvalidAccessKeyId.NotFound", "Specified access key is not found.")
    required = {"host", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256", "x-acs-action"}
    missing = required - set(names)
    if missing:
        raise SignatureRefused("IncompleteSignature", f"headers not signed: {sorted(missing)}")
    stamp = request.headers.get("x-acs-date", "")
    if not _ISO.match(stamp):
        raise SignatureRefused("InvalidTimeStamp.Format", "x-acs-date must be ISO 8601 UTC")
    when = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()
    if abs(now - when) > 15 * 60:
        raise SignatureRefused("InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
    payload_hash = _sha256(request.body)
    if request.headers.get("x-acs-content-sha256", "") != payload_hash:
        raise SignatureRefused("SignatureDoesNotMatch", "x-acs-content-sha256 does not match the body")
    canonical_headers = "".join(f"{n}:{request.headers.get(n, '').strip()}\n" for n in names)
    canonical = "\n".join(
        [
            request.method,
            request.path or "/",
            acs3_canonical_query(request.query),
            canonical_headers,
            ";".join(names),
            payload_hash,
        ]
    )
    to_sign = f"{ACS3}\n{_sha256(canonical.encode('utf-8'))}"
    expected = hmac.new(secrets[key_id].encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, fields["Signature"]):
        raise SignatureRefused(
            "SignatureDoesNotMatch", "Specified signature is not matched with our calculation."
        )
    nonce = request.headers.get("x-acs-signature-nonce", "")
    if nonce in seen_nonces:
        raise SignatureRefused("SignatureNonceUsed", "Specified signature nonce was used already.")
    seen_nonces.add(nonce)
    return key_id
