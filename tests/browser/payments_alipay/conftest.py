"""The component layer's Alipay sandbox, merchant channel and notify/return receiver, reused."""

from tests.component.payments_alipay.conftest import channel, keys, receiver, sandbox  # noqa: F401
