"""UnionPay online banking (银联网关支付, ACP 5.1.0) as a ``PaymentChannel``.

``start`` returns a signed form the payer's browser posts to ``frontTransReq.do`` (consume,
txnType 01); UnionPay posts a signed notice to ``backUrl`` and counts it delivered on HTTP 200
or 302. Every reply and notice is verified against the certificate it carries
(``signPubKeyCert``), which must chain to the configured middle and root certificates and name
UnionPay. ``queryTrans`` answers queries; refunds are ``backTransReq`` (txnType 04) against the
payment's ``queryId``; ``fileTransfer`` fetches the reconciliation file (ADR 0163). ACP has no
"close": an unpaid order ends at the ``payTimeout`` sent with it (ADR 0160). Amounts are
compared with the order by the order logic (as for Alipay, ADR 0145).
"""

from __future__ import annotations

import urllib.request
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from .base import (
    H5,
    PAGE,
    PAID,
    REFUND_SUCCEEDED,
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
from .unionpay_bill import BillError, parse_bill
from .unionpay_config import BACK_PATH, FRONT_PATH, QUERY_PATH, TxnTimes, UnionPayConfig
from .unionpay_forms import BEIJING, beijing_stamp, check_order_id, parse_stamp
from .unionpay_signing import CertificateRefused, cert_id, parse_reply, sign, unionpay_key, verify

NAME = "unionpay"
SUCCESS_CODES = ("00", "A6")  # A6: "有缺陷的成功", money moved
PENDING_CODES = ("03", "04", "05")  # timeout, state unknown, accepted: ask again later
RETRYABLE_CODES = (*PENDING_CODES, "06")  # 06: system busy
CHANNEL_TYPES = {PAGE: "07", H5: "08"}  # 07 PC, 08 mobile
MAX_REPLY_BYTES = 96 * 1024 * 1024  # a fileTransfer reply carries the whole day's file


class UnionPayChannel:
    """One UnionPay merchant; ``config`` defaults to ``XUESHI_UNIONPAY`` (read when first needed)."""

    name = NAME

    def __init__(self, config: UnionPayConfig | None = None, txn_times: TxnTimes | None = None) -> None:
        self._config = config
        self.txn_times = txn_times or TxnTimes()

    @property
    def config(self) -> UnionPayConfig:
        """The merchant settings, from ``XUESHI_UNIONPAY`` unless given.

        Missing or unreadable keys are ``ChannelError("not_ready")``: checkout shows an error page
        and notices get a 503 (UnionPay resends), as for the other channels (ADR 0135).
        """
        if self._config is None:
            try:
                self._config = UnionPayConfig.from_settings()
            except (ValueError, OSError) as error:
                raise ChannelError("not_ready", f"XUESHI_UNIONPAY: {error}", retryable=True) from None
        return self._config

    def _signed(self, fields: dict[str, str]) -> dict[str, str]:
        common = {
            "version": "5.1.0",
            "encoding": "UTF-8",
            "signMethod": "01",
            "accessType": "0",
            "merId": self.config.mer_id,
            "certId": cert_id(self.config.sign_cert),
        }
        data = {**common, **fields}
        return {**data, "signature": sign(self.config.sign_key, data)}

    # -- paying -----------------------------------------------------------------------------------
    def start(self, request: PaymentRequest) -> PayAction:
        """A signed consume form (txnType 01) for the browser to post to the front gateway."""
        if request.amount_fen <= 0:
            raise ChannelError("bad_amount", "UnionPay takes 1 fen or more", retryable=False)
        if request.scene not in CHANNEL_TYPES:
            raise ChannelError(
                "unsupported_scene", f"UnionPay has no {request.scene!r} scene", retryable=False
            )
        check_order_id(request.order_no)
        # The order's own txnTime (ADR 0165) wins; Redis keeps it too, with the backUrl refunds reuse.
        kept, _ = self.txn_times.remember(
            request.order_no, request.sent_at or beijing_stamp(datetime.now(BEIJING)), request.notify_url
        )
        txn_time = request.sent_at or kept
        fields = {
            "bizType": "000201",
            "txnType": "01",
            "txnSubType": "01",
            "channelType": CHANNEL_TYPES[request.scene],
            "currencyCode": "156",
            "orderId": request.order_no,
            "txnTime": txn_time,
            "txnAmt": str(request.amount_fen),
            "payTimeout": beijing_stamp(request.expires_at),
            "frontUrl": request.return_url,
            "backUrl": request.notify_url,
        }
        return PayAction(
            kind="form", url=self.config.gateway + FRONT_PATH, params=self._signed(fields), sent_at=txn_time
        )

    # -- notices ----------------------------------------------------------------------------------
    def verified(self, form: Mapping[str, str]) -> dict[str, str]:
        """``form`` if UnionPay signed it (notices, front returns, replies); ``NoticeRejected`` if not."""
        data = dict(form)
        if not data.get("signature"):
            raise NoticeRejected("missing_signature", "no signature field")
        if data.get("signMethod") != "01" or data.get("version") != "5.1.0":
            raise NoticeRejected("bad_sign_method", "only version 5.1.0 with signMethod 01 is accepted")
        config = self.config
        try:
            key = unionpay_key(
                data.get("signPubKeyCert", ""),
                config.middle_cert,
                config.root_cert,
                accept_test_cn=config.accept_test_cn,
            )
        except CertificateRefused as refused:
            raise NoticeRejected(refused.code, refused.reason) from None
        if not (verify(key, data) or verify(key, _lf_certificate(data))):
            raise NoticeRejected("bad_signature", "the signature does not verify with signPubKeyCert")
        return data

    #: The payer comes back by a form POST (``frontUrl``), not a GET: checkout gives it its own URL.
    returns_by_post = True

    def verified_return(self, body: bytes) -> str:
        """The order number of a front return UnionPay signed for our merchant; ``NoticeRejected`` if not."""
        data = self.verified(decode_form_notice(body))
        if data.get("merId") != self.config.mer_id:
            raise NoticeRejected("wrong_mer_id", f"merId {data.get('merId')!r} is not ours")
        return data.get("orderId", "")

    def parse_notice(self, headers: Mapping[str, str], body: bytes) -> ProviderEvent:
        """Verify a back-end notice (a form POST) and turn it into one event."""
        data = self.verified(decode_form_notice(body))
        if data.get("merId") != self.config.mer_id:
            raise NoticeRejected("wrong_mer_id", f"merId {data.get('merId')!r} is not ours")
        if data.get("respCode") not in SUCCESS_CODES:
            raise NoticeRejected("ignored_status", f"respCode {data.get('respCode')!r} changes nothing")
        amount, query_id = data.get("txnAmt", ""), data.get("queryId", "")
        if not amount.isdigit() or not amount.isascii():
            raise NoticeRejected("bad_amount", f"txnAmt {amount!r}")
        if not data.get("orderId") or not query_id:
            raise NoticeRejected("malformed", "orderId or queryId missing")
        common: dict[str, Any] = {
            "provider": NAME,
            "amount_fen": int(amount),
            "merchant_id": data["merId"],
            "app_id": "",
            "raw": body.decode("ascii"),
            "occurred_at": parse_stamp(data.get("txnTime", "")),
        }
        if data.get("txnType") == "01":
            order = data["orderId"]
            return ProviderEvent(
                event_id=f"{query_id}:paid", kind=PAID, order_no=order, provider_trade_no=query_id, **common
            )
        if data.get("txnType") == "04":
            # A refund's orderId is the refund number; the order's own number is echoed in reqReserved.
            return ProviderEvent(
                event_id=f"{data.get('origQryId', '')}:refund:{data['orderId']}",
                kind=REFUND_SUCCEEDED,
                order_no=data.get("reqReserved", ""),
                provider_trade_no=data.get("origQryId", ""),
                refund_no=data["orderId"],
                **common,
            )
        raise NoticeRejected("ignored_status", f"txnType {data.get('txnType')!r} changes nothing")

    def notice_reply(self, accepted: bool) -> tuple[int, str, bytes]:
        """UnionPay stops resending on HTTP 200 (or 302); anything else asks for a retry."""
        return (200, "text/plain; charset=utf-8", b"ok") if accepted else (400, "text/plain", b"rejected")

    # -- back-end calls ---------------------------------------------------------------------------
    def _call(self, path: str, fields: dict[str, str], *, url: str = "") -> dict[str, str]:
        """POST a signed request, verify the signed reply; ``ChannelError`` if it cannot be trusted."""
        body = urlencode(self._signed(fields)).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 (the gateway URL is the operator's setting)
            url or self.config.gateway + path,
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.config.timeout) as response:  # noqa: S310
                text = response.read(MAX_REPLY_BYTES).decode("utf-8")
            reply = parse_reply(text)
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise ChannelError("network", f"{path}: {error}", retryable=True) from None
        if not reply.get(
            "signature"
        ):  # UnionPay leaves refusals of the request itself unsigned (10, 11, 13, 31)
            code = reply.get("respCode") or "unsigned"
            raise ChannelError(code, f"{path or url}: {reply.get('respMsg', '')}", retryable=False)
        try:
            self.verified(reply)
        except NoticeRejected as rejected:
            raise ChannelError(
                rejected.code, f"{path}: reply not signed by UnionPay", retryable=True
            ) from None
        return reply

    def _query(self, order_id: str, sent_at: str = "") -> dict[str, str] | None:
        """``queryTrans`` for one orderId; ``None`` if we never sent it or UnionPay has none (34).

        ``sent_at``: the txnTime the order kept (ADR 0165); else the one Redis kept (ADR 0161).
        """
        sent = (sent_at, "") if sent_at else self.txn_times.recall(order_id)
        if sent is None:
            return None
        fields = {
            "bizType": "000000",
            "txnType": "00",
            "txnSubType": "00",
            "orderId": order_id,
            "txnTime": sent[0],
        }
        reply = self._call(QUERY_PATH, fields)
        code = reply.get("respCode", "")
        if code == "34":
            return None
        if code != "00":
            raise ChannelError(
                code, f"queryTrans: {reply.get('respMsg', '')}", retryable=code in RETRYABLE_CODES
            )
        return reply

    def query(self, order_no: str, sent_at: str = "") -> TradeStatus:
        """Paid (origRespCode 00/A6) or unpaid; ACP's query cannot say "refunded" or "closed"."""
        reply = self._query(order_no, sent_at)
        if reply is None:
            return TradeStatus(order_no, "unpaid", 0, "", "")
        state = "paid" if reply.get("origRespCode") in SUCCESS_CODES else "unpaid"
        amount = reply.get("txnAmt", "0")
        return TradeStatus(
            order_no,
            state,
            int(amount) if amount.isdigit() else 0,
            reply.get("queryId", ""),
            urlencode(reply),
        )

    def close(self, order_no: str, sent_at: str = "") -> None:
        """ACP has no close: the ``payTimeout`` sent with the order ends it. Refuse only if already paid."""
        if self.query(order_no, sent_at).state == "paid":
            raise ChannelError("already_paid", f"{order_no} is paid at UnionPay", retryable=False)

    def refund(
        self,
        order_no: str,
        refund_no: str,
        refund_fen: int,
        total_fen: int,
        reason: str,
        sent_at: str = "",
        refund_sent_at: str = "",
    ) -> RefundResult:
        """``backTransReq`` txnType 04; the same ``refund_no`` reuses its ``txnTime``: one refund.

        ACP refunds carry no reason field; ``reason`` stays in Xueshi's own records. The refund's
        ``txnTime`` is the one the refund row kept (``refund_sent_at``), else the one Redis kept,
        else a new one; the result carries it back (``RefundResult.sent_at``) for the row to keep.
        """
        if not 0 < refund_fen <= total_fen:
            raise ChannelError("bad_amount", f"refund {refund_fen} of {total_fen} fen", retryable=False)
        check_order_id(refund_no)
        paid = self._query(order_no, sent_at)
        if paid is None or paid.get("origRespCode") not in SUCCESS_CODES:
            return RefundResult(refund_no, "failed", "the order is not paid at UnionPay")
        sent = self.txn_times.recall(order_no)
        txn_time, _ = self.txn_times.remember(
            refund_no, refund_sent_at or beijing_stamp(datetime.now(BEIJING)), sent[1] if sent else ""
        )
        txn_time = refund_sent_at or txn_time
        fields = {
            "bizType": "000201",
            "txnType": "04",
            "txnSubType": "00",
            "channelType": "07",
            "orderId": refund_no,
            "txnTime": txn_time,
            "txnAmt": str(refund_fen),
            "origQryId": paid.get("queryId", ""),
            "backUrl": sent[1] if sent else "",
            "reqReserved": order_no,
        }
        reply = self._call(BACK_PATH, fields)
        code = reply.get("respCode", "")
        if code == "00" or code in PENDING_CODES:
            return RefundResult(refund_no, "processing", urlencode(reply), txn_time)
        if code == "12":  # this refundId and txnTime were sent before: its state is the answer
            return self.query_refund(order_no, refund_no, sent_at, refund_sent_at=txn_time)
        if code == "06":
            raise ChannelError(code, f"refund: {reply.get('respMsg', '')}", retryable=True)
        return RefundResult(refund_no, "failed", urlencode(reply), txn_time)

    def query_refund(
        self, order_no: str, refund_no: str, sent_at: str = "", refund_sent_at: str = ""
    ) -> RefundResult:
        """``queryTrans`` for the refund's orderId: 00 succeeded, pending or unknown is "processing".

        ``sent_at`` is the payment's txnTime, unused here; the refund's own is ``refund_sent_at``
        (kept on the refund row), else the one Redis kept (refunds sent before ADR 0167).
        """
        reply = self._query(refund_no, refund_sent_at)
        if reply is None:
            return RefundResult(refund_no, "processing", "")  # never reached UnionPay: send it again
        code = reply.get("origRespCode", "")
        state = "succeeded" if code in SUCCESS_CODES else "processing" if code in PENDING_CODES else "failed"
        return RefundResult(refund_no, state, urlencode(reply), refund_sent_at)

    def download_bill(self, day: date) -> list[BillLine]:
        """``fileTransfer`` (txnType 76) for ``day``'s settlement (settleDate MMDD): the ZM file, parsed."""
        fields = {
            "bizType": "000000",
            "txnType": "76",
            "txnSubType": "01",
            "settleDate": day.strftime("%m%d"),
            "fileType": "00",
            "txnTime": beijing_stamp(datetime.now(BEIJING)),
        }
        reply = self._call("", fields, url=self.config.file_url)
        code = reply.get("respCode", "")
        if code != "00":
            raise ChannelError(
                code, f"fileTransfer: {reply.get('respMsg', '')}", retryable=code in RETRYABLE_CODES
            )
        try:
            return parse_bill(reply.get("fileContent", ""), day, self.config.mer_id)
        except BillError as error:
            raise ChannelError("bad_bill", str(error), retryable=True) from None


def _lf_certificate(data: dict[str, str]) -> dict[str, str]:
    """``data`` with LF line ends in ``signPubKeyCert`` (the front return's browser re-encoding undone).

    A browser posting the front return turns LF into CRLF (HTML form encoding), so text UnionPay
    signed with LF arrives altered in that one field. Only line ends change; the certificate
    itself was already checked.
    """
    return {**data, "signPubKeyCert": data.get("signPubKeyCert", "").replace("\r\n", "\n")}
