"""The loopback HTTP layer shared by the provider sandboxes (Alipay, UnionPay ACP; Nuonuo's handler).

Both gateways take ``application/x-www-form-urlencoded`` requests, refuse a form whose names
repeat, answer through a small ``Response``, expose JSON ``/sandbox/controls`` and run in a
background ``ThreadingHTTPServer`` on 127.0.0.1 that tests start and stop (``LoopbackSandbox``).
Only the routes and the gateways' rules differ; those stay in each sandbox's ``server`` module.
The Nuonuo sandbox (JSON, authenticated by an ``accessToken`` header) uses only ``handler_for``,
asking for the headers.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

MAX_BODY = 1024 * 1024
#: ``route(verb, path, query, body)``: one request to one ``Response``.
Route = Callable[[str, str, str, bytes], "Response"]
#: ``route(verb, path, query, body, headers)``: the same, for gateways that read a header.
HeaderRoute = Callable[[str, str, str, bytes, Any], "Response"]


@dataclass
class Response:
    """What the HTTP layer sends back."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def form_dict(text: str) -> dict[str, str] | None:
    """A query or form as a dict; ``None`` if a name repeats (the providers refuse ambiguous requests)."""
    pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    params = dict(pairs)
    return params if len(params) == len(pairs) else None


def json_response(status: int, value: Any) -> Response:
    """A JSON answer (controls, errors of the sandbox's own endpoints)."""
    return Response(status, "application/json", json.dumps(value, ensure_ascii=False).encode("utf-8"))


def controls_response(
    verb: str, body: bytes | str, apply: Callable[[dict[str, Any]], dict[str, Any]]
) -> Response:
    """``/sandbox/controls``: GET shows them; POST sets them from JSON (400 with the reason if malformed)."""
    if verb != "POST":
        return json_response(200, apply({}))
    try:
        return json_response(200, apply(json.loads(body or "{}")))
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        return json_response(400, {"error": f"bad controls: {error}"})


def handler_for(
    route: Route | HeaderRoute, max_body: int = MAX_BODY, *, headers: bool = False
) -> type[BaseHTTPRequestHandler]:
    """A request handler class that reads the body (size-checked) and answers what ``route`` says.

    With ``headers=True`` the route is a ``HeaderRoute``: it is also given the request's headers.
    """

    class RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if not 0 <= length <= max_body:
                self._send(Response(413, "text/plain", b"body too large"))
                return
            body = self.rfile.read(length) if length else b""
            url = urlsplit(self.path)
            try:
                args = (self.command, url.path, url.query, body)
                response = route(*args, self.headers) if headers else route(*args)  # type: ignore[call-arg]
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


class LoopbackSandbox:
    """A gateway (with a ``notifier``) served on 127.0.0.1 in a background thread; a context manager."""

    def __init__(self, gateway: Any, route: Route, port: int = 0) -> None:
        self.gateway = gateway
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler_for(route))
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> Self:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.gateway.notifier.stop()
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def serve_in_foreground(self, banner: str, env_prefix: str, settings: dict[str, str]) -> None:
        """``python -m sandbox.<provider>``: print where it is and the site's environment, then serve."""
        print(f"{banner} (what it received: {self.base_url}/sandbox/)", flush=True)
        print(" ".join(f"{env_prefix}{key}={value}" for key, value in settings.items()), flush=True)
        try:
            self.httpd.serve_forever()
        except KeyboardInterrupt:
            self.stop()
