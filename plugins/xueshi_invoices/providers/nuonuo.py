"""Nuonuo open-platform client: shared token (Redis, with a lock), HMAC-SHA1 signed calls, errors.

The token is capped at 50 fetches per 30 days per app, so every worker shares one: it is kept in
Redis (core's client factory) until shortly before it expires, and fetched under a Redis lock so
that many workers starting at once make one token call, not many (ADR 0174). A call answered
``070301`` (token invalid or expired) drops exactly that token and is tried once more with a new
one. The body is signed and sent byte for byte as one string.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import uuid
from typing import Any

from .. import conf
from .common import Answer, ProviderError, SharedTokenClient

TOKEN_CODES = frozenset({"070301"})
#: Codes worth trying again later (busy, clerk logged out); anything else non-E0000 needs a person.
RETRYABLE_CODES = frozenset({"E9999", "E9302", "E9613"})
__all__ = ["Answer", "NuonuoClient", "ProviderError", "sign"]


def sign(app_secret: str, app_key: str, senid: str, nonce: str, timestamp: str, body: str) -> str:
    """``X-Nuonuo-Sign``: Base64(HMAC-SHA1(secret, "a=services&l=v1&p=open&k=…&i=…&n=…&t=…&f=body"))."""
    text = f"a=services&l=v1&p=open&k={app_key}&i={senid}&n={nonce}&t={timestamp}&f={body}"
    return base64.b64encode(hmac.new(app_secret.encode(), text.encode(), hashlib.sha1).digest()).decode()


class NuonuoClient(SharedTokenClient):
    """One configured app; ``call(method, content)`` returns an ``Answer`` or raises ``ProviderError``."""

    name = "nuonuo"

    def __init__(self, settings: dict[str, str] | None = None) -> None:
        super().__init__(settings or conf.nuonuo())

    def _fetch_token(self) -> tuple[str, int]:
        form = {
            "client_id": self.settings["app_key"],
            "client_secret": self.settings["app_secret"],
            "grant_type": "client_credentials",
        }
        data = self._post_json(self.settings["token_url"], data=form)
        token = str(data.get("access_token") or "")
        if not token:
            code = str(data.get("error") or "token")
            raise ProviderError(code, str(data.get("error_description") or "no token"), retryable=False)
        return token, int(data.get("expires_in") or 86400)

    def call(self, method: str, content: dict[str, Any]) -> Answer:
        """Call ``method`` with ``content``; a dropped token is renewed once."""
        for attempt in (1, 2):
            token = self.token()
            answer = self._call_once(method, content, token)
            if answer.code in TOKEN_CODES and attempt == 1:
                self.drop_token(token)
                continue
            return answer
        raise AssertionError("unreachable")

    def _call_once(self, method: str, content: dict[str, Any], token: str) -> Answer:
        body = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        senid, nonce, timestamp = uuid.uuid4().hex, f"{secrets.randbelow(10**8):08d}", str(int(time.time()))
        key = self.settings["app_key"]
        headers = {
            "Content-Type": "application/json;charset=utf-8",
            "X-Nuonuo-Sign": sign(self.settings["app_secret"], key, senid, nonce, timestamp, body),
            "accessToken": token,
            "method": method,
        }
        query = {"senid": senid, "nonce": nonce, "timestamp": timestamp, "appkey": key}
        url = self.settings["url"] + "/open/v1/services"
        data = self._post_json(url, params=query, data=body.encode("utf-8"), headers=headers)
        return Answer(str(data.get("code", "")), str(data.get("describe", "")), data.get("result"))
