"""Signed questions to an authority (register checks, class declarations): one POST, one signed answer.

Same profile as record pushes (``jsonhttp``): the body is canonical JSON (SM4-sealed when the
destination's keys hold ``sm4_key``), signed in the ``X-Xr-*`` headers; the answer must be signed
by the destination and echo our ``request_id``, else it is *forged* and nothing is believed.
Paths are relative to the destination's push address (``…/records`` → ``…/register/learner``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import requests

from .. import conf, schema
from . import signing
from .jsonhttp import MAX_ANSWER, headers_for, open_answer

#: The outcomes of a question: ``answered`` (``data`` holds the answer) or why there is none.
ANSWERED, TIMEOUT, ERROR, FORGED = "answered", "timeout", "error", "forged"


@dataclass
class Reply:
    """What the authority said (only when ``outcome`` is ``answered``), and what to audit."""

    outcome: str
    request_id: str
    http_status: int | None = None
    data: dict[str, Any] = field(default_factory=dict)
    detail: str = ""


def ask(destination: Any, path: str, question: dict[str, Any]) -> Reply:
    """POST ``question`` (and a fresh ``request_id``) to ``path``; never raises for the authority's faults."""
    request_id = secrets.token_hex(16)
    keys = conf.keys_of(destination.code)
    plain = schema.canonical_json({**question, "request_id": request_id}).encode()
    body = signing.sm4_seal(keys.sm4_key, plain) if keys.sm4_key else plain
    try:
        headers = headers_for(destination.app_id, destination.signature, keys, body)
    except signing.SigningError as exc:
        return Reply(ERROR, request_id, detail=f"signing: {exc}")
    try:
        answer = requests.post(
            urljoin(conf.url_of(destination), path),
            data=body,
            headers=headers,
            timeout=destination.timeout_seconds,
            stream=True,
        )
        raw = answer.raw.read(MAX_ANSWER + 1, decode_content=True)
    except requests.Timeout:
        return Reply(TIMEOUT, request_id, detail="no answer in time")
    except (requests.RequestException, OSError) as exc:
        return Reply(ERROR, request_id, detail=type(exc).__name__)
    if answer.status_code >= 500 or len(raw) > MAX_ANSWER:
        return Reply(ERROR, request_id, answer.status_code, detail=f"HTTP {answer.status_code}")
    value = open_answer(destination.signature, keys, destination.app_id, answer.headers, raw)
    if not isinstance(value, dict) or value.get("request_id") != request_id:
        return Reply(FORGED, request_id, answer.status_code, detail="answer not signed by the authority")
    if answer.status_code >= 400:
        return Reply(ERROR, request_id, answer.status_code, detail=str(value.get("error", ""))[:200])
    return Reply(ANSWERED, request_id, answer.status_code, data=value)
