"""The component layer's WeChat Pay, Alipay and UnionPay sandboxes, reused by the browser tests."""

from tests.component.payments_live.conftest import (  # noqa: F401  (fixtures)
    alipay_keys,
    alipay_server,
    unionpay_pki,
    unionpay_server,
    wechat_server,
)
