"""Bank transfer (对公转账): the one channel that is all ours.

An employer's finance office pays by transfer to the training provider's account, writing the
order number as the reference. Nothing tells us automatically: the payer uploads the bank's
receipt (``transfers.upload_receipt``), an operator finds the money on the account and confirms
it (``transfers.confirm``: the order becomes paid and its learners are enrolled) or rejects the
receipt with a reason. So this channel has no notices, no queries and no bills; a refund is an
outgoing transfer the operator makes at the bank, recorded as done when the operator asks for it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date

from django.utils.translation import gettext_lazy as _

from .. import conf
from .base import (
    BillLine,
    ChannelInfo,
    NoticeRejected,
    PayAction,
    PaymentRequest,
    ProviderEvent,
    RefundResult,
    TradeStatus,
)

NAME = "transfer"


class BankTransferChannel:
    """``PaymentChannel`` for bank transfers confirmed by an operator."""

    name = NAME
    info = ChannelInfo(name=NAME, label=_("Bank transfer (corporate account)"), scenes=())

    def start(self, request: PaymentRequest) -> PayAction:
        """Show the payee account and the reference to write on the transfer."""
        params = dict(conf.transfer_account())
        params["reference"] = request.order_no
        return PayAction(kind="transfer", params=params)

    def parse_notice(self, headers: Mapping[str, str], body: bytes) -> ProviderEvent:
        """Banks send us nothing: every "notice" is refused."""
        raise NoticeRejected("no_notices", "bank transfers are confirmed by an operator, not by notices")

    def notice_reply(self, accepted: bool) -> tuple[int, str, bytes]:
        """A plain JSON answer (nobody but a stray caller ever reaches it)."""
        body = json.dumps({"code": "FAIL", "message": "bank transfers take no notices"}).encode()
        return (404, "application/json", body)

    def query(self, order_no: str) -> TradeStatus:
        """Unknown until an operator confirms: always "unpaid" here."""
        return TradeStatus(order_no=order_no, state="unpaid", amount_fen=0, provider_trade_no="", raw="")

    def close(self, order_no: str) -> None:
        """Nothing to close at a bank."""

    def refund(
        self, order_no: str, refund_no: str, refund_fen: int, total_fen: int, reason: str
    ) -> RefundResult:
        """The operator transfers the money back at the bank; recording it is the refund."""
        raw = json.dumps(
            {"offline_refund": refund_no, "fen": refund_fen, "reason": reason}, ensure_ascii=False
        )
        return RefundResult(refund_no=refund_no, state="succeeded", raw=raw)

    def query_refund(self, order_no: str, refund_no: str) -> RefundResult:
        """Offline refunds are final when recorded."""
        return RefundResult(refund_no=refund_no, state="succeeded", raw="")

    def download_bill(self, day: date) -> list[BillLine]:
        """No bill: transfers are reconciled against the bank statement by the finance office."""
        return []
