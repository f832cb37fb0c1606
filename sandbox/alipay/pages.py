"""The HTML the sandbox shows people: the payer's cashier, error pages, and what it received."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from . import state

if TYPE_CHECKING:
    from .gateway import AlipayGateway, Response

STYLE = (
    "body{font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}"
    "table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid #ccc;padding:.2rem .4rem}"
    ".pay{background:#1677ff;color:#fff;border:0;padding:.8rem 2rem;font-size:1.1rem;border-radius:.3rem}"
)


def _page(title: str, body: str, status: int = 200) -> Response:
    from .gateway import Response

    text = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>{body}</body></html>"
    )
    return Response(status, "text/html;charset=utf-8", text.encode("utf-8"))


def cashier_page(trade: state.Trade, *, mobile: bool) -> Response:
    """What the payer sees: the order, the amount and one "确认付款" button."""
    kind = "手机网站支付" if mobile else "电脑网站支付"
    body = (
        f"<h1>支付宝收银台（沙箱）</h1><p>{kind}</p>"
        f'<p>商品：<span id="subject">{escape(trade.subject)}</span></p>'
        f'<p>订单号：<span id="out-trade-no">{escape(trade.out_trade_no)}</span></p>'
        f'<p>金额：<strong id="amount">¥{state.yuan(trade.total_fen)}</strong></p>'
        '<form method="post" action="/sandbox/cashier/pay">'
        f'<input type="hidden" name="trade_no" value="{escape(trade.trade_no)}">'
        '<button class="pay" type="submit">确认付款</button></form>'
    )
    return _page("支付宝收银台", body)


def done_page(trade: state.Trade) -> Response:
    """After paying when the merchant gave no ``return_url``."""
    return _page(
        "付款成功", f"<h1>付款成功</h1><p>¥{state.yuan(trade.total_fen)} · {escape(trade.out_trade_no)}</p>"
    )


def error_page(code: str, message: str, status: int = 400) -> Response:
    """Alipay's error page for a browser request it refuses (bad signature, closed trade, ...)."""
    body = (
        f'<h1>支付宝</h1><p>错误代码：<code id="error-code">{escape(code)}</code></p><p>{escape(message)}</p>'
    )
    return _page("支付宝 - 错误", body, status)


def received_page(gateway: AlipayGateway) -> Response:
    """Every request, trade and notice the gateway saw, newest first."""
    with gateway.lock:
        calls = "".join(
            f"<tr><td>{escape(r['at'])}</td><td>{escape(r['method'])}</td><td>{escape(r['app_id'])}</td>"
            f"<td>{escape(r.get('out_trade_no', ''))}</td><td>{escape(r.get('result', ''))}</td></tr>"
            for r in reversed(gateway.received)
        )
        trades = "".join(
            f"<tr><td>{escape(t.out_trade_no)}</td><td>{escape(t.trade_no)}</td><td>{state.yuan(t.total_fen)}</td>"
            f"<td>{escape(t.status)}</td><td>{state.yuan(t.refunded_fen)}</td></tr>"
            for t in gateway.trades.values()
        )
        notices = "".join(
            f"<tr><td>{escape(n.notify_id)} #{n.copy}</td><td>{escape(n.params.get('out_trade_no', ''))}</td>"
            f"<td>{escape(n.params.get('trade_status', ''))}</td><td>{escape(n.url)}</td>"
            f"<td>{escape('; '.join(f'{at} {outcome}' for at, outcome in n.attempts))}</td>"
            f"<td>{'delivered' if n.delivered else 'gave up' if n.gave_up else 'pending'}</td></tr>"
            for n in reversed(gateway.notifier.notices)
        )
    body = (
        "<h1>Alipay sandbox: received</h1>"
        "<h2>Calls</h2><table><tr><th>at</th><th>method</th><th>app_id</th><th>out_trade_no</th><th>result</th></tr>"
        f"{calls}</table><h2>Trades</h2><table><tr><th>out_trade_no</th><th>trade_no</th><th>amount</th>"
        f"<th>status</th><th>refunded</th></tr>{trades}</table><h2>Notices</h2><table><tr><th>notify_id</th>"
        f"<th>out_trade_no</th><th>status</th><th>notify_url</th><th>attempts</th><th>state</th></tr>{notices}</table>"
    )
    return _page("Alipay sandbox", body)
