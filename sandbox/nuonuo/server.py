"""The sandbox on 127.0.0.1: ``/accessToken``, ``/open/v1/services``, ``/files/…``, controls, calls page.

``NuonuoSandbox(app_key, app_secret, tax_num)`` serves in a background thread (port 0 = any free
port); tests point the adapter at ``base_url``.
"""

from __future__ import annotations

import html
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from sandbox.formserver import MAX_BODY, Response, handler_for

from . import protocol
from .platform import Platform

JSON = "application/json;charset=utf-8"


def _json(status: int, value: Any) -> tuple[int, str, bytes]:
    return status, JSON, json.dumps(value, ensure_ascii=False).encode("utf-8")


def apply_controls(platform: Platform, changes: dict[str, Any]) -> dict[str, Any]:
    """Turn controls and return them.

    Keys: fail {method: n}, down n, delay s, clerk_logged_in, lose_callbacks, token_cap n,
    fail_issue n, expire_tokens true.
    """
    with platform.lock:
        c = platform.controls
        for method, count in dict(changes.get("fail") or {}).items():
            c.fail[str(method)] = int(count)
        for name in ("down", "token_cap", "fail_issue"):
            if name in changes:
                setattr(c, name, int(changes[name]))
        if "delay" in changes:
            c.delay = float(changes["delay"])
        for name in ("clerk_logged_in", "lose_callbacks"):
            if name in changes:
                setattr(c, name, bool(changes[name]))
        if changes.get("expire_tokens"):
            platform.expire_tokens()
        return {**c.__dict__, "token_calls": platform.token_calls}


def services(platform: Platform, query: dict[str, str], headers: Any, body: bytes) -> tuple[int, str, bytes]:
    """One ``/open/v1/services`` call, checked like the platform: app, shape, signature, token."""
    text = body.decode("utf-8")
    method = headers.get("method", "")
    if query.get("appkey") != platform.app_key or not protocol.query_shape_ok(query):
        platform.log(method, "070302", "bad appkey/senid/nonce/timestamp")
        return _json(200, {"code": "070302", "describe": "appKey、senid、nonce或timestamp无效"})
    if not protocol.sign_ok(platform.app_secret, query, text, headers.get("X-Nuonuo-Sign", "")):
        platform.log(method, "070303", "signature refused")
        return _json(200, {"code": "070303", "describe": "签名验证失败"})
    if not platform.token_ok(headers.get("accessToken", "")):
        platform.log(method, "070301", "token invalid or expired")
        return _json(200, {"code": "070301", "describe": "accessToken无效或已过期"})
    try:
        content = json.loads(text)
        if not isinstance(content, dict):
            raise ValueError("body must be an object")
    except ValueError:
        platform.log(method, "E9101", "body not JSON")
        return _json(200, {"code": "E9101", "describe": "请求体不是JSON对象"})
    answer = platform.call(method, content)
    platform.log(method, str(answer["code"]), str(answer.get("describe", ""))[:80])
    return _json(200, answer)


def calls_page(platform: Platform, title: str = "诺诺开放平台沙箱") -> tuple[int, str, bytes]:
    """What the sandbox received and did, newest first (the Baiwang sandbox shares it, titled)."""
    with platform.lock:
        rows = "".join(
            f"<tr><td>{c.at}</td><td>{html.escape(c.method)}</td><td>{c.code}</td><td>{html.escape(c.note)}</td></tr>"
            for c in reversed(platform.calls[-300:])
        )
        invoices = "".join(
            f"<tr><td>{html.escape(k)}</td><td>{i['status']}</td><td>{i.get('number', '')}</td>"
            f"<td>{'红' if i['red'] else '蓝'}</td><td>{i['gross_fen']}</td></tr>"
            for k, i in platform.invoices.items()
        )
        controls = html.escape(json.dumps(platform.controls.__dict__, ensure_ascii=False))
    page = (
        f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{title}</title>'
        f"<h1>{title}</h1><p>控制：{controls}；token 调用次数 {platform.token_calls}</p>"
        "<h2>发票</h2><table border=1><tr><th>订单号</th><th>状态</th><th>号码</th><th>类型</th>"
        f"<th>金额(分)</th></tr>{invoices}</table>"
        "<h2>调用</h2><table border=1><tr><th>时间</th><th>方法</th><th>结果</th><th>说明</th></tr>"
        f"{rows}</table></html>"
    )
    return 200, "text/html;charset=utf-8", page.encode("utf-8")


def route(
    platform: Platform, verb: str, path: str, query: str, headers: Any, body: bytes
) -> tuple[int, str, bytes]:
    """Dispatch one HTTP request."""
    with platform.lock:
        if platform.controls.down > 0 and not path.startswith("/sandbox"):
            platform.controls.down -= 1
            platform.log(path, "503", "down (control)")
            return 503, "text/plain", b"service unavailable"
    params = dict(parse_qsl(query, keep_blank_values=True))
    try:
        if path == "/accessToken" and verb == "POST":
            form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
            status, value = platform.issue_token(
                form.get("client_id", ""), form.get("client_secret", ""), form.get("grant_type", "")
            )
            return _json(status, value)
        if path == "/open/v1/services" and verb == "POST":
            return services(platform, params, headers, body)
        if path.startswith("/files/"):
            token = path.split("/")[2]
            with platform.lock:
                found = platform.file_blobs.get(token)
            return (200, found[0], found[1]) if found else (404, "text/plain", b"not found")
        if path == "/sandbox/controls":
            changes = json.loads(body or b"{}") if verb == "POST" else {}
            return _json(200, apply_controls(platform, changes))
        if path in ("/", "/sandbox", "/sandbox/"):
            return calls_page(platform)
    except (UnicodeDecodeError, ValueError, TypeError, AttributeError) as error:
        return _json(400, {"error": f"bad request: {error}"})
    return 404, "text/plain", b"not found"


def _handler(platform: Platform) -> type[BaseHTTPRequestHandler]:
    def answer(verb: str, path: str, query: str, body: bytes, headers: Any) -> Response:
        return Response(*route(platform, verb, path, query, headers, body))

    return handler_for(answer, MAX_BODY, headers=True)


class NuonuoSandbox:
    """The platform served on 127.0.0.1 in a background thread; a context manager for tests."""

    def __init__(
        self, app_key: str, app_secret: str, tax_num: str, *, port: int = 0, delay: float = 0.2
    ) -> None:
        self.platform = Platform(app_key, app_secret, tax_num, delay=delay)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(self.platform))
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.platform.base_url = self.base_url
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> NuonuoSandbox:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> NuonuoSandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
