"""The gateway's front door: check a ``gateway.do`` call as Alipay does, then dispatch it.

Checks, in Alipay's order: required common parameters (40001 ``isv.missing-*``), a known
``app_id`` and ``sign_type=RSA2`` and a signature by that app's key over the sorted parameters
(40002 ``isv.invalid-*``), a parseable ``timestamp`` and ``biz_content``. Gateway-level errors
carry no ``sign`` (the merchant SDK then raises); business answers, including 40004 refusals, are
signed over the exact ``<method>_response`` text, with ``sign`` beside it.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Iterable
from typing import Any

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from sandbox.formserver import Response

from . import signing, state
from .notifier import Notifier

REQUIRED = ("app_id", "method", "sign_type", "sign", "timestamp", "version")
PAGE_METHODS = ("alipay.trade.page.pay", "alipay.trade.wap.pay")
BILL_URL_SECONDS = 30


class GatewayError(Exception):
    """A gateway-level refusal (unsigned), or a business one (signed) when ``signed``."""

    def __init__(self, code: str, msg: str, sub_code: str, sub_msg: str, *, signed: bool = False) -> None:
        super().__init__(f"{code} {sub_code}: {sub_msg}")
        self.body = {"code": code, "msg": msg, "sub_code": sub_code, "sub_msg": sub_msg}
        self.signed = signed


def business_error(sub_code: str, sub_msg: str) -> GatewayError:
    """A signed ``40004 Business Failed`` answer."""
    return GatewayError("40004", "Business Failed", sub_code, sub_msg, signed=True)


def invalid(sub_code: str, sub_msg: str) -> GatewayError:
    """An unsigned ``40002 Invalid Arguments`` answer."""
    return GatewayError("40002", "Invalid Arguments", sub_code, sub_msg)


class AlipayGateway:
    """All state of one sandbox gateway; ``handle_gateway`` is ``/gateway.do``."""

    def __init__(
        self, alipay_key: RSAPrivateKey, merchants: Iterable[state.Merchant], *, time_scale: float = 1.0
    ) -> None:
        self.alipay_key = alipay_key
        self.merchants = {m.app_id: m for m in merchants}
        self.lock = threading.RLock()
        self.controls = state.Controls()
        self.trades: dict[tuple[str, str], state.Trade] = {}
        self.received: list[dict[str, str]] = []
        self.bill_links: dict[str, tuple[str, str, float]] = {}
        self.base_url = ""  # set by the server once it knows its port
        self.notifier = Notifier(lambda: self.controls, self.lock, time_scale)

    @property
    def public_key_pem(self) -> str:
        """What a merchant configures as "Alipay's public key" (支付宝公钥)."""
        return signing.public_pem(self.alipay_key)

    # -- signing of what the gateway sends -------------------------------------------------------
    def signed_params(self, params: dict[str, str]) -> dict[str, str]:
        """Notice and return parameters with ``sign``; ``sign`` and ``sign_type`` are not signed."""
        content = signing.sign_content(params, exclude=("sign", "sign_type"), keep_empty=True)
        return {**params, "sign_type": "RSA2", "sign": signing.sign(self.alipay_key, content)}

    def reply(self, method: str, body: dict[str, Any], *, signed: bool = True) -> Response:
        """``{"<method>_response": {...}, "sign": "..."}``, the sign over the exact inner text."""
        inner = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        name = method.replace(".", "_") + "_response" if method else "error_response"
        text = f'{{"{name}":{inner}'
        text += f',"sign":"{signing.sign(self.alipay_key, inner)}"}}' if signed else "}"
        return Response(200, "text/html;charset=utf-8", text.encode("utf-8"))

    # -- requests ---------------------------------------------------------------------------------
    def handle_gateway(self, params: dict[str, str]) -> Response:
        """Check and dispatch one ``gateway.do`` call (GET query or POST form, already merged)."""
        from . import pages, trades

        method = params.get("method", "")
        entry = {"at": state.stamp(state.now()), "method": method, "app_id": params.get("app_id", "")}
        try:
            merchant, biz = self._check(params)
            entry["out_trade_no"] = str(biz.get("out_trade_no", ""))
            with self.lock:
                if self.controls.take_failure(method):
                    raise GatewayError(
                        "20000", "Service Currently Unavailable", "isp.unknow-error", "系统繁忙", signed=True
                    )
                if method in PAGE_METHODS:
                    response = trades.cashier(self, merchant, params, biz)
                else:
                    response = self.reply(method, trades.call(self, merchant, params, biz))
            entry["result"] = "10000"
        except GatewayError as error:
            entry["result"] = f"{error.body['code']} {error.body['sub_code']}"
            if method in PAGE_METHODS:
                response = pages.error_page(error.body["sub_code"], error.body["sub_msg"])
            else:
                known = method in trades.METHODS
                response = self.reply(method if known else "", error.body, signed=error.signed)
        with self.lock:
            self.received.append(entry)
        return response

    def _check(self, params: dict[str, str]) -> tuple[state.Merchant, dict[str, Any]]:
        from . import trades

        for name in REQUIRED:
            if not params.get(name):
                raise GatewayError(
                    "40001",
                    "Missing Required Arguments",
                    f"isv.missing-{name.replace('_', '-')}",
                    f"缺少{name}参数",
                )
        merchant = self.merchants.get(params["app_id"])
        if merchant is None:
            raise invalid("isv.invalid-app-id", "无效的AppID参数")
        if params["sign_type"] != "RSA2":
            raise invalid("isv.invalid-signature-type", "无效的签名类型")
        if not signing.verify(merchant.public_key, signing.sign_content(params), params["sign"]):
            raise invalid("isv.invalid-signature", "验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配")
        if params.get("charset", "utf-8").lower() != "utf-8":
            raise invalid("isv.invalid-charset", "字符集错误")
        try:
            state.parse_stamp(params["timestamp"])
        except ValueError:
            raise invalid("isv.invalid-timestamp", "非法的时间戳参数") from None
        if params["method"] not in trades.METHODS and params["method"] not in PAGE_METHODS:
            raise invalid("isv.invalid-method", "不存在的方法名")
        try:
            biz = json.loads(params.get("biz_content") or "{}")
        except ValueError:
            raise invalid("isv.invalid-parameter", "biz_content 不是合法的 JSON") from None
        if not isinstance(biz, dict):
            raise invalid("isv.invalid-parameter", "biz_content 不是 JSON 对象")
        return merchant, biz

    # -- notices ----------------------------------------------------------------------------------
    def notify(self, trade: state.Trade, **extra: str) -> None:
        """Send a ``trade_status_sync`` notice about ``trade`` (plus refund fields when given)."""
        if not trade.notify_url:
            return
        merchant = self.merchants[trade.app_id]
        params = {
            "notify_time": state.stamp(state.now()),
            "notify_type": "trade_status_sync",
            "notify_id": secrets.token_hex(16),
            "charset": "utf-8",
            "version": "1.0",
            "app_id": trade.app_id,
            "auth_app_id": trade.app_id,
            "trade_no": trade.trade_no,
            "out_trade_no": trade.out_trade_no,
            "buyer_id": trade.buyer_id,
            "buyer_logon_id": trade.buyer_logon_id,
            "seller_id": trade.seller_id,
            "seller_email": merchant.seller_email,
            "trade_status": trade.status,
            "total_amount": state.yuan(trade.total_fen),
            "subject": trade.subject,
            "gmt_create": state.stamp(trade.created_at),
        }
        if trade.paid_at:
            paid = state.yuan(trade.total_fen)
            fund = json.dumps([{"amount": paid, "fundChannel": "ALIPAYACCOUNT"}], separators=(",", ":"))
            params.update(
                gmt_payment=state.stamp(trade.paid_at),
                receipt_amount=paid,
                invoice_amount=paid,
                buyer_pay_amount=paid,
                point_amount="0.00",
                fund_bill_list=fund,
            )
        if trade.closed_at:
            params["gmt_close"] = state.stamp(trade.closed_at)
        params.update(extra)
        self.notifier.send(trade.notify_url, self.signed_params(params))

    # -- bills ------------------------------------------------------------------------------------
    def bill_link(self, app_id: str, day: str) -> str:
        """A download URL for one day's bill, valid 30 seconds like Alipay's."""
        token = secrets.token_urlsafe(16)
        self.bill_links[token] = (app_id, day, time.monotonic() + BILL_URL_SECONDS)
        seller = self.merchants[app_id].seller_id
        return (
            f"{self.base_url}/downloadBillFile.resource?bizType=trade&userId={seller}"
            f"&fileType=csv.zip&bizDates={day.replace('-', '')}&token={token}"
        )
