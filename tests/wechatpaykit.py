"""Helpers for tests against the WeChat Pay sandbox: a notify endpoint that answers the way a Xueshi
notice view does (``parse_notice`` then ``notice_reply``), frozen orders, and a payer who pays."""

from __future__ import annotations

import threading
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sandbox.wechatpay.server import WeChatPaySandbox
from xueshi_payments.channels.base import NATIVE, NoticeRejected, PaymentRequest, ProviderEvent
from xueshi_payments.channels.wechat import WeChatPayChannel

TIME_SCALE = 0.001  # the 24-hour retry schedule in under 90 seconds, the first retries in milliseconds


class NoticeReceiver:
    """A loopback notify_url: verifies each notice with the channel and answers as it says."""

    def __init__(self, channel: WeChatPayChannel) -> None:
        self.channel = channel
        self.events: list[ProviderEvent] = []
        self.rejected: list[str] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    receiver.events.append(receiver.channel.parse_notice(dict(self.headers.items()), body))
                    accepted = True
                except NoticeRejected as exc:
                    receiver.rejected.append(exc.code)
                    accepted = False
                status, content_type, reply = receiver.channel.notice_reply(accepted)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet."""

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/xueshi/payments/notify/wechat"

    def wait(self, count: int = 1, rejected: int = 0, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.events) >= count and len(self.rejected) >= rejected:
                return
            time.sleep(0.01)
        raise AssertionError(f"notices: {len(self.events)} events, rejected {self.rejected}")


_orders = iter(range(10**6))


def order_request(
    receiver: NoticeReceiver, amount_fen: int = 1990, scene: str = NATIVE, **extra: Any
) -> PaymentRequest:
    """A fresh frozen order as the order logic hands it to the channel."""
    return PaymentRequest(
        order_no=f"XS{time.time_ns() % 10**12}{next(_orders):04d}",
        amount_fen=amount_fen,
        description="2026年度继续教育公需课",
        expires_at=datetime.now(UTC) + timedelta(minutes=30),
        notify_url=receiver.url,
        return_url="http://127.0.0.1:9/xueshi/payments/orders/return",
        client_ip="127.0.0.1",
        scene=scene,
        **extra,
    )


def pay(sandbox: WeChatPaySandbox, pay_url: str, redirect_url: str = "") -> tuple[int, str, str]:
    """What the payer does: open the payer page, then press 确认支付 (status, page, Location)."""
    page_url = sandbox.payer_url(pay_url)
    with urllib.request.urlopen(page_url) as page:
        html = page.read().decode("utf-8")
    assert "确认支付" in html
    path = urllib.parse.urlsplit(page_url).path
    form = urllib.parse.urlencode({"redirect_url": redirect_url} if redirect_url else {}).encode()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(sandbox.base_url + path, data=form) as reply:
            return reply.status, reply.read().decode("utf-8"), ""
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8"), exc.headers.get("Location", "")
