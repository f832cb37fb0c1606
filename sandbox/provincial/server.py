"""HTTP on 127.0.0.1: ``POST /records`` (pushes), ``POST /sandbox/controls``, ``GET /sandbox/`` (page).

``ProvincialSandbox(app_id, algorithm, keys)`` serves in a background thread (port 0 = any free
port); tests point a destination at ``base_url + "/records"``.
"""

from __future__ import annotations

import html
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from . import authority
from .platform import Platform

MAX_BODY = 8 * 1024 * 1024


def apply_controls(platform: Platform, changes: dict[str, Any]) -> dict[str, Any]:
    """Set controls (keys of ``Controls``); return them all."""
    with platform.lock:
        c = platform.controls
        for name in ("fail", "timeout", "lose_ack", "forge", "ack_twice", "register_timeout"):
            if name in changes:
                setattr(c, name, int(changes[name]))
        for name in ("delay", "hang"):
            if name in changes:
                setattr(c, name, float(changes[name]))
        if "reject_ids" in changes:
            c.reject_ids = [str(v) for v in changes["reject_ids"]]
        if isinstance(changes.get("register_answers"), dict):
            c.register_answers = {str(k): str(v) for k, v in changes["register_answers"].items()}
        for name in ("register_default", "class_decision"):
            if name in changes:
                setattr(c, name, str(changes[name]))
        return dict(c.__dict__)


def push(platform: Platform, headers: Any, body: bytes) -> tuple[int, dict[str, str], bytes] | None:
    """One push; ``None`` means: drop the connection without answering."""
    status, error, envelope = platform.check(headers, body)
    if envelope is None:
        platform.log("", 0, f"{status} {error}")
        return status, {"Content-Type": "application/json"}, json.dumps({"error": error}).encode()
    batch = envelope["batch"]
    with platform.lock:
        platform.pushes += 1
    if platform.take("fail"):
        platform.log(batch, 0, "500 (told to fail)")
        return 500, {}, b'{"error":"internal error"}'
    if platform.controls.delay:
        time.sleep(platform.controls.delay)
    results = platform.store(envelope)
    if platform.take("timeout"):
        platform.log(batch, len(results), "stored, then hung")
        time.sleep(platform.controls.hang)
        return None
    if platform.take("lose_ack"):
        platform.log(batch, len(results), "stored, ack lost")
        return None
    forged = platform.take("forge")
    sent = results
    if platform.take("ack_twice"):
        sent = results + results + platform.last_results
    platform.last_results, platform.last_batch = results, batch
    platform.log(batch, len(results), "stored, forged ack" if forged else "stored, acked")
    return platform.answer(batch, sent, forged=forged)


def _row(n: int, key: str, record: dict[str, Any], receipts: int) -> str:
    name = (record.get("learner") or {}).get("real_name", "")
    cells = [str(n), f"<code>{key[:16]}</code>", html.escape(str(record.get("kind"))), html.escape(str(name))]
    cells += [html.escape(str(record.get("subject", ""))), str(record.get("seq")), str(receipts)]
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def page(platform: Platform) -> bytes:
    """The records received (first arrival order, times received) and the calls, newest first."""
    with platform.lock:
        rows = "".join(
            _row(i + 1, k, platform.records[k], platform.receipts.get(k, 0))
            for i, k in enumerate(platform.arrivals[-500:])
        )
        calls = "".join(
            f"<tr><td>{c.at}</td><td><code>{c.batch}</code></td><td>{c.count}</td><td>{html.escape(c.result)}</td></tr>"
            for c in reversed(platform.calls[-200:])
        )
        controls = html.escape(json.dumps(platform.controls.__dict__, ensure_ascii=False))
    return (
        '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>省级平台沙箱</title>'
        f"<h1>省级继续教育平台沙箱</h1><p>算法 {platform.algorithm}；控制：{controls}</p>"
        f"<h2>收到的记录（{len(platform.records)}）</h2><table border=1 id=records>"
        "<tr><th>#</th><th>幂等键</th><th>类型</th><th>姓名</th>"
        f"<th>主题</th><th>序号</th><th>收到次数</th></tr>{rows}</table>"
        "<h2>调用</h2><table border=1><tr><th>时间</th><th>批次</th><th>条数</th><th>结果</th></tr>"
        f"{calls}</table>{authority.page_sections(platform)}</html>"
    ).encode()


class ProvincialSandbox:
    """The server in a daemon thread; ``platform`` is its state (tests read and steer it)."""

    def __init__(self, app_id: str, algorithm: str, keys: dict[str, str], port: int = 0) -> None:
        self.platform = Platform(app_id, algorithm, keys)
        platform = self.platform

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                if self.path.rstrip("/") in ("/sandbox", ""):
                    self._send(200, {"Content-Type": "text/html;charset=utf-8"}, page(platform))
                else:
                    self._send(404, {}, b"")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length > MAX_BODY:
                    self._send(413, {}, b"")
                    return
                body = self.rfile.read(length)
                if self.path == "/sandbox/controls":
                    try:
                        changes = json.loads(body or b"{}")
                        result = apply_controls(platform, changes if isinstance(changes, dict) else {})
                    except (ValueError, TypeError):
                        self._send(400, {}, b'{"error":"bad controls"}')
                        return
                    self._send(200, {"Content-Type": "application/json"}, json.dumps(result).encode())
                elif self.path.startswith("/sandbox/classes/"):
                    form = "form" in self.headers.get("Content-Type", "")
                    try:
                        changes = authority.form_or_json(body, form)
                        done = authority.decide(platform, self.path.rsplit("/", 1)[1], changes)
                    except (ValueError, TypeError, AttributeError):
                        done = False
                    if form and done:
                        self._send(303, {"Location": "/sandbox/"}, b"")
                    else:
                        self._send(200 if done else 400, {"Content-Type": "application/json"}, b"{}")
                else:
                    answer = self._answer(body)
                    if answer is None:
                        self.close_connection = True
                        return
                    self._send(*answer)

            def _answer(self, body: bytes) -> tuple[int, dict[str, str], bytes] | None:
                if self.path == "/records":
                    return push(platform, self.headers, body)
                if self.path.startswith("/register/"):
                    return authority.register(platform, self.path.rsplit("/", 1)[1], self.headers, body)
                if self.path == "/classes":
                    return authority.declare(platform, self.headers, body)
                if self.path == "/classes/status":
                    return authority.class_status(platform, self.headers, body)
                return 404, {}, b""

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> ProvincialSandbox:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
