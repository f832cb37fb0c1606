"""The sandbox gateway on loopback: ``/gateway.do``, the cashier, bill files, controls, the received page.

``AlipaySandbox(...)`` starts it in a background thread (port 0 = any free port); tests point the
merchant SDK at ``gateway_url``. ``/sandbox/controls`` takes JSON to turn the controls (see
``state.Controls``); ``/sandbox/key`` gives "Alipay's public key" for a merchant's settings.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from . import bills, pages, state, trades
from .gateway import AlipayGateway, Response

MAX_BODY = 1024 * 1024


def _form(text: str) -> dict[str, str] | None:
    """A query or form as a dict; ``None`` if a name repeats (Alipay refuses ambiguous requests)."""
    pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    params = dict(pairs)
    return params if len(params) == len(pairs) else None


def _json(status: int, value: Any) -> Response:
    return Response(status, "application/json", json.dumps(value, ensure_ascii=False).encode("utf-8"))


def apply_controls(gateway: AlipayGateway, changes: dict[str, Any]) -> dict[str, Any]:
    """Turn controls from JSON and return them.

    Keys: ``fail`` ({method: n}), ``notify_delay``, ``duplicate``, ``lose``,
    ``bill_today``, ``plant`` ({day, trade_no, out_trade_no, kind, amount, refund_no?}).
    """
    with gateway.lock:
        controls = gateway.controls
        for method, count in dict(changes.get("fail") or {}).items():
            controls.fail[str(method)] = int(count)
        for name in ("notify_delay",):
            if name in changes:
                controls.notify_delay = float(changes[name])
        for name in ("duplicate", "lose"):
            if name in changes:
                setattr(controls, name, int(changes[name]))
        if "bill_today" in changes:
            controls.bill_today = bool(changes["bill_today"])
        if changes.get("plant"):
            p = changes["plant"]
            line = bills.row(
                str(p["trade_no"]),
                str(p["out_trade_no"]),
                str(p.get("kind", "交易")),
                "planted",
                str(p["day"]) + " 10:00:00",
                str(p["day"]) + " 10:00:01",
                str(p["amount"]),
                str(p["amount"]),
                str(p.get("refund_no", "")),
            )
            controls.planted.setdefault(str(p["day"]), []).append(line)
        return {
            "fail": controls.fail,
            "notify_delay": controls.notify_delay,
            "duplicate": controls.duplicate,
            "lose": controls.lose,
            "bill_today": controls.bill_today,
        }


def _bill(gateway: AlipayGateway, query: dict[str, str]) -> Response:
    with gateway.lock:
        link = gateway.bill_links.get(query.get("token", ""))
        if link is None or time.monotonic() > link[2]:
            return Response(404, "text/plain;charset=utf-8", "下载链接已失效".encode())
        app_id, day_text, _ = link
        day = date.fromisoformat(day_text)
        own = [t for t in gateway.trades.values() if t.app_id == app_id]
        lines = bills.rows_for(own, day) + gateway.controls.planted.get(day_text, [])
        data = bills.bill_zip(gateway.merchants[app_id].seller_id, day, lines)
    return Response(
        200, "application/zip", data, {"Content-Disposition": f'attachment; filename="{day_text}.csv.zip"'}
    )


def route(gateway: AlipayGateway, verb: str, path: str, query: str, body: bytes) -> Response:
    """Dispatch one HTTP request."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return Response(400, "text/plain;charset=utf-8", b"body is not UTF-8")
    if path == "/gateway.do":
        params = _form(query)
        extra = _form(text) if verb == "POST" else {}
        if params is None or extra is None:
            return pages.error_page("isv.invalid-parameter", "参数重复")
        return gateway.handle_gateway({**params, **extra})
    if path == "/sandbox/cashier/pay" and verb == "POST":
        form = _form(text) or {}
        return trades.pay(gateway, form.get("trade_no", ""))
    if path == "/downloadBillFile.resource":
        return _bill(gateway, _form(query) or {})
    if path == "/sandbox/controls":
        if verb == "POST":
            try:
                return _json(200, apply_controls(gateway, json.loads(text or "{}")))
            except (ValueError, TypeError, KeyError, AttributeError) as error:
                return _json(400, {"error": f"bad controls: {error}"})
        return _json(200, apply_controls(gateway, {}))
    if path == "/sandbox/key":
        return Response(200, "text/plain;charset=utf-8", gateway.public_key_pem.encode())
    if path in ("/sandbox", "/sandbox/", "/"):
        return pages.received_page(gateway)
    return Response(404, "text/plain;charset=utf-8", b"not found")


def _handler(gateway: AlipayGateway) -> type[BaseHTTPRequestHandler]:
    class RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if not 0 <= length <= MAX_BODY:
                self._send(Response(413, "text/plain", b"body too large"))
                return
            body = self.rfile.read(length) if length else b""
            url = urlsplit(self.path)
            try:
                response = route(gateway, self.command, url.path, url.query, body)
            except Exception as error:  # a sandbox bug must show as a 500, not a reset connection
                response = Response(500, "text/plain;charset=utf-8", f"sandbox error: {error!r}".encode())
            self._send(response)

        def _send(self, response: Response) -> None:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(response.body)

        do_GET = do_POST = _serve

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the received page is the log."""

    return RequestHandler


class AlipaySandbox:
    """A gateway served on 127.0.0.1 in a background thread; a context manager for tests."""

    def __init__(
        self,
        alipay_key: RSAPrivateKey,
        merchants: Iterable[state.Merchant],
        *,
        port: int = 0,
        time_scale: float = 1.0,
    ) -> None:
        self.gateway = AlipayGateway(alipay_key, merchants, time_scale=time_scale)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(self.gateway))
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.gateway.base_url = self.base_url
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def gateway_url(self) -> str:
        """What the merchant SDK is pointed at."""
        return self.base_url + "/gateway.do"

    def start(self) -> AlipaySandbox:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.gateway.notifier.stop()
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> AlipaySandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
