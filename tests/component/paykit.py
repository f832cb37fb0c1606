"""A merchant's notify and return endpoint on loopback, shared by the payment channels' tests.

``serve_receiver`` runs a small HTTP server that hands each provider notice to the channel under
test (``parse_notice`` → ``notice_reply``) and each browser return to the test's own ``on_return``
(Alipay: a GET with signed parameters; UnionPay: a form POST to ``…/return/``), recording what
arrived in a ``Receiver``. ``fail_first`` answers the first notices as failures (so the sandbox
retries); ``redirect`` answers an accepted notice with a 302 (UnionPay counts it as delivered).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from xueshi_payments.channels.base import NoticeRejected, ProviderEvent

#: ``on_return(path with query, body)`` → (status, reply); it records ``Receiver.returned`` itself.
OnReturn = Callable[[str, bytes], tuple[int, bytes]]


@dataclass
class Receiver:
    """What reached our notify and return URLs: events, rejection codes, each notice reply and status."""

    url: str = ""
    fail_first: int = 0
    redirect: bool = False
    events: list[ProviderEvent] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    replies: list[bytes] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    returned: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_for(self, condition: Callable[[Receiver], bool], seconds: float = 5.0) -> None:
        deadline = time.monotonic() + seconds
        while not condition(self):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out: events={self.events} rejected={self.rejected}")
            time.sleep(0.02)

    def notice(self, channel: Any, headers: dict[str, str], body: bytes) -> tuple[int, str, bytes]:
        """Hand a notice to the channel; record the event or the rejection and the reply."""
        with self.lock:
            try:
                event = channel.parse_notice(headers, body)
                accepted = self.fail_first <= 0
                self.fail_first -= 1
                if accepted:
                    self.events.append(event)
            except NoticeRejected as rejection:
                accepted = False
                self.rejected.append(rejection.code)
            status, content_type, reply = channel.notice_reply(accepted)
            if accepted and self.redirect:
                status = 302
            self.replies.append(reply)
            self.statuses.append(status)
        return status, content_type, reply


@contextmanager
def serve_receiver(channel: Any, name: str, on_return: OnReturn) -> Iterator[Receiver]:
    """A ``Receiver`` whose ``url`` is ``…/payments/notify/<name>`` (returns: ``…/return/<name>``)."""
    received = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, content_type: str, reply: bytes) -> None:
            self.send_response(status)
            if status == 302:
                self.send_header("Location", "/done")
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def do_GET(self) -> None:
            status, reply = on_return(self.path, b"")
            self._answer(status, "text/html; charset=utf-8", reply)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if "/return/" in self.path:  # the browser's front return, posted by the bank's page
                with received.lock:
                    status, reply = on_return(self.path, body)
                self._answer(status, "", reply)
                return
            self._answer(*received.notice(channel, dict(self.headers), body))

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    received.url = f"http://127.0.0.1:{httpd.server_address[1]}/payments/notify/{name}"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield received
    finally:
        httpd.shutdown()
        httpd.server_close()
