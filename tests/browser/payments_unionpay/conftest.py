"""The component layer's UnionPay sandbox, merchant channel and notify/return receiver, reused."""

from tests.component.payments_unionpay.conftest import channel, pki_set, receiver, sandbox, txn_times  # noqa: F401
