"""The payer's openid for JSAPI payments, through the official account's web authorisation.

The protocol lives in ``xueshi_core.wechat_oauth`` (notifications bind learners with it too); this
module reads the paying account from ``XUESHI_WECHATPAY`` and speaks the channels' error type.
The appid is the one that pays (``XUESHI_WECHATPAY["APPID"]``): an openid is per appid. ADR 0143.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from xueshi_core import wechat_oauth as protocol
from xueshi_core.wechat_oauth import API_URL, AUTHORIZE_URL, authorize_url

from .base import ChannelError

__all__ = ["OAuthConfig", "authorize_url", "openid_for_code"]


class OAuthConfig(protocol.OAuthConfig):
    """The paying official account (see ``xueshi_core.wechat_oauth.OAuthConfig``)."""

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> OAuthConfig:
        """From ``XUESHI_WECHATPAY``: APPID, APP_SECRET, OAUTH_AUTHORIZE_URL, OAUTH_API_URL."""
        if not values.get("APPID") or not values.get("APP_SECRET"):
            raise ChannelError(
                "setup", "XUESHI_WECHATPAY lacks APPID or APP_SECRET for openids", retryable=False
            )
        return cls(
            appid=str(values["APPID"]),
            secret=str(values["APP_SECRET"]),
            authorize_url=str(values.get("OAUTH_AUTHORIZE_URL") or AUTHORIZE_URL),
            api_url=str(values.get("OAUTH_API_URL") or API_URL).rstrip("/"),
        )


def openid_for_code(config: protocol.OAuthConfig, code: str) -> str:
    """Exchange the ``code`` WeChat returned for the payer's openid; ``ChannelError`` on refusal."""
    try:
        return protocol.openid_for_code(config, code)
    except protocol.OAuthError as exc:
        raise ChannelError(exc.code, exc.message, retryable=exc.retryable) from exc
