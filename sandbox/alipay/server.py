"""The sandbox gateway on loopback: ``/gateway.do``, the cashier, bill files, controls, the received page.

``AlipaySandbox(...)`` starts it in a background thread (port 0 = any free port); tests point the
merchant SDK at ``gateway_url``. ``/sandbox/controls`` takes JSON to turn the controls (see
``state.Controls``); ``/sandbox/key`` gives "Alipay's public key" for a merchant's settings.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import date
from typing import Any

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from sandbox.formserver import LoopbackSandbox, controls_response, form_dict

from . import bills, pages, state, trades
from .gateway import AlipayGateway, Response


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
        params = form_dict(query)
        extra = form_dict(text) if verb == "POST" else {}
        if params is None or extra is None:
            return pages.error_page("isv.invalid-parameter", "参数重复")
        return gateway.handle_gateway({**params, **extra})
    if path == "/sandbox/cashier/pay" and verb == "POST":
        form = form_dict(text) or {}
        return trades.pay(gateway, form.get("trade_no", ""))
    if path == "/downloadBillFile.resource":
        return _bill(gateway, form_dict(query) or {})
    if path == "/sandbox/controls":
        return controls_response(verb, text, lambda changes: apply_controls(gateway, changes))
    if path == "/sandbox/key":
        return Response(200, "text/plain;charset=utf-8", gateway.public_key_pem.encode())
    if path in ("/sandbox", "/sandbox/", "/"):
        return pages.received_page(gateway)
    return Response(404, "text/plain;charset=utf-8", b"not found")


class AlipaySandbox(LoopbackSandbox):
    """A gateway served on 127.0.0.1 in a background thread; a context manager for tests."""

    def __init__(
        self,
        alipay_key: RSAPrivateKey,
        merchants: Iterable[state.Merchant],
        *,
        port: int = 0,
        time_scale: float = 1.0,
    ) -> None:
        gateway = AlipayGateway(alipay_key, merchants, time_scale=time_scale)
        super().__init__(
            gateway, lambda verb, path, query, body: route(gateway, verb, path, query, body), port
        )
        self.gateway.base_url = self.base_url

    @property
    def gateway_url(self) -> str:
        """What the merchant SDK is pointed at."""
        return self.base_url + "/gateway.do"
