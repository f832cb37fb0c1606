"""Alipay (支付宝) as a ``PaymentChannel``: page pay on PCs, wap pay on phones, through ``python-alipay-sdk``.

Requests are signed and synchronous answers verified by the SDK (RSA2, the exact
``<method>_response`` text). Notices are verified here on the form as received: every field
but ``sign`` and ``sign_type``, sorted, against Alipay's public key; then ``app_id`` and
``seller_id`` must be ours. Amounts are compared with the order by the order logic, which owns
the order (ADR 0145). A notice's ``event_id`` is the trade number and what happened (paid, closed,
or one refund request), not ``notify_id``: Alipay's retries and a TRADE_SUCCESS followed by
TRADE_FINISHED are one fact, stored once.
"""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Mapping
from datetime import date
from typing import Any

from alipay.exceptions import AliPayException, AliPayValidationError

from .alipay_bill import BillError, parse_bill_zip
from .alipay_client import AlipayConfig, GatewayAliPay, beijing_stamp, fen, parse_stamp, yuan
from .base import (
    CLOSED,
    PAGE,
    PAID,
    REFUND_SUCCEEDED,
    WAP,
    BillLine,
    ChannelError,
    NoticeRejected,
    PayAction,
    PaymentRequest,
    ProviderEvent,
    RefundResult,
    TradeStatus,
    decode_form_notice,
)

NAME = "alipay"
PAID_STATUSES = ("TRADE_SUCCESS", "TRADE_FINISHED")
RETRYABLE_SUB_CODES = ("ACQ.SYSTEM_ERROR", "isp.unknow-error", "aop.ACQ.SYSTEM_ERROR")
REFUND_REFUSALS = (
    "ACQ.TRADE_STATUS_ERROR",
    "ACQ.TRADE_NOT_ALLOW_REFUND",
    "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL",
    "ACQ.REASON_TRADE_REFUND_FEE_ERR",
    "ACQ.TRADE_HAS_FINISHED",
)
_SUBJECT_FORBIDDEN = re.compile(r"[/=&]")


class AlipayChannel:
    """One Alipay merchant app; ``config`` defaults to ``XUESHI_ALIPAY`` (read when first needed)."""

    name = NAME

    def __init__(self, config: AlipayConfig | None = None) -> None:
        self._config = config
        self._client: GatewayAliPay | None = None

    @property
    def config(self) -> AlipayConfig:
        """The merchant settings, from ``XUESHI_ALIPAY`` unless given."""
        if self._config is None:
            self._config = AlipayConfig.from_settings()
        return self._config

    @property
    def client(self) -> GatewayAliPay:
        """The SDK client (keys parsed once per channel)."""
        if self._client is None:
            self._client = GatewayAliPay(self.config)
        return self._client

    # -- paying -----------------------------------------------------------------------------------
    def start(self, request: PaymentRequest) -> PayAction:
        """Sign a cashier request; the payer's browser goes to the gateway with it (GET)."""
        if request.amount_fen <= 0:
            raise ChannelError("bad_amount", "Alipay takes 0.01 yuan or more", retryable=False)
        extra = {"time_expire": beijing_stamp(request.expires_at)}
        common = {
            "subject": _subject(request.description) or request.order_no,
            "out_trade_no": request.order_no,
            "total_amount": yuan(request.amount_fen),
            "return_url": request.return_url,
            "notify_url": request.notify_url,
        }
        if request.scene == PAGE:
            query = self.client.api_alipay_trade_page_pay(**common, **extra)
        elif request.scene == WAP:
            # Alipay's documented wap product code; the SDK's default (QUICK_WAP_PAY) is not it.
            query = self.client.api_alipay_trade_wap_pay(
                **common, **extra, product_code="QUICK_WAP_WAY", quit_url=request.return_url
            )
        else:
            raise ChannelError("unsupported_scene", f"Alipay has no {request.scene!r} scene", retryable=False)
        return PayAction(kind="redirect", url=f"{self.config.gateway}?{query}")

    # -- notices ----------------------------------------------------------------------------------
    def verified_form(self, form: Mapping[str, str]) -> dict[str, str]:
        """The form if Alipay signed it (notices and the browser's return); ``NoticeRejected`` if not."""
        data = dict(form)
        signature = data.pop("sign", "")
        if not signature:
            raise NoticeRejected("missing_signature", "no sign field")
        if data.get("sign_type", "RSA2") != "RSA2":
            raise NoticeRejected("bad_sign_type", f"sign_type {data.get('sign_type')!r} is not RSA2")
        # Alipay signs every field of a notice but sign and sign_type, empty ones too (its SDKs'
        # getSignCheckContentV1), which is what the SDK's verify checks.
        try:
            valid = self.client.verify(dict(data), signature)
        except (ValueError, TypeError, AliPayException):
            valid = False  # not Base64, wrong length: as forged as a wrong signature
        if not valid:
            raise NoticeRejected("bad_signature", "the signature does not verify with Alipay's public key")
        data.pop("sign_type", None)
        return data

    def parse_notice(self, headers: Mapping[str, str], body: bytes) -> ProviderEvent:
        """Verify an asynchronous notice (a form POST) and turn it into one event."""
        form = decode_form_notice(body)
        data = self.verified_form(form)
        if data.get("app_id") != self.config.app_id:
            raise NoticeRejected("wrong_app_id", f"app_id {data.get('app_id')!r} is not ours")
        if data.get("seller_id") != self.config.seller_id:
            raise NoticeRejected("wrong_seller_id", f"seller_id {data.get('seller_id')!r} is not ours")
        order_no, trade_no, status = (
            data.get("out_trade_no", ""),
            data.get("trade_no", ""),
            data.get("trade_status", ""),
        )
        if not order_no or not trade_no:
            raise NoticeRejected("malformed", "out_trade_no or trade_no missing")
        try:
            total = fen(data.get("total_amount", ""))
        except ValueError:
            raise NoticeRejected("bad_amount", f"total_amount {data.get('total_amount')!r}") from None
        raw = body.decode("utf-8")
        common: dict[str, Any] = {
            "provider": NAME,
            "order_no": order_no,
            "merchant_id": data["seller_id"],
            "app_id": data["app_id"],
            "provider_trade_no": trade_no,
            "raw": raw,
        }
        refund_no = data.get("out_biz_no", "")
        if refund_no and data.get("refund_fee"):
            try:
                refunded = fen(data["refund_fee"])
            except ValueError:
                raise NoticeRejected("bad_amount", f"refund_fee {data['refund_fee']!r}") from None
            # amount_fen of a refund notice: the total refunded so far, as Alipay reports it.
            return ProviderEvent(
                event_id=f"{trade_no}:refund:{refund_no}",
                kind=REFUND_SUCCEEDED,
                amount_fen=refunded,
                refund_no=refund_no,
                occurred_at=parse_stamp(data.get("gmt_refund", "")),
                **common,
            )
        if status in PAID_STATUSES:
            when = parse_stamp(data.get("gmt_payment", ""))
            return ProviderEvent(
                event_id=f"{trade_no}:paid", kind=PAID, amount_fen=total, occurred_at=when, **common
            )
        if status == "TRADE_CLOSED":
            when = parse_stamp(data.get("gmt_close", ""))
            return ProviderEvent(
                event_id=f"{trade_no}:closed", kind=CLOSED, amount_fen=total, occurred_at=when, **common
            )
        raise NoticeRejected("ignored_status", f"trade_status {status!r} changes nothing")

    def notice_reply(self, accepted: bool) -> tuple[int, str, bytes]:
        """Alipay stops retrying only on a body of exactly ``success``."""
        return 200, "text/plain; charset=utf-8", b"success" if accepted else b"failure"

    # -- queries ----------------------------------------------------------------------------------
    def _call(self, method: str, biz: dict[str, str]) -> dict[str, Any]:
        """One server API call, its signed answer verified; ``ChannelError`` for any failure but 40004."""
        try:
            answer = dict(self.client.server_api(method, biz))
        except AliPayValidationError:
            raise ChannelError(
                "bad_signature", f"{method}: answer not signed by Alipay", retryable=True
            ) from None
        except AliPayException as error:
            raise ChannelError("gateway_refused", f"{method}: {error}", retryable=False) from None
        except (OSError, ValueError) as error:
            raise ChannelError("network", f"{method}: {error}", retryable=True) from None
        code, sub_code = str(answer.get("code", "")), str(answer.get("sub_code", ""))
        if code == "10000" or code == "40004":
            return answer
        retryable = code == "20000" or sub_code in RETRYABLE_SUB_CODES
        raise ChannelError(
            sub_code or code, f"{method}: {answer.get('sub_msg') or answer.get('msg')}", retryable=retryable
        )

    def query(self, order_no: str) -> TradeStatus:
        """``alipay.trade.query``; a trade Alipay never opened is "unpaid"."""
        answer = self._call("alipay.trade.query", {"out_trade_no": order_no})
        raw = repr(answer)
        if answer["code"] == "40004":
            if answer.get("sub_code") == "ACQ.TRADE_NOT_EXIST":
                return TradeStatus(order_no, "unpaid", 0, "", raw)
            raise _business(answer, "alipay.trade.query")
        if answer.get("out_trade_no") != order_no:
            raise ChannelError(
                "mismatch", f"asked for {order_no}, got {answer.get('out_trade_no')}", retryable=False
            )
        status = answer.get("trade_status")
        if status in PAID_STATUSES:
            state = "paid"
        elif status == "TRADE_CLOSED":
            state = "refunded" if answer.get("send_pay_date") else "closed"
        else:
            state = "unpaid"
        return TradeStatus(
            order_no, state, fen(str(answer.get("total_amount", "0"))), str(answer.get("trade_no", "")), raw
        )

    def close(self, order_no: str) -> None:
        """``alipay.trade.close``; a trade Alipay never opened needs no closing."""
        answer = self._call("alipay.trade.close", {"out_trade_no": order_no})
        if answer["code"] == "40004" and answer.get("sub_code") != "ACQ.TRADE_NOT_EXIST":
            raise _business(answer, "alipay.trade.close")

    def refund(
        self, order_no: str, refund_no: str, refund_fen: int, total_fen: int, reason: str
    ) -> RefundResult:
        """``alipay.trade.refund``, ``out_request_no = refund_no``: sent again, it refunds nothing more."""
        if not 0 < refund_fen <= total_fen:
            raise ChannelError("bad_amount", f"refund {refund_fen} of {total_fen} fen", retryable=False)
        biz = {"out_trade_no": order_no, "out_request_no": refund_no, "refund_amount": yuan(refund_fen)}
        if reason:
            biz["refund_reason"] = reason[:256]
        answer = self._call("alipay.trade.refund", biz)
        if answer["code"] == "40004":
            if answer.get("sub_code") in REFUND_REFUSALS:
                return RefundResult(refund_no, "failed", repr(answer))
            raise _business(answer, "alipay.trade.refund")
        return RefundResult(refund_no, "succeeded", repr(answer))

    def query_refund(self, order_no: str, refund_no: str) -> RefundResult:
        """``alipay.trade.fastpay.refund.query``: no refund fields means not refunded (send it again)."""
        biz = {"out_trade_no": order_no, "out_request_no": refund_no}
        answer = self._call("alipay.trade.fastpay.refund.query", biz)
        if answer["code"] == "40004":
            raise _business(answer, "alipay.trade.fastpay.refund.query")
        if answer.get("refund_amount") and answer.get("refund_status", "REFUND_SUCCESS") == "REFUND_SUCCESS":
            return RefundResult(refund_no, "succeeded", repr(answer))
        return RefundResult(refund_no, "processing", repr(answer))

    def download_bill(self, day: date) -> list[BillLine]:
        """``day``'s trade bill: a signed answer names a URL (valid 30 s), the zip is parsed and checked."""
        answer = self._call(
            "alipay.data.dataservice.bill.downloadurl.query",
            {"bill_type": "trade", "bill_date": day.isoformat()},
        )
        if answer["code"] == "40004":
            raise _business(answer, "alipay.data.dataservice.bill.downloadurl.query")
        url = str(answer.get("bill_download_url", ""))
        if not url.startswith(("https://", "http://")):
            raise ChannelError("bad_bill_url", f"bill URL {url[:80]!r}", retryable=False)
        try:
            with urllib.request.urlopen(url, timeout=self.config.timeout) as response:  # noqa: S310 (scheme checked)
                data = response.read()
        except OSError as error:
            raise ChannelError("network", f"bill download: {error}", retryable=True) from None
        try:
            return parse_bill_zip(data)
        except (BillError, UnicodeDecodeError) as error:
            raise ChannelError("bad_bill", str(error), retryable=True) from None


def _subject(description: str) -> str:
    """The payer's bill line: Alipay forbids ``/``, ``=`` and ``&`` in ``subject``; 256 characters at most."""
    return " ".join(_SUBJECT_FORBIDDEN.sub(" ", description).split())[:256]


def _business(answer: Mapping[str, Any], method: str) -> ChannelError:
    sub_code = str(answer.get("sub_code", ""))
    return ChannelError(
        sub_code, f"{method}: {answer.get('sub_msg', '')}", retryable=sub_code in RETRYABLE_SUB_CODES
    )
