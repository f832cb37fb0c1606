"""The official account's server API, as far as notifications need it: access_token and subscription messages.

``GET /cgi-bin/token?grant_type=client_credential&appid&secret`` answers a token (7200 s; a new
one makes the previous one stale after a grace period, here at once, so clients must share it).
``POST /cgi-bin/message/subscribe/bizsend?access_token=…`` takes ``{touser, template_id, page,
data: {"thing1": {"value": …}}}`` and answers ``{"errcode": 0, "errmsg": "ok"}``; errors as WeChat
gives them: 40001 (bad token), 42001 (expired), 40003 (bad openid), 40037 (bad template), 43101
(the user did not accept this template), 47003 (a value breaks the field's rules). Accepted
messages are shown on ``GET /_sandbox/messages``; ``fail_next(errcode)`` fakes failures.
"""

from __future__ import annotations

import html
import json
import re
import secrets
import time
from typing import Any

from .server import COOKIE, Answer, OAuthSandbox, _json  # noqa: F401  (COOKIE re-exported for tests)

TOKEN_SECONDS = 7200
FIELD = re.compile(
    r"^(thing|time|number|amount|phrase|character_string|name|phone_number|letter|symbol|date)\d+$"
)
LIMITS = {"thing": 20, "phrase": 5, "name": 10, "character_string": 32, "number": 32, "amount": 11}


class SubscribeSandbox(OAuthSandbox):
    """The web authorisation sandbox plus the token and subscription-message endpoints."""

    def __init__(self, appid: str, secret: str, templates: set[str] | None = None, **kwargs: Any) -> None:
        super().__init__(appid, secret, **kwargs)
        self.tokens: dict[str, float] = {}
        self.templates = templates  # None: any template id is known
        self.refusing: set[str] = set()  # openids that did not accept the template
        self.failures: list[int] = []
        self.messages: list[dict[str, Any]] = []
        self.token_requests = 0

    def fail_next(self, errcode: int, times: int = 1) -> None:
        """Answer the next ``times`` sends with ``errcode``."""
        with self.lock:
            self.failures.extend([errcode] * times)

    def handle(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes = b""
    ) -> Answer | None:
        """The token, the send API and the page; the web authorisation paths as before."""
        if path == "/cgi-bin/token" and method == "GET":
            return self._token(query)
        if path == "/cgi-bin/message/subscribe/bizsend" and method == "POST":
            return self._send(query, body)
        if path == "/_sandbox/messages":
            return self._page()
        return super().handle(method, path, query, headers, body)

    def _token(self, query: dict[str, str]) -> Answer:
        if query.get("grant_type") != "client_credential":
            return _json({"errcode": 40002, "errmsg": "invalid grant_type"})
        if query.get("appid") != self.appid:
            return _json({"errcode": 40013, "errmsg": "invalid appid"})
        if query.get("secret") != self.secret:
            return _json({"errcode": 40125, "errmsg": "invalid appsecret"})
        token = secrets.token_urlsafe(48)
        with self.lock:
            self.token_requests += 1
            self.tokens = {token: time.monotonic() + TOKEN_SECONDS}  # the newest token only
        return _json({"access_token": token, "expires_in": TOKEN_SECONDS})

    def _check_data(self, data: Any) -> str:
        if not isinstance(data, dict) or not data:
            return "data is empty"
        for key, entry in data.items():
            match = FIELD.match(str(key))
            if not match or not isinstance(entry, dict) or not isinstance(entry.get("value"), str):
                return f"data.{key} is invalid"
            limit = LIMITS.get(match.group(1))
            if limit and len(entry["value"]) > limit:
                return f"data.{key}.value exceeds limit {limit}"
        return ""

    def _send(self, query: dict[str, str], body: bytes) -> Answer:
        with self.lock:
            expires = self.tokens.get(query.get("access_token", ""))
            if expires is None:
                return _json(
                    {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid or not latest"}
                )
            if expires < time.monotonic():
                return _json({"errcode": 42001, "errmsg": "access_token expired"})
            failure = self.failures.pop(0) if self.failures else None
        try:
            message = json.loads(body or b"{}")
        except ValueError:
            return _json({"errcode": 47001, "errmsg": "data format error"})
        openid, template = str(message.get("touser", "")), str(message.get("template_id", ""))
        if not re.match(r"^o[\w-]{20,40}$", openid):
            return _json({"errcode": 40003, "errmsg": "invalid openid"})
        if not template or (self.templates is not None and template not in self.templates):
            return _json({"errcode": 40037, "errmsg": "invalid template_id"})
        problem = self._check_data(message.get("data"))
        if problem:
            return _json({"errcode": 47003, "errmsg": f"argument invalid! {problem}"})
        if openid in self.refusing:
            return _json({"errcode": 43101, "errmsg": "user refuse to accept the msg"})
        if failure is not None:
            return _json({"errcode": failure, "errmsg": "sandbox: told to fail"})
        with self.lock:
            self.messages.append({"time": time.strftime("%Y-%m-%d %H:%M:%S"), **message})
        return _json({"errcode": 0, "errmsg": "ok"})

    def _page(self) -> Answer:
        rows = "".join(
            f"<tr><td>{html.escape(m['time'])}</td><td>{html.escape(m['touser'])}</td>"
            f"<td>{html.escape(m['template_id'])}</td>"
            f"<td>{html.escape(json.dumps(m['data'], ensure_ascii=False))}</td></tr>"
            for m in reversed(self.messages)
        )
        page = (
            "<!doctype html><meta charset='utf-8'><title>WeChat subscription messages</title>"
            "<h1>WeChat subscription messages (sandbox)</h1><table border=1 id=messages>"
            f"<tr><th>time</th><th>touser</th><th>template_id</th><th>data</th></tr>{rows}</table>"
        )
        return 200, page.encode(), {"Content-Type": "text/html; charset=utf-8"}
