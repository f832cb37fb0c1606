"""The trade methods of the sandbox gateway: cashier, query, close, refund, refund query, bill URL.

Behaviour follows Alipay's documented answers: a trade exists once the payer reaches the cashier
(before that, ``ACQ.TRADE_NOT_EXIST``); the same ``out_trade_no`` with other terms is
``ACQ.CONTEXT_INCONSISTENT``; only an unpaid trade closes; each ``out_request_no`` refunds once
(sent again it answers ``fund_change: "N"``); a refund without one must be the whole amount; a
full refund closes the trade; every refund sends a notice with ``refund_fee`` (the total refunded
so far), ``gmt_refund`` and ``out_biz_no``.
"""

from __future__ import annotations

import html
import threading
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from . import pages, state
from .gateway import AlipayGateway, Response, business_error, invalid

PRODUCT_CODES = {"alipay.trade.page.pay": "FAST_INSTANT_TRADE_PAY", "alipay.trade.wap.pay": "QUICK_WAP_WAY"}


def _money(biz: dict[str, Any], name: str) -> int:
    try:
        return state.fen(biz.get(name))  # type: ignore[arg-type]
    except ValueError:
        raise invalid("isv.invalid-parameter", f"参数{name}不正确") from None


def _expire(gateway: AlipayGateway, trade: state.Trade) -> None:
    """Close an unpaid trade past its ``time_expire`` (Alipay closes them on its own)."""
    if trade.status == state.WAIT and trade.expires_at and state.now() >= trade.expires_at:
        trade.status, trade.closed_at = state.CLOSED, state.now()
        gateway.notify(trade)


def _close_at_expiry(gateway: AlipayGateway, trade: state.Trade, expires: datetime) -> None:
    """Alipay closes an unpaid trade at ``time_expire`` by itself (and notifies TRADE_CLOSED)."""

    def close_if_unpaid() -> None:
        with gateway.lock:
            _expire(gateway, trade)

    delay = max(0.0, (expires - state.now()).total_seconds()) + 0.05
    timer = threading.Timer(delay, close_if_unpaid)
    timer.daemon = True
    timer.start()


def _find(gateway: AlipayGateway, app_id: str, biz: dict[str, Any]) -> state.Trade:
    out_trade_no, trade_no = str(biz.get("out_trade_no") or ""), str(biz.get("trade_no") or "")
    if not out_trade_no and not trade_no:
        raise invalid("isv.missing-parameter", "out_trade_no 和 trade_no 不能同时为空")
    for (owner, number), trade in gateway.trades.items():
        if owner == app_id and (number == out_trade_no or trade.trade_no == trade_no):
            _expire(gateway, trade)
            return trade
    raise business_error("ACQ.TRADE_NOT_EXIST", "交易不存在")


def cashier(
    gateway: AlipayGateway, merchant: state.Merchant, params: dict[str, str], biz: dict[str, Any]
) -> Response:
    """``alipay.trade.page.pay`` / ``wap.pay``: open (or reopen) the trade and show the cashier."""
    method = params["method"]
    out_trade_no = str(biz.get("out_trade_no") or "")
    if not state.OUT_NO.match(out_trade_no):
        raise invalid("isv.invalid-parameter", "out_trade_no 不正确")
    if biz.get("product_code") != PRODUCT_CODES[method]:
        raise invalid("isv.invalid-parameter", f"product_code 应为 {PRODUCT_CODES[method]}")
    subject = str(biz.get("subject") or "")
    if not subject or len(subject) > 256 or any(c in subject for c in "/=&"):
        raise invalid("isv.invalid-parameter", "subject 不正确（不可使用 / = & 等特殊字符）")
    total = _money(biz, "total_amount")
    expires = None
    if biz.get("time_expire"):
        try:
            expires = state.parse_stamp(str(biz["time_expire"]))
        except ValueError:
            raise invalid("isv.invalid-parameter", "time_expire 格式不正确") from None
    key = (merchant.app_id, out_trade_no)
    trade = gateway.trades.get(key)
    if trade is None:
        moment = state.now()
        trade = state.Trade(
            app_id=merchant.app_id,
            seller_id=merchant.seller_id,
            out_trade_no=out_trade_no,
            trade_no=state.new_trade_no(moment),
            total_fen=total,
            subject=subject,
            method=method,
            product_code=PRODUCT_CODES[method],
            notify_url=params.get("notify_url", ""),
            return_url=params.get("return_url", ""),
            created_at=moment,
            expires_at=expires,
        )
        gateway.trades[key] = trade
        if expires is not None:
            _close_at_expiry(gateway, trade, expires)
    elif trade.total_fen != total or trade.subject != subject:
        raise business_error("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改")
    else:
        trade.return_url = params.get("return_url", "") or trade.return_url
    _expire(gateway, trade)
    if trade.status == state.CLOSED:
        raise business_error("ACQ.TRADE_HAS_CLOSE", "交易已经关闭")
    if trade.status != state.WAIT:
        raise business_error("ACQ.TRADE_HAS_SUCCESS", "交易已被支付")
    return pages.cashier_page(trade, mobile=method.endswith("wap.pay"))


def pay(gateway: AlipayGateway, trade_no: str) -> Response:
    """The payer pressed "确认付款": mark paid, notify, and send the browser to ``return_url``."""
    with gateway.lock:
        trade = next((t for t in gateway.trades.values() if t.trade_no == trade_no), None)
        if trade is None:
            return pages.error_page("ACQ.TRADE_NOT_EXIST", "交易不存在", status=404)
        _expire(gateway, trade)
        if trade.status != state.WAIT:
            return pages.error_page("ACQ.TRADE_STATUS_ERROR", "交易状态不合法", status=409)
        trade.status, trade.paid_at = state.SUCCESS, state.now()
        gateway.notify(trade)
        if not trade.return_url:
            return pages.done_page(trade)
        back = {
            "charset": "utf-8",
            "method": trade.method + ".return",
            "app_id": trade.app_id,
            "auth_app_id": trade.app_id,
            "seller_id": trade.seller_id,
            "out_trade_no": trade.out_trade_no,
            "trade_no": trade.trade_no,
            "total_amount": state.yuan(trade.total_fen),
            "timestamp": state.stamp(trade.paid_at),
            "version": "1.0",
        }
        joiner = "&" if "?" in trade.return_url else "?"
        location = trade.return_url + joiner + urlencode(gateway.signed_params(back))
        return Response(
            302,
            "text/html;charset=utf-8",
            f'<a href="{html.escape(location)}">返回商户</a>'.encode(),
            {"Location": location},
        )


def query(gateway: AlipayGateway, merchant: state.Merchant, biz: dict[str, Any]) -> dict[str, Any]:
    trade = _find(gateway, merchant.app_id, biz)
    body = {
        "code": "10000",
        "msg": "Success",
        "trade_no": trade.trade_no,
        "out_trade_no": trade.out_trade_no,
        "trade_status": trade.status,
        "total_amount": state.yuan(trade.total_fen),
        "buyer_logon_id": trade.buyer_logon_id,
        "buyer_user_id": trade.buyer_id,
    }
    if trade.paid_at:
        paid = state.yuan(trade.total_fen)
        body.update(send_pay_date=state.stamp(trade.paid_at), receipt_amount=paid, buyer_pay_amount=paid)
    return body


def close(gateway: AlipayGateway, merchant: state.Merchant, biz: dict[str, Any]) -> dict[str, Any]:
    trade = _find(gateway, merchant.app_id, biz)
    if trade.status != state.WAIT:
        raise business_error("ACQ.TRADE_STATUS_ERROR", "交易状态不合法")
    trade.status, trade.closed_at = state.CLOSED, state.now()
    return {"code": "10000", "msg": "Success", "trade_no": trade.trade_no, "out_trade_no": trade.out_trade_no}


def refund(gateway: AlipayGateway, merchant: state.Merchant, biz: dict[str, Any]) -> dict[str, Any]:
    trade = _find(gateway, merchant.app_id, biz)
    amount = _money(biz, "refund_amount")
    request_no = str(biz.get("out_request_no") or trade.out_trade_no)
    done = {
        "code": "10000",
        "msg": "Success",
        "trade_no": trade.trade_no,
        "out_trade_no": trade.out_trade_no,
        "buyer_logon_id": trade.buyer_logon_id,
        "buyer_user_id": trade.buyer_id,
    }
    if request_no in trade.refunds:
        return {**done, "fund_change": "N", "refund_fee": state.yuan(trade.refunded_fen)}
    if trade.status not in (state.SUCCESS, state.FINISHED):
        raise business_error("ACQ.TRADE_STATUS_ERROR", "交易状态不合法")
    if not biz.get("out_request_no") and amount != trade.total_fen:
        raise business_error("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限")
    if trade.refunded_fen + amount > trade.total_fen:
        raise business_error("ACQ.REASON_TRADE_REFUND_FEE_ERR", "退款金额无效")
    moment = state.now()
    trade.refunds[request_no] = state.Refund(request_no, amount, str(biz.get("refund_reason") or ""), moment)
    if trade.refunded_fen == trade.total_fen:
        trade.status, trade.closed_at = state.CLOSED, moment
    gateway.notify(
        trade,
        refund_fee=state.yuan(trade.refunded_fen),
        gmt_refund=state.stamp(moment),
        out_biz_no=request_no,
    )
    return {
        **done,
        "fund_change": "Y",
        "refund_fee": state.yuan(trade.refunded_fen),
        "gmt_refund_pay": state.stamp(moment),
    }


def refund_query(gateway: AlipayGateway, merchant: state.Merchant, biz: dict[str, Any]) -> dict[str, Any]:
    trade = _find(gateway, merchant.app_id, biz)
    request_no = str(biz.get("out_request_no") or "")
    if not request_no:
        raise invalid("isv.missing-parameter", "缺少 out_request_no")
    body = {"code": "10000", "msg": "Success", "trade_no": trade.trade_no, "out_trade_no": trade.out_trade_no}
    found = trade.refunds.get(request_no)
    if found is None:
        return body  # Alipay's "not refunded": success with no refund fields
    return {
        **body,
        "out_request_no": request_no,
        "total_amount": state.yuan(trade.total_fen),
        "refund_amount": state.yuan(found.amount_fen),
        "refund_status": "REFUND_SUCCESS",
        "gmt_refund_pay": state.stamp(found.at),
    }


def bill_url(gateway: AlipayGateway, merchant: state.Merchant, biz: dict[str, Any]) -> dict[str, Any]:
    if biz.get("bill_type") not in ("trade", "signcustomer"):
        raise invalid("isv.invalid-parameter", "bill_type 不正确")
    try:
        day = date.fromisoformat(str(biz.get("bill_date") or ""))
    except ValueError:
        raise invalid("isv.invalid-parameter", "bill_date 格式不正确（yyyy-MM-dd）") from None
    today = state.now().date()
    if day > today or (day == today and not gateway.controls.bill_today):
        raise business_error("isp.bill_not_exist", "账单不存在")
    return {
        "code": "10000",
        "msg": "Success",
        "bill_download_url": gateway.bill_link(merchant.app_id, day.isoformat()),
    }


METHODS = {
    "alipay.trade.query": query,
    "alipay.trade.close": close,
    "alipay.trade.refund": refund,
    "alipay.trade.fastpay.refund.query": refund_query,
    "alipay.data.dataservice.bill.downloadurl.query": bill_url,
}


def call(
    gateway: AlipayGateway, merchant: state.Merchant, params: dict[str, str], biz: dict[str, Any]
) -> dict[str, Any]:
    """Run one server-side API method; business refusals raise ``GatewayError``."""
    return METHODS[params["method"]](gateway, merchant, biz)
