"""A small threaded HTTP server both sandboxes run on (loopback only, port 0 = any free port)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from .signatures import Received

MAX_BODY = 16 * 1024 * 1024
Handler = Callable[[Received], tuple[int, dict[str, Any]]]


def _request_handler(handle: Handler, content_type: str) -> type[BaseHTTPRequestHandler]:
    class RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._reply(413, {"error": "body too large"})
                return
            body = self.rfile.read(length) if length else b""
            url = urlsplit(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, reply = handle(Received(self.command, url.path or "/", url.query, headers, body))
            self._reply(status, reply)

        def _reply(self, status: int, reply: dict[str, Any]) -> None:
            data = json.dumps(reply, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_POST = do_GET = _serve

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: tests read replies, not access logs."""

    return RequestHandler


class SandboxServer:
    """Run a handler on 127.0.0.1 in a background thread; ``endpoint`` is what the SDK is given."""

    def __init__(self, handle: Handler, port: int = 0, content_type: str = "application/json") -> None:
        # Tencent Cloud answers "application/json" exactly (its SDK looks for errors only then).
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _request_handler(handle, content_type))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        """``host:port`` to give the SDK."""
        host, port = self.httpd.server_address[:2]
        return f"{host}:{port}"

    def start(self) -> SandboxServer:
        """Serve in the background."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
