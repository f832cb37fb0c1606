"""The sandbox gateway on loopback: the three ACP endpoints, the cashier, controls, the received page.

``UnionPaySandbox(...)`` serves in a background thread (port 0 = any free port); point
``XUESHI_UNIONPAY["GATEWAY"]`` at ``base_url``. ``/sandbox/controls`` takes JSON (see
``state.Controls``); ``/sandbox/certs`` gives the root and middle certificates a merchant trusts.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from . import pages, pki, state, txns
from .gateway import Response, UnionPayGateway

MAX_BODY = 1024 * 1024
FRONT, BACK, QUERY = (
    "/gateway/api/frontTransReq.do",
    "/gateway/api/backTransReq.do",
    "/gateway/api/queryTrans.do",
)
FILE = "/filedownload/"  # filedownload.95516.com's root, served by the same loopback server


def _form(text: str) -> dict[str, str] | None:
    """A form as a dict; ``None`` if a name repeats (UnionPay refuses ambiguous requests)."""
    pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    params = dict(pairs)
    return params if len(params) == len(pairs) else None


def _json(status: int, value: Any) -> Response:
    return Response(status, "application/json", json.dumps(value, ensure_ascii=False).encode("utf-8"))


def apply_controls(gateway: UnionPayGateway, changes: dict[str, Any]) -> dict[str, Any]:
    """Set controls from JSON and return them (names as in ``state.Controls``)."""
    with gateway.lock:
        controls = gateway.controls
        for api, count in dict(changes.get("fail") or {}).items():
            controls.fail[str(api)] = int(count)
        for name in ("notify_delay", "refund_delay"):
            if name in changes:
                setattr(controls, name, float(changes[name]))
        for name in ("duplicate", "lose"):
            if name in changes:
                setattr(controls, name, int(changes[name]))
        if "bill_today" in changes:
            controls.bill_today = bool(changes["bill_today"])
        return {
            "fail": controls.fail,
            "notify_delay": controls.notify_delay,
            "refund_delay": controls.refund_delay,
            "duplicate": controls.duplicate,
            "lose": controls.lose,
            "bill_today": controls.bill_today,
        }


def route(gateway: UnionPayGateway, verb: str, path: str, body: bytes) -> Response:
    """Dispatch one HTTP request."""
    try:
        form = _form(body.decode("utf-8")) if verb == "POST" else {}
    except UnicodeDecodeError:
        form = None
    if form is None:
        return Response(400, "text/plain;charset=utf-8", "报文格式错误（重复字段或非 UTF-8）".encode())
    if path == FRONT and verb == "POST":
        return txns.front(gateway, form)
    if path == QUERY and verb == "POST":
        return txns.query(gateway, form)
    if path == BACK and verb == "POST":
        return txns.refund(gateway, form)
    if path == FILE and verb == "POST":
        return txns.file_transfer(gateway, form)
    if path == "/sandbox/cashier/pay" and verb == "POST":
        return txns.pay(gateway, form.get("query_id", ""))
    if path == "/sandbox/controls":
        if verb == "POST":
            try:
                return _json(200, apply_controls(gateway, json.loads(body or b"{}")))
            except (ValueError, TypeError, AttributeError) as error:
                return _json(400, {"error": f"bad controls: {error}"})
        return _json(200, apply_controls(gateway, {}))
    if path == "/sandbox/certs":
        text = pki.pem(gateway.chain.root.cert) + pki.pem(gateway.chain.middle.cert)
        return Response(200, "text/plain;charset=utf-8", text.encode("ascii"))
    if path in ("/sandbox", "/sandbox/", "/"):
        return pages.received_page(gateway)
    return Response(404, "text/plain;charset=utf-8", b"not found")


def _handler(gateway: UnionPayGateway) -> type[BaseHTTPRequestHandler]:
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
            try:
                response = route(gateway, self.command, urlsplit(self.path).path, body)
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


class UnionPaySandbox:
    """A gateway served on 127.0.0.1 in a background thread; a context manager for tests."""

    def __init__(
        self, chain: pki.Chain, merchants: Iterable[state.Merchant], *, port: int = 0, time_scale: float = 1.0
    ) -> None:
        self.gateway = UnionPayGateway(chain, merchants, time_scale=time_scale)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(self.gateway))
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> UnionPaySandbox:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.gateway.notifier.stop()
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> UnionPaySandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
