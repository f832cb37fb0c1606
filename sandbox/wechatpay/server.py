"""The WeChat Pay v3 sandbox's HTTP server (loopback, threaded): signatures, routing, pages.

Every ``/v3/…`` request must carry a valid merchant signature; every reply but a bill download is
signed, with the WeChat Pay public key when the request names its ``PUB_KEY_ID_…`` in
``Wechatpay-Serial`` and with the platform certificate otherwise, as WeChat Pay does during the
switch from certificates to the public key.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from xueshi_core.jsonbody import loads_object

from . import pages
from .api import Api, dumps
from .keys import DEFAULT_VAR, SandboxKeys, load_or_create
from .notices import Controls, Notifier
from .protocol import ApiError, Merchant, signed_headers, verify_request
from .trades import SHANGHAI, Ledger

MAX_BODY = 1024 * 1024


class WeChatPaySandbox:
    """One sandbox: keys, trades, notices, and an HTTP server on 127.0.0.1 (port 0 = any free port)."""

    def __init__(self, var_dir: Path = DEFAULT_VAR, port: int = 0, time_scale: float = 1.0) -> None:
        from cryptography import x509

        self.keys: SandboxKeys = load_or_create(var_dir)
        cert = x509.load_pem_x509_certificate(self.keys.merchant_certificate.encode("ascii"))
        public_key = cert.public_key()
        self.merchants = {self.keys.mchid: Merchant(self.keys.mchid, self.keys.merchant_serial, public_key)}  # type: ignore[arg-type]
        self.controls = Controls()
        self.ledger = Ledger({self.keys.mchid: self.keys.appid})
        self.notifier = Notifier(self.keys, self.controls, time_scale)
        self.api = Api(self.ledger, self.notifier, self.controls, self.keys, lambda: self.base_url)
        self.calls: list[dict[str, str]] = []
        # other sandboxes on this port (the official account's OAuth and messages, ``make sandbox``)
        self.mounted: list[Callable[[str, str, dict[str, str], dict[str, str], bytes], Any]] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def settings(self) -> dict[str, str]:
        """``XUESHI_WECHATPAY`` for a channel using this sandbox."""
        return self.keys.merchant_settings(self.base_url)

    def payer_url(self, pay_url: str) -> str:
        """The payer page for a ``code_url`` (``weixin://…?pr=CODE``), an ``h5_url`` or a prepay id."""
        if pay_url.startswith("http"):
            return pay_url
        code = pay_url.rsplit("pr=", 1)[-1]
        return f"{self.base_url}/pay/{code}"

    def start(self) -> WeChatPaySandbox:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.notifier.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> WeChatPaySandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def handle_api(
        self, method: str, path: str, query: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, bytes, dict[str, str]]:
        """A ``/v3/…`` request: verify, dispatch, sign the reply."""
        code, status, reply = "", 200, b""
        try:
            if self.controls.fail_api > 0:
                self.controls.fail_api -= 1
                raise ApiError(500, "SYSTEM_ERROR", "系统错误 (sandbox control)")
            target = path + (f"?{query}" if query else "")
            merchant = verify_request(
                method, target, headers.get("authorization", ""), body, self.merchants, time.time()
            )
            data = loads_object(body, max_bytes=MAX_BODY, empty_ok=True)
            if path == "/v3/certificates":
                status, value = 200, self.api.certificates()
            else:
                status, value = self.api.route(method, path, query, merchant, data)
            if isinstance(value, bytes):
                self._log(method, path, status, "")
                return status, value, {"Content-Type": "application/octet-stream"}
            reply = dumps(value) if value is not None else b""
        except ApiError as exc:
            status, code, reply = exc.status, exc.code, dumps({"code": exc.code, "message": exc.message})
        except ValueError:
            status, code, reply = (
                400,
                "PARAM_ERROR",
                dumps({"code": "PARAM_ERROR", "message": "请求体不是 JSON 对象"}),
            )
        except (AttributeError, TypeError):  # a field of the wrong JSON type (e.g. amount as a string)
            status, code, reply = (
                400,
                "PARAM_ERROR",
                dumps({"code": "PARAM_ERROR", "message": "参数类型错误"}),
            )
        self._log(method, path, status, code)
        use_public_key = headers.get("wechatpay-serial") == self.keys.public_key_id
        key, serial = (
            ("public_key_private", self.keys.public_key_id)
            if use_public_key
            else ("platform_private_key", self.keys.platform_serial)
        )
        out = signed_headers(self.keys.private_key(key), serial, reply, int(time.time()))
        out["Request-ID"] = f"08{int(time.time())}-sandbox"
        if reply:
            out["Content-Type"] = "application/json; charset=utf-8"
        return status, reply, out

    def _log(self, method: str, path: str, status: int, code: str) -> None:
        self.calls.append(
            {
                "time": f"{datetime.now(SHANGHAI):%H:%M:%S}",
                "method": method,
                "path": path,
                "status": str(status),
                "code": code,
            }
        )

    def handle_pay(
        self, method: str, code: str, form: dict[str, str], query: dict[str, str]
    ) -> tuple[int, bytes, dict[str, str]]:
        """The payer page: GET shows the sheet, POST pays (then back to ``redirect_url`` for H5)."""
        html = {"Content-Type": "text/html; charset=utf-8"}
        trade = self.ledger.by_code.get(code)
        if trade is None:
            return 404, pages.result("订单不存在", "这个支付链接无效。", "ORDER_NOT_EXIST"), html
        if method == "GET":
            return 200, pages.payer(trade, f"/pay/{code}", query.get("redirect_url", "")), html
        try:
            self.ledger.pay(code)
        except ApiError as exc:
            return 409, pages.result("无法支付", exc.message, exc.code), html
        self.api.paid(trade)
        redirect = form.get("redirect_url", "")
        if redirect.startswith(("http://", "https://")):
            return 302, b"", {"Location": redirect}
        return (
            200,
            pages.result("支付成功", f"¥{trade.total / 100:.2f} 已支付给商户 {trade.mchid}", "SUCCESS"),
            html,
        )

    def handle_control(self, body: bytes) -> tuple[int, bytes, dict[str, str]]:
        """``POST /sandbox/control`` with JSON fields of ``Controls`` (and ``release_held``)."""
        as_json = {"Content-Type": "application/json"}
        try:
            data = loads_object(body, empty_ok=True)
            unknown = [name for name in data if name != "release_held" and not hasattr(self.controls, name)]
            if unknown:
                return 400, dumps({"error": f"unknown controls {unknown}"}), as_json
            values = {
                name: type(getattr(self.controls, name))(v)
                for name, v in data.items()
                if name != "release_held"
            }
        except (ValueError, TypeError) as exc:
            return 400, dumps({"error": f"bad controls: {exc}"}), as_json
        for name, value in values.items():
            setattr(self.controls, name, value)
        if data.get("release_held"):
            self.notifier.release_held()
        return 200, dumps(vars(self.controls)), {"Content-Type": "application/json"}


def _handler(sandbox: WeChatPaySandbox) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._send(
                    413,
                    dumps({"code": "PARAM_ERROR", "message": "请求体过大"}),
                    {"Content-Type": "application/json"},
                )
                return
            body = self.rfile.read(length) if length else b""
            url = urlsplit(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            if url.path.startswith("/v3/"):
                self._send(*sandbox.handle_api(self.command, url.path, url.query, headers, body))
            elif url.path.startswith("/pay/"):
                form = {k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
                self._send(*sandbox.handle_pay(self.command, url.path[len("/pay/") :], form, query))
            elif url.path == "/sandbox/control" and self.command == "POST":
                self._send(*sandbox.handle_control(body))
            elif url.path in ("/", "/sandbox/"):
                with sandbox.ledger.lock:
                    trades = list(sandbox.ledger.trades.values())
                page = pages.received(sandbox.calls, sandbox.notifier.sent, trades)
                self._send(200, page, {"Content-Type": "text/html; charset=utf-8"})
            else:
                answers = (m(self.command, url.path, query, headers, body) for m in sandbox.mounted)
                answer = next((a for a in answers if a is not None), None)
                self._send(*(answer or (404, b"not found", {"Content-Type": "text/plain"})))

        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _serve

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the received page shows the calls."""

    return Handler
