"""The component layer's WeChat Pay and Alipay sandboxes, reused by the browser tests."""

from tests.component.payments_live.conftest import (  # noqa: F401  (fixtures)
    alipay_keys,
    alipay_server,
    wechat_server,
)
