"""The loopback server both SMS sandboxes run on: the vendor's API, a page of messages, a fail switch."""

from __future__ import annotations

import html
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from sandbox.faceapis.signatures import Received

MAX_BODY = 64 * 1024


@dataclass
class Inbox:
    """What a sandbox received (messages it accepted, calls it refused) and the failures it must fake."""

    vendor: str
    messages: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, code: str, times: int = 1) -> None:
        """Answer the next ``times`` sends with the vendor's error ``code``."""
        with self.lock:
            self.failures.extend([code] * times)

    def take_failure(self) -> str | None:
        """The failure to fake for this request, if any."""
        with self.lock:
            return self.failures.pop(0) if self.failures else None

    def page(self) -> bytes:
        """An HTML page of the accepted messages and refused calls, newest first."""
        rows = "".join(
            "<tr>" + "".join(f"<td>{html.escape(str(m.get(k, '')))}</td>" for k in COLUMNS) + "</tr>"
            for m in reversed(self.messages)
        )
        refused = "".join(f"<li>{html.escape(r)}</li>" for r in reversed(self.refused[-50:]))
        head = "".join(f"<th>{c}</th>" for c in COLUMNS)
        return (
            f"<!doctype html><meta charset='utf-8'><title>{self.vendor} SMS sandbox</title>"
            f"<h1>{self.vendor} SMS sandbox</h1><table border=1 id=messages><tr>{head}</tr>{rows}</table>"
            f"<h2>Refused</h2><ul id=refused>{refused}</ul>"
            "<form method=post action='/_sandbox/fail'><input name=code placeholder='error code'>"
            "<input name=times value=1 size=3><button>Fail next</button></form>"
            f"<p>Failures pending: {html.escape(', '.join(self.failures))}</p>"
        ).encode()


COLUMNS = ("time", "phone", "sign", "template", "params", "message_id", "reference")
Handler = Callable[[Received], tuple[int, dict[str, Any]]]


class SmsServer:
    """Serve ``handle`` (the vendor API) and the inbox's page on 127.0.0.1 (port 0 = any free port)."""

    def __init__(self, inbox: Inbox, handle: Handler, port: int = 0, content_type: str = "application/json"):
        self.inbox = inbox

        class RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self, status: int, body: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                if urlsplit(self.path).path == "/":
                    self._answer(200, inbox.page(), "text/html; charset=utf-8")
                else:
                    self._serve()

            def do_POST(self) -> None:
                self._serve()

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length > MAX_BODY:
                    self._answer(413, b'{"error": "body too large"}', "application/json")
                    return
                body = self.rfile.read(length) if length else b""
                url = urlsplit(self.path)
                if url.path == "/_sandbox/fail":
                    form = dict(parse_qsl(body.decode("utf-8", "replace")))
                    inbox.fail_next(form.get("code", "") or "InternalError", int(form.get("times") or 1))
                    self.send_response(303)
                    self.send_header("Location", "/")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, reply = handle(Received(self.command, url.path or "/", url.query, headers, body))
                self._answer(status, json.dumps(reply, ensure_ascii=False).encode("utf-8"), content_type)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: tests read the inbox, not access logs."""

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), RequestHandler)
        self.httpd.daemon_threads = True

    @property
    def endpoint(self) -> str:
        """``host:port`` to give the SDK."""
        return f"127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> SmsServer:
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
