"""What every provider adapter shares: its errors, its answer, the shared token and plain HTTP.

An adapter answers ``call(method, content)`` in the vocabulary ``issuing``/``redletter``/``clerk``
speak (Nuonuo's method names and result fields, the first provider; ADR 0370), and keeps one token
per app in Redis, fetched under a Redis lock, so that many workers starting at once make one token
call (ADR 0174). Only the fetch itself (``_fetch_token``) and the calls differ per provider.
"""

from __future__ import annotations

import abc
import secrets
import time
from dataclasses import dataclass
from typing import Any, Protocol

import requests

from xueshi_core import redisclients

from .. import conf

EARLY = 600  # refresh this many seconds before the platform's expiry


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


class Client(Protocol):
    """What the issuing, red-letter and clerk code asks of an adapter."""

    def call(self, method: str, content: dict[str, Any]) -> Answer:
        """One method of the issuing vocabulary; refusals may also raise ``ProviderError``."""
        ...

    def download(self, url: str) -> bytes:
        """A file the provider rendered, by the address its query answer gave."""
        ...


class SharedTokenClient(abc.ABC):
    """One configured app with its token shared through Redis; subclasses fetch the token."""

    name = "provider"

    def __init__(self, settings: dict[str, str]) -> None:
        self.settings = settings
        if not settings["url"] or not settings["app_key"]:
            raise ProviderError(
                "not_configured", f"XUESHI_INVOICES_{self.name.upper()}_URL/APP_KEY not set", retryable=True
            )
        self.redis = redisclients.client(conf.redis_url(), setting="XUESHI_INVOICES_REDIS_URL")
        self.token_key = f"xueshi:invoices:{self.name}:token:{settings['app_key']}"
        self.lock_key = f"xueshi:invoices:{self.name}:token-lock:{settings['app_key']}"

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
                    if found:
                        return str(found)
                    token, lifetime = self._fetch_token()
                    self.redis.set(self.token_key, token, ex=max(60, lifetime - EARLY))
                    return token
                finally:
                    if self.redis.get(self.lock_key) == owner:
                        self.redis.delete(self.lock_key)
            if time.monotonic() > deadline:
                raise ProviderError(
                    "token_lock", "waited too long for another worker's token", retryable=True
                )
            time.sleep(0.1)

    @abc.abstractmethod
    def _fetch_token(self) -> tuple[str, int]:
        """A new token and its lifetime in seconds, from the platform (each provider's own call)."""

    def drop_token(self, token: str) -> None:
        """Forget ``token`` if it is still the shared one (another worker may have replaced it)."""
        if self.redis.get(self.token_key) == token:
            self.redis.delete(self.token_key)

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

    def download(self, url: str) -> bytes:
        """A file the provider rendered (PDF, OFD, XML)."""
        try:
            reply = requests.get(url, timeout=conf.timeout())
        except requests.RequestException as error:
            raise ProviderError("network", str(error)[:200], retryable=True) from error
        if reply.status_code != 200:
            raise ProviderError(f"http_{reply.status_code}", "file download failed", retryable=True)
        return bytes(reply.content)
