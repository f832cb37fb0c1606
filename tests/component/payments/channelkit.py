"""A channel for tests of the merchant/app id comparison: the bank-transfer channel with ids set.

Real channels (WeChat Pay, Alipay) expose their configured ids the same way; this keeps the
comparison tested without their sandboxes.
"""

from xueshi_payments.channels.transfer import BankTransferChannel


class MerchantTransfer(BankTransferChannel):
    """Bank transfer, claiming a merchant and an app id."""

    merchant_id = "1900000109"
    app_id = "wxd678efh567hg6787"
