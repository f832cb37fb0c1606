"""WeChat Pay API v3 as a ``PaymentChannel``: Native, JSAPI and H5 through ``wechatpayv3``.

Calls go through the library (request signing, reply signature verification) pointed at
``XUESHI_WECHATPAY["BASE_URL"]`` (``wechat_client``); notices are verified here on the raw body
(``wechat_notice``: freshness, probes, key by serial), decoded into events (``wechat_events``),
and bills are hash-checked and parsed (``wechat_bill``). Money is integer fen end to end.
ADRs 0140–0142.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

import requests
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from wechatpayv3 import WeChatPayType

from . import wechat_bill, wechat_events, wechat_notice
from .base import (
    H5,
    JSAPI,
    NATIVE,
    BillLine,
    ChannelError,
    PayAction,
    PaymentRequest,
    ProviderEvent,
    RefundResult,
    TradeStatus,
)
from .wechat_client import WeChatPayClient
from .wechat_config import WeChatPayConfig

SHANGHAI = ZoneInfo("Asia/Shanghai")
PAY_TYPES = {NATIVE: WeChatPayType.NATIVE, JSAPI: WeChatPayType.JSAPI, H5: WeChatPayType.H5}
ORDER_NO = re.compile(r"^[0-9A-Za-z_\-|*]{6,32}$")
REFUND_NO = re.compile(r"^[0-9A-Za-z_\-|*@]{1,64}$")


def _checked_no(pattern: re.Pattern[str], value: str) -> str:
    """An order or refund number as WeChat Pay allows it (it goes into a URL path)."""
    if not pattern.match(value):
        raise ChannelError(
            "PARAM_ERROR", f"{value[:70]!r} is not a WeChat Pay order/refund number", retryable=False
        )
    return value


RETRYABLE_CODES = {
    "SYSTEM_ERROR",
    "SYSTEMERROR",
    "FREQUENCY_LIMITED",
    "BANK_ERROR",
    "network",
    "reply_signature",
}
TRADE_STATES = {
    "SUCCESS": "paid",
    "REFUND": "refunded",
    "NOTPAY": "unpaid",
    "USERPAYING": "unpaid",
    "CLOSED": "closed",
    "REVOKED": "closed",
    "PAYERROR": "closed",
}
REFUND_STATES = {"PROCESSING": "processing", "SUCCESS": "succeeded", "CLOSED": "failed", "ABNORMAL": "failed"}
FAIL_BODY = json.dumps({"code": "FAIL", "message": "失败"}, ensure_ascii=False).encode("utf-8")


class WeChatPayChannel:
    """One WeChat Pay merchant (直连商户); see ``base.PaymentChannel`` for each method's contract."""

    name = "wechat"

    def __init__(self, config: WeChatPayConfig | None = None, clock: Callable[[], float] = time.time) -> None:
        self.config = config or WeChatPayConfig.from_settings()
        self.clock = clock
        try:
            self.client = WeChatPayClient(self.config)
        except Exception as exc:  # the library raises bare Exception when no platform certificate loads
            raise ChannelError("setup", f"WeChat Pay client: {exc}", retryable=True) from exc
        public_keys = {}
        if self.config.public_key_id:
            public_keys[self.config.public_key_id] = load_pem_public_key(
                self.config.public_key.encode("ascii")
            )
        self.keys = wechat_notice.KeyRing(
            public_keys=public_keys, certificates=self.client.platform_certificates
        )

    # -- calls -----------------------------------------------------------------------------------

    def _call(self, method: Callable[..., tuple[int, Any]], *args: Any, **kwargs: Any) -> tuple[int, Any]:
        """One library call; network trouble and unsigned replies become retryable ``ChannelError``s."""
        try:
            return method(*args, **kwargs)
        except requests.RequestException as exc:
            raise ChannelError("network", f"WeChat Pay unreachable: {exc}", retryable=True) from exc
        except Exception as exc:
            if "verify the signature" in str(exc):
                raise ChannelError(
                    "reply_signature", "a WeChat Pay reply failed signature verification", retryable=True
                ) from exc
            raise

    @staticmethod
    def _json(status: int, text: Any) -> dict[str, Any]:
        """A 2xx reply's JSON, or the ``ChannelError`` its ``{"code", "message"}`` describes."""
        try:
            data = json.loads(text) if text else {}
        except (TypeError, ValueError):
            data = {}
        if 200 <= status < 300 and isinstance(data, dict):
            return data
        code = str(data.get("code") or f"HTTP_{status}") if isinstance(data, dict) else f"HTTP_{status}"
        message = str(data.get("message") or "") if isinstance(data, dict) else ""
        raise ChannelError(
            code, message or f"HTTP {status}", retryable=status >= 500 or code in RETRYABLE_CODES
        )

    # -- PaymentChannel --------------------------------------------------------------------------

    def start(self, request: PaymentRequest) -> PayAction:
        """Prepay: a QR (Native ``code_url``), a redirect (H5 ``h5_url``) or signed JSAPI parameters."""
        if request.scene not in PAY_TYPES:
            raise ChannelError("scene", f"WeChat Pay has no scene {request.scene!r}", retryable=False)
        if not ORDER_NO.match(request.order_no) or request.amount_fen <= 0:
            raise ChannelError(
                "PARAM_ERROR", "order numbers are 6-32 of [0-9A-Za-z_-|*]; amounts > 0 fen", retryable=False
            )
        if urlsplit(request.notify_url).query:
            raise ChannelError("PARAM_ERROR", "notify_url must not have a query string", retryable=False)
        if request.scene == JSAPI and not request.openid:
            raise ChannelError("PARAM_ERROR", "JSAPI needs the payer's openid", retryable=False)
        scene_info = None
        if request.scene == H5:
            scene_info = {"payer_client_ip": request.client_ip, "h5_info": {"type": "Wap"}}
        status, text = self._call(
            self.client.pay,
            description=request.description.replace(",", "，")[:127],  # bills are CSV
            out_trade_no=request.order_no,
            amount={"total": request.amount_fen, "currency": "CNY"},
            payer={"openid": request.openid} if request.scene == JSAPI else None,
            time_expire=request.expires_at.astimezone(SHANGHAI).isoformat(timespec="seconds"),
            scene_info=scene_info,
            notify_url=request.notify_url,
            pay_type=PAY_TYPES[request.scene],
        )
        field = {NATIVE: "code_url", H5: "h5_url", JSAPI: "prepay_id"}[request.scene]
        value = str(self._json(status, text).get(field) or "")
        if not value:
            raise ChannelError("bad_reply", f"the prepay reply has no {field}", retryable=True)
        if request.scene == NATIVE:
            return PayAction(kind="qr", url=value)
        if request.scene == H5:
            if request.return_url:
                value += ("&" if "?" in value else "?") + "redirect_url=" + quote(request.return_url, safe="")
            return PayAction(kind="redirect", url=value)
        return PayAction(kind="jsapi", params=self.jsapi_params(value))

    def jsapi_params(self, prepay_id: str) -> dict[str, str]:
        """``WeixinJSBridge.invoke('getBrandWCPayRequest', …)``'s argument, signed with the merchant key."""
        timestamp = str(int(self.clock()))
        nonce = secrets.token_hex(16)
        package = f"prepay_id={prepay_id}"
        pay_sign = self.client.sign([self.config.appid, timestamp, nonce, package])
        return {
            "appId": self.config.appid,
            "timeStamp": timestamp,
            "nonceStr": nonce,
            "package": package,
            "signType": "RSA",
            "paySign": pay_sign,
        }

    def parse_notice(self, headers: Mapping[str, str], body: bytes) -> ProviderEvent:
        """Verify on the raw body, check freshness, refuse probes, decrypt, decode."""
        envelope = wechat_notice.verify(headers, body, self.keys, self.clock())
        resource = wechat_notice.decrypt(envelope["resource"], self.config.apiv3_key)
        return wechat_events.to_event(envelope, resource)

    def notice_reply(self, accepted: bool) -> tuple[int, str, bytes]:
        """Accepted: 204, no body; refused: 400 ``{"code":"FAIL","message":"失败"}`` (WeChat Pay retries)."""
        if accepted:
            return 204, "text/plain", b""
        return 400, "application/json", FAIL_BODY

    def query(self, order_no: str) -> TradeStatus:
        """``GET …/out-trade-no/{no}``; an order WeChat Pay never saw is "unpaid"."""
        status, text = self._call(self.client.query, out_trade_no=_checked_no(ORDER_NO, order_no))
        try:
            data = self._json(status, text)
        except ChannelError as exc:
            if exc.code == "ORDER_NOT_EXIST":
                return TradeStatus(
                    order_no=order_no, state="unpaid", amount_fen=0, provider_trade_no="", raw=str(text)
                )
            raise
        state = TRADE_STATES.get(str(data.get("trade_state")))
        if state is None:
            raise ChannelError("unknown_state", f"trade_state {data.get('trade_state')!r}", retryable=True)
        return TradeStatus(
            order_no=order_no,
            state=state,
            amount_fen=int((data.get("amount") or {}).get("total") or 0),
            provider_trade_no=str(data.get("transaction_id") or ""),
            raw=str(text),
        )

    def close(self, order_no: str) -> None:
        """Close an unpaid order (204); an unknown one needs no closing; a paid one raises ORDERPAID."""
        status, text = self._call(self.client.close, out_trade_no=_checked_no(ORDER_NO, order_no))
        if status == 404:
            return
        self._json(status, text)

    def refund(
        self, order_no: str, refund_no: str, refund_fen: int, total_fen: int, reason: str
    ) -> RefundResult:
        """``POST /v3/refund/domestic/refunds``; resend the same ``refund_no`` until the result is final."""
        status, text = self._call(
            self.client.refund,
            out_refund_no=_checked_no(REFUND_NO, refund_no),
            out_trade_no=_checked_no(ORDER_NO, order_no),
            amount={"refund": refund_fen, "total": total_fen, "currency": "CNY"},
            reason=reason[:80] or None,
            notify_url=self.config.refund_notify_url or None,
        )
        return self._refund_result(refund_no, status, text)

    def query_refund(self, order_no: str, refund_no: str) -> RefundResult:
        """``GET /v3/refund/domestic/refunds/{refund_no}``; unknown → ``ChannelError`` (send it again)."""
        status, text = self._call(self.client.query_refund, out_refund_no=_checked_no(REFUND_NO, refund_no))
        return self._refund_result(refund_no, status, text)

    def _refund_result(self, refund_no: str, status: int, text: Any) -> RefundResult:
        try:
            data = self._json(status, text)
        except ChannelError as exc:
            if exc.code == "RESOURCE_NOT_EXISTS" and status == 404:
                raise ChannelError(exc.code, exc.reason, retryable=True) from exc
            raise
        state = REFUND_STATES.get(str(data.get("status")))
        if state is None:
            raise ChannelError("unknown_state", f"refund status {data.get('status')!r}", retryable=True)
        return RefundResult(refund_no=refund_no, state=state, raw=str(text))

    def download_bill(self, day: date) -> list[BillLine]:
        """The day's ``ALL`` trade bill, gzip, SHA1-checked; a day without trades has none (empty)."""
        status, text = self._call(
            self.client.trade_bill, bill_date=day.isoformat(), bill_type="ALL", tar_type="GZIP"
        )
        try:
            applied = self._json(status, text)
        except ChannelError as exc:
            if exc.code == "NO_STATEMENT_EXIST":
                return []
            raise
        url = str(applied.get("download_url") or "")
        if not url.startswith(self.config.base_url + "/"):
            raise ChannelError("bill_url", f"download_url outside {self.config.base_url}", retryable=False)
        status, content = self._call(self.client.download_bill, url)
        if status != 200 or not isinstance(content, bytes):
            self._json(status, content)
            raise ChannelError("bill_download", f"HTTP {status}", retryable=True)
        data = wechat_bill.checked(
            content, str(applied.get("hash_type") or ""), str(applied.get("hash_value") or "")
        )
        return wechat_bill.parse(data)
