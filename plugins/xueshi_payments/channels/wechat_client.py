"""``wechatpayv3`` pointed at a chosen API base URL (production, backup domain or the sandbox).

The library hard-codes ``https://api.mch.weixin.qq.com`` in ``Core.__init__`` (``self._gate_way``)
and, in certificate mode, downloads ``/v3/certificates`` from there inside the same constructor,
so setting the attribute afterwards is too late. ``_Core`` sets it again just before that first
download, and ``WeChatPayClient`` builds its ``_Core`` instead of the stock one. Everything else
(request signing, reply verification, the API methods) is the library's own. ADR 0140.
"""

from __future__ import annotations

import logging
from typing import Any

from wechatpayv3 import WeChatPay, WeChatPayType
from wechatpayv3.core import Core

from .wechat_config import WeChatPayConfig

log = logging.getLogger(__name__)


class _Core(Core):
    """The library's core with its gateway replaced before anything is fetched."""

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        self._xueshi_base_url = base_url
        super().__init__(**kwargs)
        self._gate_way = base_url

    def _init_certificates(self) -> None:
        self._gate_way = self._xueshi_base_url
        super()._init_certificates()

    def request(self, path: str, *args: Any, **kwargs: Any) -> Any:
        """The library's request, with each call's path and status logged."""
        code, text = super().request(path, *args, **kwargs)
        log.info("wechatpay %s -> %s", path.split("?")[0], code)
        return code, text


class WeChatPayClient(WeChatPay):
    """``WeChatPay`` for one merchant (直连商户) at ``config.base_url``.

    ``WeChatPay.__init__`` only stores its arguments and builds a ``Core``; this does the same with
    ``_Core`` (the attribute names are the library's, pinned by ``requirements``).
    """

    def __init__(self, config: WeChatPayConfig) -> None:
        self._type = WeChatPayType.NATIVE  # every call below names its own pay_type
        self._mchid = config.mchid
        self._appid = config.appid
        self._notify_url = None
        self._partner_mode = False
        self._core = _Core(
            config.base_url,
            mchid=config.mchid,
            cert_serial_no=config.cert_serial_no,
            private_key=config.private_key,
            apiv3_key=config.apiv3_key,
            cert_dir=config.platform_cert_dir or None,
            logger=None,
            proxy=None,
            timeout=config.timeout,
            public_key=config.public_key or None,
            public_key_id=config.public_key_id or None,
        )

    def platform_certificates(self, refresh: bool = False) -> list[Any]:
        """The platform certificates the core knows (``refresh`` downloads ``/v3/certificates`` again)."""
        if refresh:
            self._core._update_certificates()
        return list(self._core._certificates)
