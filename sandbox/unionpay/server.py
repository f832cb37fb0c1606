"""The sandbox gateway on loopback: the three ACP endpoints, the cashier, controls, the received page.

``UnionPaySandbox(...)`` serves in a background thread (port 0 = any free port); point
``XUESHI_UNIONPAY["GATEWAY"]`` at ``base_url``. ``/sandbox/controls`` takes JSON (see
``state.Controls``); ``/sandbox/certs`` gives the root and middle certificates a merchant trusts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sandbox.formserver import LoopbackSandbox, controls_response, form_dict

from . import pages, pki, state, txns
from .gateway import Response, UnionPayGateway

FRONT, BACK, QUERY = (
    "/gateway/api/frontTransReq.do",
    "/gateway/api/backTransReq.do",
    "/gateway/api/queryTrans.do",
)
FILE = "/filedownload/"  # filedownload.95516.com's root, served by the same loopback server


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
        form = form_dict(body.decode("utf-8")) if verb == "POST" else {}
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
        return controls_response(verb, body, lambda changes: apply_controls(gateway, changes))
    if path == "/sandbox/certs":
        text = pki.pem(gateway.chain.root.cert) + pki.pem(gateway.chain.middle.cert)
        return Response(200, "text/plain;charset=utf-8", text.encode("ascii"))
    if path in ("/sandbox", "/sandbox/", "/"):
        return pages.received_page(gateway)
    return Response(404, "text/plain;charset=utf-8", b"not found")


class UnionPaySandbox(LoopbackSandbox):
    """A gateway served on 127.0.0.1 in a background thread; a context manager for tests."""

    def __init__(
        self, chain: pki.Chain, merchants: Iterable[state.Merchant], *, port: int = 0, time_scale: float = 1.0
    ) -> None:
        gateway = UnionPayGateway(chain, merchants, time_scale=time_scale)
        super().__init__(gateway, lambda verb, path, _query, body: route(gateway, verb, path, body), port)
