"""The gateway's logic: check a request as UnionPay does, then consume, pay, query or refund.

Checks, in order: ``version`` 5.1.0, ``encoding`` UTF-8, ``signMethod`` 01 and the fields the
transaction needs (respCode 13 "报文交易要素缺失" / 10 "报文格式错误"), a known ``merId``, a
``certId`` equal to that merchant's certificate serial and a signature by its key (11 "验证签名
失败"; these three refusals are unsigned, as UnionPay's are). A transaction is keyed by
(merId, orderId, txnTime): the same key with other terms is 12 "重复交易". Replies and notices are
signed by UnionPay's signing key and carry ``signPubKeyCert``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from sandbox.formserver import Response

from . import acp, pages, pki, state
from .notifier import Notifier

COMMON = (
    "version",
    "encoding",
    "signMethod",
    "certId",
    "signature",
    "merId",
    "txnType",
    "txnSubType",
    "bizType",
    "accessType",
    "txnTime",
)
NEEDS = {
    "frontTransReq": ("orderId", "txnAmt", "currencyCode", "backUrl", "channelType"),
    "backTransReq": ("orderId", "txnAmt", "origQryId", "backUrl", "channelType"),
    "queryTrans": ("orderId",),
    "fileTransfer": ("settleDate", "fileType"),
}
TXN_TYPES = {
    "frontTransReq": ("01",),
    "backTransReq": ("04",),
    "queryTrans": ("00",),
    "fileTransfer": ("76",),
}


class Refused(Exception):
    """A refusal with an ACP respCode; ``signed`` when UnionPay would sign it."""

    def __init__(self, code: str, message: str, *, signed: bool = True) -> None:
        super().__init__(f"{code} {message}")
        self.code, self.message, self.signed = code, message, signed


class UnionPayGateway:
    """All state of one sandbox gateway."""

    def __init__(
        self, chain: pki.Chain, merchants: Iterable[state.Merchant], *, time_scale: float = 1.0
    ) -> None:
        self.chain = chain
        self.merchants = {m.mer_id: m for m in merchants}
        self.lock = threading.RLock()
        self.controls = state.Controls()
        self.txns: dict[tuple[str, str, str], state.Txn] = {}
        self.received: list[dict[str, str]] = []
        self.notifier = Notifier(lambda: self.controls, self.lock, time_scale)
        self.time_scale = time_scale

    def signed(self, params: dict[str, str]) -> dict[str, str]:
        """``params`` with ``signPubKeyCert`` and UnionPay's ``signature``."""
        # CRLF line ends: a browser re-posting the front return turns LF into CRLF, which would
        # change the signed text. (Whether UnionPay itself sends CRLF is unverified.)
        data = {**params, "signPubKeyCert": pki.pem(self.chain.signer.cert).replace("\n", "\r\n")}
        return {**data, "signature": acp.sign(self.chain.signer.key, data)}

    def check(self, api: str, form: dict[str, str]) -> state.Merchant:
        """The merchant whose signed, complete request ``form`` is; ``Refused`` otherwise."""
        missing = [name for name in (*COMMON, *NEEDS[api]) if not form.get(name)]
        if missing:
            raise Refused("13", f"报文交易要素缺失 {','.join(missing)}", signed=False)
        if form["version"] != "5.1.0" or form["encoding"].upper() != "UTF-8" or form["signMethod"] != "01":
            raise Refused("10", "报文格式错误 version/encoding/signMethod", signed=False)
        merchant = self.merchants.get(form["merId"])
        if merchant is None:
            raise Refused("31", "商户状态不正确", signed=False)
        public_key = merchant.cert.public_key()
        if form["certId"] != merchant.cert_id or not acp.verify(public_key, form):  # type: ignore[arg-type]
            raise Refused("11", "验证签名失败", signed=False)
        if form["txnType"] not in TXN_TYPES[api]:
            raise Refused("10", f"报文格式错误 txnType {form['txnType']}")
        try:
            state.parse_stamp(form["txnTime"])
        except ValueError:
            raise Refused("10", "报文格式错误 txnTime") from None
        amount = form.get("txnAmt", "")
        if "txnAmt" in NEEDS[api] and not (amount.isascii() and amount.isdigit() and int(amount) > 0):
            raise Refused("10", "报文格式错误 txnAmt")
        return merchant

    def log(self, api: str, form: dict[str, str], code: str) -> None:
        with self.lock:
            entry = {k: form.get(k, "") for k in ("merId", "orderId", "txnType")}
            self.received.append({"at": state.stamp(state.now()), "api": api, **entry, "respCode": code})

    def notify(self, txn: state.Txn, resp_code: str = "00") -> None:
        """Send a signed back-end notice about ``txn`` to its ``backUrl``."""
        if not txn.back_url:
            return
        self.notifier.send(txn.back_url, self.signed(self.result_fields(txn, resp_code)))

    def result_fields(self, txn: state.Txn, resp_code: str) -> dict[str, str]:
        """The fields of a notice or front return about ``txn``."""
        fields = {
            "version": "5.1.0",
            "encoding": "UTF-8",
            "signMethod": "01",
            "certId": str(self.chain.signer.cert.serial_number),
            "accessType": "0",
            "bizType": "000201",
            "txnType": txn.txn_type,
            "txnSubType": "01" if txn.txn_type == "01" else "00",
            "merId": txn.mer_id,
            "orderId": txn.order_id,
            "txnTime": txn.txn_time,
            "txnAmt": str(txn.amount_fen),
            "currencyCode": "156",
            "queryId": txn.query_id,
            "traceNo": txn.query_id[-6:],
            "traceTime": txn.txn_time[4:],
            "settleDate": txn.settle_date,
            "settleAmt": str(txn.amount_fen),
            "settleCurrencyCode": "156",
            "respCode": resp_code,
            "respMsg": "成功[0000000]" if resp_code == "00" else "失败",
        }
        if txn.txn_type == "01":
            fields.update(accNo="6216***********0018", payCardType="01")
        else:
            fields.update(origQryId=txn.orig_qry_id, reqReserved=txn.req_reserved)
        return fields

    def reply(
        self,
        api: str,
        form: dict[str, str],
        code: str,
        message: str,
        extra: dict[str, str] | None = None,
        *,
        signed: bool = True,
    ) -> Response:
        """A back-end reply: echo the request's key fields, respCode/respMsg, signed unless refused early."""
        self.log(api, form, code)
        params = {
            k: form[k]
            for k in (
                "version",
                "encoding",
                "bizType",
                "txnType",
                "txnSubType",
                "accessType",
                "merId",
                "orderId",
                "txnTime",
            )
            if form.get(k)
        }
        params.update(signMethod="01", respCode=code, respMsg=message, **(extra or {}))
        if signed:
            params = {**params, "certId": str(self.chain.signer.cert.serial_number)}
            params = self.signed(params)
        return Response(200, "text/plain;charset=UTF-8", acp.reply_text(params).encode("utf-8"))

    def refused_page(self, api: str, form: dict[str, str], refused: Refused) -> Response:
        self.log(api, form, refused.code)
        return pages.error_page(refused.code, refused.message)
