"""The generic signed JSON/HTTP profile (``json-hmac``, ``json-sm``): one POST per batch.

Request: ``POST <url>`` with the envelope (``schema.envelope``) as UTF-8 JSON, SM4-sealed when the
destination's keys hold ``sm4_key``; headers ``X-Xr-App``, ``X-Xr-Timestamp``, ``X-Xr-Nonce``,
``X-Xr-Signature-Alg``, ``X-Xr-Signature`` over ``signing.signed_text``. Answer: the same headers
signed by the receiver, body ``{"batch": …, "results": [{"key", "status", "reason"}]}`` (sealed
the same way). An answer that is unsigned, badly signed, for another batch or malformed is
*forged*: nothing is marked delivered and the batch is tried again (the receiver dedups). ADR 0202.
"""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

import requests

from .. import conf, schema
from . import signing
from .base import Adapter, Answer, Outcome

MAX_ANSWER = 4 * 1024 * 1024


def headers_for(app_id: str, algorithm: str, keys: signing.Keys, body: bytes) -> dict[str, str]:
    """The signed headers of a request body (fresh timestamp and nonce)."""
    timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
    text = signing.signed_text(app_id, timestamp, nonce, body)
    return {
        "Content-Type": "application/json; charset=utf-8",
        "X-Xr-App": app_id,
        "X-Xr-Timestamp": timestamp,
        "X-Xr-Nonce": nonce,
        "X-Xr-Signature-Alg": algorithm,
        "X-Xr-Signature": signing.sign(algorithm, keys, text),
    }


def open_answer(algorithm: str, keys: signing.Keys, app_id: str, headers: Any, body: bytes) -> Any:
    """The JSON of an answer signed by the destination (opened when SM4-sealed); None when untrusted."""
    text = signing.signed_text(app_id, headers.get("X-Xr-Timestamp", ""), headers.get("X-Xr-Nonce", ""), body)
    if not signing.verify(algorithm, keys, text, headers.get("X-Xr-Signature", "")):
        return None
    try:
        return json.loads(signing.sm4_open(keys.sm4_key, body) if keys.sm4_key else body)
    except ValueError:
        return None


def read_answer(
    batch: str, algorithm: str, keys: signing.Keys, app_id: str, headers: Any, body: bytes
) -> Answer | None:
    """The per-key outcomes of a verified answer for ``batch``; None when it cannot be trusted."""
    value = open_answer(algorithm, keys, app_id, headers, body)
    try:
        if (
            not isinstance(value, dict)
            or value.get("batch") != batch
            or not isinstance(value.get("results"), list)
        ):
            return None
        outcomes = {}
        for item in value["results"]:
            status = str(item.get("status", ""))
            if status in ("stored", "duplicate", "rejected") and isinstance(item.get("key"), str):
                outcomes[item["key"]] = Outcome(status, str(item.get("reason", ""))[:200])
    except (ValueError, AttributeError, TypeError):
        return None
    return Answer("answered", outcomes=outcomes)


class JsonHttpAdapter(Adapter):
    """Signed JSON over HTTP(S), HMAC or 国密 as the destination says."""

    def push(self, destination: Any, batch: str, records: list[dict[str, Any]]) -> Answer:
        """POST the batch; a timeout, a 5xx or an untrusted answer leaves every key to be re-sent."""
        keys = conf.keys_of(destination.code)
        algorithm = destination.signature
        plain = schema.canonical_json(schema.envelope(records, batch, destination.app_id)).encode()
        body = signing.sm4_seal(keys.sm4_key, plain) if keys.sm4_key else plain
        try:
            headers = headers_for(destination.app_id, algorithm, keys, body)
        except signing.SigningError as exc:
            return Answer("error", detail=f"signing: {exc}")
        try:
            reply = requests.post(
                conf.url_of(destination),
                data=body,
                headers=headers,
                timeout=destination.timeout_seconds,
                stream=True,
            )
            raw = reply.raw.read(MAX_ANSWER + 1, decode_content=True)
        except requests.Timeout:
            return Answer("timeout", detail="no answer in time")
        except (requests.RequestException, OSError) as exc:
            return Answer("error", detail=type(exc).__name__)
        shown = raw[:500].decode("utf-8", "replace")
        if reply.status_code >= 500 or len(raw) > MAX_ANSWER:
            return Answer("error", reply.status_code, detail=f"HTTP {reply.status_code}", raw=shown)
        answer = read_answer(batch, algorithm, keys, destination.app_id, reply.headers, raw)
        if answer is None:
            return Answer(
                "forged",
                reply.status_code,
                detail="answer not signed by the destination, or not for this batch",
                raw=shown,
            )
        if reply.status_code >= 400:
            return Answer(
                "refused",
                reply.status_code,
                outcomes=answer.outcomes,
                detail=f"HTTP {reply.status_code}",
                raw=shown,
            )
        answer.http_status, answer.raw = reply.status_code, shown
        return answer
