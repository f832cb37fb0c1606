"""The OAuth sandbox's two endpoints; mountable on the WeChat Pay sandbox or served alone."""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterable
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

CODE_SECONDS = 300
COOKIE = "sandbox_wechat_user"
Answer = tuple[int, bytes, dict[str, str]]


def _json(value: dict[str, Any]) -> Answer:
    return 200, json.dumps(value).encode(), {"Content-Type": "application/json; encoding=utf-8"}


class OAuthSandbox:
    """WeChat's web authorisation for one official account (``appid`` + ``secret``)."""

    def __init__(self, appid: str, secret: str, domains: Iterable[str] = ("127.0.0.1", "localhost")) -> None:
        self.appid, self.secret, self.domains = appid, secret, set(domains)
        self.codes: dict[str, list[Any]] = {}  # code → [openid, expires (monotonic), used]
        self.lock = threading.Lock()

    def openid_of(self, user: str) -> str:
        """The openid one WeChat user has under this appid (stable, 28 characters)."""
        digest = hashlib.sha256(f"{self.appid}:{user}".encode()).hexdigest()
        return "o" + digest[:27]

    def handle(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes = b""
    ) -> Answer | None:
        """Answer ``/connect/oauth2/authorize`` or ``/sns/oauth2/access_token``; ``None`` for other paths."""
        if path == "/connect/oauth2/authorize":
            return self._authorize(query, headers)
        if path == "/sns/oauth2/access_token":
            return self._access_token(query)
        return None

    def _authorize(self, query: dict[str, str], headers: dict[str, str]) -> Answer:
        text = {"Content-Type": "text/html; charset=utf-8"}
        if query.get("appid") != self.appid:
            return 200, "<p>参数错误 (appid)</p>".encode(), text
        redirect = query.get("redirect_uri", "")
        host = urlsplit(redirect).hostname or ""
        if query.get("response_type") != "code" or query.get("scope") not in (
            "snsapi_base",
            "snsapi_userinfo",
        ):
            return 200, "<p>参数错误 (response_type / scope)</p>".encode(), text
        if host not in self.domains:
            return 200, "<p>10003 redirect_uri 域名与后台配置不一致</p>".encode(), text
        cookie = SimpleCookie(headers.get("cookie", ""))
        user = cookie[COOKIE].value if COOKIE in cookie else secrets.token_hex(8)
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = [self.openid_of(user), time.monotonic() + CODE_SECONDS, False]
        separator = "&" if "?" in redirect else "?"
        location = redirect + separator + urlencode({"code": code, "state": query.get("state", "")})
        return 302, b"", {"Location": location, "Set-Cookie": f"{COOKIE}={user}; Path=/; HttpOnly"}

    def _access_token(self, query: dict[str, str]) -> Answer:
        if query.get("appid") != self.appid:
            return _json({"errcode": 40013, "errmsg": "invalid appid"})
        if query.get("secret") != self.secret:
            return _json({"errcode": 40125, "errmsg": "invalid appsecret"})
        if query.get("grant_type") != "authorization_code":
            return _json({"errcode": 40002, "errmsg": "invalid grant_type"})
        with self.lock:
            found = self.codes.get(query.get("code", ""))
            if found is None or found[1] < time.monotonic():
                return _json({"errcode": 40029, "errmsg": "invalid code"})
            if found[2]:
                return _json({"errcode": 40163, "errmsg": "code been used"})
            found[2] = True
            openid = found[0]
        return _json(
            {
                "access_token": secrets.token_urlsafe(32),
                "expires_in": 7200,
                "refresh_token": secrets.token_urlsafe(32),
                "openid": openid,
                "scope": "snsapi_base",
            }
        )


class OAuthServer:
    """``OAuthSandbox`` on its own loopback port (tests; ``python -m sandbox.wechat_oauth``)."""

    def __init__(self, sandbox: OAuthSandbox, port: int = 0) -> None:
        self.sandbox = sandbox

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(url.query).items()}
                headers = {k.lower(): v for k, v in self.headers.items()}
                length = min(int(self.headers.get("Content-Length") or 0), 1024 * 1024)
                received = self.rfile.read(length) if length else b""
                answer = sandbox.handle(self.command, url.path, query, headers, received)
                status, body, extra = answer or (404, b"", {})
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET  # the subscribe-message sandbox (subscribe.py) takes POSTed JSON

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet."""

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> OAuthServer:
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
