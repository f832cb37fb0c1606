"""A channel for tests of the merchant/app id comparison: the bank-transfer channel with ids set.

Real channels (WeChat Pay, Alipay) expose their configured ids the same way; this keeps the
comparison tested without their sandboxes.
"""

from xueshi_payments.channels.transfer import BankTransferChannel


class MerchantTransfer(BankTransferChannel):
    """Bank transfer, claiming a merchant and an app id."""

    merchant_id = "1900000109"
    app_id = "wxd678efh567hg6787"


class SignedNoticeTransfer(BankTransferChannel):
    """Bank transfer that also takes notices signed with HMAC-SHA256 over the raw body.

    Only for testing the notify endpoint's plumbing (raw body in, event once, the channel's own
    replies out) before the WeChat Pay and Alipay channels, whose signatures their sandboxes test.
    """

    name = "signedtest"
    key = b""

    def parse_notice(self, headers, body):
        import hashlib
        import hmac
        import json

        from xueshi_payments.channels.base import NoticeRejected, ProviderEvent

        expected = hmac.new(self.key, body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, headers.get("X-Signature", "")):
            raise NoticeRejected("bad_signature", "signature does not match the body")
        data = json.loads(body)
        return ProviderEvent(
            provider=self.name,
            event_id=data["id"],
            kind=data["kind"],
            order_no=data["order_no"],
            amount_fen=int(data["amount"]),
            merchant_id="",
            app_id="",
            provider_trade_no=data["trade_no"],
            raw=body.decode(),
        )

    def notice_reply(self, accepted):
        if accepted:
            return (204, "text/plain", b"")
        return (400, "application/json", b'{"code": "FAIL", "message": "refused"}')


class FlakyRefunds(BankTransferChannel):
    """Bank transfer whose refunds behave like an online provider's: unanswered, then accepted, then final.

    ``script`` is consumed one answer per call; every call's refund number is recorded.
    """

    script: list = []
    calls: list = []

    def _next(self, refund_no):
        from xueshi_payments.channels.base import ChannelError, RefundResult

        self.calls.append(refund_no)
        answer = self.script.pop(0)
        if answer == "timeout":
            raise ChannelError("timeout", "no answer", retryable=True)
        return RefundResult(refund_no=refund_no, state=answer, raw=f'{{"state": "{answer}"}}')

    def refund(self, order_no, refund_no, refund_fen, total_fen, reason):
        return self._next(refund_no)

    def query_refund(self, order_no, refund_no):
        return self._next(refund_no)
