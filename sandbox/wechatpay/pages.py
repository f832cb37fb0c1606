"""The sandbox's HTML: the payer page (WeChat's pay sheet stand-in) and the page of what it received."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from .bills import yuan

_STYLE = (
    "body{font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}"
    "button{background:#07c160;color:#fff;border:0;border-radius:4px;padding:.8rem 2rem;font-size:1.1rem}"
    "table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid #ccc;padding:.2rem .4rem}"
)


def _page(title: str, body: str) -> bytes:
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
        f"<style>{_STYLE}</style></head><body>{body}</body></html>"
    ).encode()


def payer(trade: Any, action: str, redirect_url: str) -> bytes:
    """The pay sheet: who is paid, how much, and a 确认支付 button."""
    hidden = (
        f'<input type="hidden" name="redirect_url" value="{escape(redirect_url)}">' if redirect_url else ""
    )
    return _page(
        "微信支付（沙箱）",
        (
            f"<h1>微信支付（沙箱）</h1><p>商户号 {escape(trade.mchid)}</p>"
            f'<p id="description">{escape(trade.description)}</p>'
            f'<p id="amount" style="font-size:2rem">¥{yuan(trade.total)}</p>'
            f'<form method="post" action="{escape(action)}">{hidden}'
            f'<button type="submit" id="confirm-pay">确认支付</button></form>'
        ),
    )


def result(title: str, message: str, status: str) -> bytes:
    """After the button: 支付成功, or why the trade cannot be paid."""
    return _page(
        title,
        f'<h1 id="pay-result" data-status="{escape(status)}">{escape(title)}</h1><p>{escape(message)}</p>',
    )


def received(calls: list[dict[str, str]], notices: list[Any], trades: Sequence[Any] = ()) -> bytes:
    """Unpaid trades with their payer pages, what the sandbox was asked, and every notice sent.

    The payer-page links are for ``make sandbox`` on a PC, where a QR code has nothing to click.
    """
    trade_rows = "".join(
        f"<tr><td>{escape(t.out_trade_no)}</td><td>{escape(t.description)}</td><td>¥{yuan(t.total)}</td>"
        f'<td><a href="/pay/{escape(t.code)}">付款页 /pay/{escape(t.code)}</a></td></tr>'
        for t in reversed(list(trades)[-50:])
        if t.state == "NOTPAY" and t.code
    )
    call_rows = "".join(
        f"<tr><td>{escape(c['time'])}</td><td>{escape(c['method'])}</td><td>{escape(c['path'])}</td>"
        f"<td>{escape(c['status'])}</td><td>{escape(c['code'])}</td></tr>"
        for c in reversed(calls[-200:])
    )
    notice_rows = "".join(
        f"<tr><td>{escape(n.id)}</td><td>{escape(n.event_type)}</td><td>{escape(n.url)}</td>"
        f"<td>{'lost' if n.lost else escape(', '.join(n.attempts) or 'pending')}</td></tr>"
        for n in reversed(notices[-200:])
    )
    return _page(
        "WeChat Pay sandbox",
        (
            "<h1>WeChat Pay v3 sandbox</h1><h2>Unpaid trades</h2>"
            "<table><tr><th>out_trade_no</th><th>description</th><th>amount</th><th>payer page</th></tr>"
            f"{trade_rows}</table><h2>API calls received</h2>"
            "<table><tr><th>time</th><th>method</th><th>path</th><th>status</th><th>code</th></tr>"
            f"{call_rows}</table><h2>Notices sent</h2>"
            "<table><tr><th>id</th><th>event</th><th>notify_url</th><th>attempts</th></tr>"
            f"{notice_rows}</table>"
        ),
    )
