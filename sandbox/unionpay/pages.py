"""HTML the sandbox shows: the bank cashier, the auto-submitted return form, errors, the received list."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from . import state

if TYPE_CHECKING:
    from .gateway import Response, UnionPayGateway

STYLE = (
    "body{font-family:sans-serif;max-width:40em;margin:2em auto}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}"
)


def _page(title: str, body: str, status: int = 200) -> Response:
    from .gateway import Response

    text = (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f'<meta name="viewport" content="width=device-width"><style>{STYLE}</style></head>'
        f"<body>{body}</body></html>"
    )
    return Response(status, "text/html;charset=utf-8", text.encode("utf-8"))


def cashier_page(txn: state.Txn) -> Response:
    """The bank cashier (网银支付) with one button, "确认支付"."""
    yuan = f"{txn.amount_fen // 100}.{txn.amount_fen % 100:02d}"
    body = (
        "<h1>银联在线支付（沙箱）</h1>"
        f"<p>商户号 {html.escape(txn.mer_id)}，订单号 {html.escape(txn.order_id)}</p>"
        f'<p class="amount">¥{yuan}</p>'
        '<form method="post" action="/sandbox/cashier/pay">'
        f'<input type="hidden" name="query_id" value="{html.escape(txn.query_id)}">'
        '<button type="submit">确认支付</button></form>'
    )
    return _page("银联在线支付", body)


def auto_submit(url: str, fields: dict[str, str]) -> Response:
    """The form UnionPay's page posts back to ``frontUrl`` by itself (the front return)."""
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in fields.items()
    )
    body = (
        f'<form id="back" method="post" action="{html.escape(url)}">{inputs}'
        '<button type="submit">返回商户</button></form>'
        '<script>document.getElementById("back").submit()</script>'
    )
    return _page("支付成功", body)


def error_page(code: str, message: str, status: int = 400) -> Response:
    """What the front gateway shows for a request it refuses."""
    return _page("交易失败", f"<h1>交易失败</h1><p>{html.escape(code)}: {html.escape(message)}</p>", status)


def received_page(gateway: UnionPayGateway) -> Response:
    """Every call received and every notice sent, newest last."""
    with gateway.lock:
        calls = "".join(
            "<tr>"
            + "".join(
                f"<td>{html.escape(str(entry.get(k, '')))}</td>"
                for k in ("at", "api", "merId", "orderId", "txnType", "respCode")
            )
            + "</tr>"
            for entry in gateway.received
        )
        notices = "".join(
            f"<tr><td>{html.escape(n.params.get('orderId', ''))}</td>"
            f"<td>{html.escape(n.params.get('txnType', ''))}</td>"
            f"<td>{'delivered' if n.delivered else 'gave up' if n.gave_up else 'pending'}</td>"
            f"<td>{html.escape('; '.join(f'{at} {outcome}' for at, outcome in n.attempts))}</td></tr>"
            for n in gateway.notifier.notices
        )
    body = (
        "<h1>UnionPay sandbox: received</h1><table><tr><th>at</th><th>api</th><th>merId</th><th>orderId</th>"
        f"<th>txnType</th><th>respCode</th></tr>{calls}</table>"
        f"<h2>Notices</h2><table><tr><th>orderId</th><th>txnType</th><th>state</th><th>attempts</th></tr>{notices}</table>"
    )
    return _page("UnionPay sandbox", body)
