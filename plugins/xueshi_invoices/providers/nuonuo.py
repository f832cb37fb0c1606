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
from dataclasses import dataclass
from typing import Any

import requests

from xueshi_core import redisclients

from .. import conf

TOKEN_KEY = "xueshi:invoices:nuonuo:token:{app_key}"  # noqa: S105 (a Redis key name)
LOCK_KEY = "xueshi:invoices:nuonuo:token-lock:{app_key}"
EARLY = 600  # refresh this many seconds before the platform's expiry
TOKEN_CODES = frozenset({"070301"})
#: Codes worth trying again later (busy, clerk logged out); anything else non-E0000 needs a person.
RETRYABLE_CODES = frozenset({"E9999", "E9302", "E9613"})


class ProviderError(Exception):
    """The provider could not be asked or said no: ``code``, ``message``, ``retryable``."""

    def __init__(self, code: str, message: str, *, retryable: bool) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.retryable = code, message, retryable


@dataclass(frozen=True)
class Answer:
    """A service answer: ``code`` (``E0000`` = ok), ``describe`` and ``result``."""

    code: str
    describe: str
    result: Any


def sign(app_secret: str, app_key: str, senid: str, nonce: str, timestamp: str, body: str) -> str:
    """``X-Nuonuo-Sign``: Base64(HMAC-SHA1(secret, "a=services&l=v1&p=open&k=…&i=…&n=…&t=…&f=body"))."""
    text = f"a=services&l=v1&p=open&k={app_key}&i={senid}&n={nonce}&t={timestamp}&f={body}"
    return base64.b64encode(hmac.new(app_secret.encode(), text.encode(), hashlib.sha1).digest()).decode()


class NuonuoClient:
    """One configured app; ``call(method, content)`` returns an ``Answer`` or raises ``ProviderError``."""

    def __init__(self, settings: dict[str, str] | None = None) -> None:
        self.settings = settings or conf.nuonuo()
        if not self.settings["url"] or not self.settings["app_key"]:
            raise ProviderError(
                "not_configured", "XUESHI_INVOICES_NUONUO_URL/APP_KEY not set", retryable=True
            )
        self.redis = redisclients.client(conf.redis_url(), setting="XUESHI_INVOICES_REDIS_URL")
        self.token_key = TOKEN_KEY.format(app_key=self.settings["app_key"])
        self.lock_key = LOCK_KEY.format(app_key=self.settings["app_key"])

    # --- token ---
    def token(self) -> str:
        """The shared token: from Redis, else fetched once under the lock (others wait for it)."""
        deadline = time.monotonic() + conf.timeout() + 5
        while True:
            found = self.redis.get(self.token_key)
            if found:
                return str(found)
            owner = secrets.token_hex(8)
            if self.redis.set(self.lock_key, owner, nx=True, ex=int(conf.timeout()) + 10):
                try:
                    found = self.redis.get(self.token_key)
                    return str(found) if found else self._fetch_token()
                finally:
                    if self.redis.get(self.lock_key) == owner:
                        self.redis.delete(self.lock_key)
            if time.monotonic() > deadline:
                raise ProviderError(
                    "token_lock", "waited too long for another worker's token", retryable=True
                )
            time.sleep(0.1)

    def _fetch_token(self) -> str:
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
        lifetime = int(data.get("expires_in") or 86400)
        self.redis.set(self.token_key, token, ex=max(60, lifetime - EARLY))
        return token

    def drop_token(self, token: str) -> None:
        """Forget ``token`` if it is still the shared one (another worker may have replaced it)."""
        if self.redis.get(self.token_key) == token:
            self.redis.delete(self.token_key)

    # --- calls ---
    def _post_json(self, url: str, **kwargs: Any) -> dict[str, Any]:
        try:
            reply = requests.post(url, timeout=conf.timeout(), **kwargs)
        except requests.RequestException as error:
            raise ProviderError("network", str(error)[:200], retryable=True) from error
        if reply.status_code >= 500:
            raise ProviderError(f"http_{reply.status_code}", reply.text[:200], retryable=True)
        try:
            data = reply.json()
        except ValueError as error:
            raise ProviderError("bad_reply", reply.text[:200], retryable=True) from error
        if not isinstance(data, dict):
            raise ProviderError("bad_reply", "reply is not an object", retryable=True)
        return data

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

    def download(self, url: str) -> bytes:
        """A file the provider rendered (PDF, OFD, XML)."""
        try:
            reply = requests.get(url, timeout=conf.timeout())
        except requests.RequestException as error:
            raise ProviderError("network", str(error)[:200], retryable=True) from error
        if reply.status_code != 200:
            raise ProviderError(f"http_{reply.status_code}", "file download failed", retryable=True)
        return bytes(reply.content)
