"""The payer's openid for JSAPI payments, through the official account's web authorisation.

Inside WeChat, the checkout sends the browser to ``authorize_url`` (``scope=snsapi_base``: silent,
no consent page); WeChat returns it to ``redirect_uri?code=…&state=…``; ``openid_for_code``
exchanges the code (five minutes, once) at ``/sns/oauth2/access_token`` with the AppSecret. The
``state`` is the caller's CSRF token: check it before exchanging. The appid is the one that pays
(``XUESHI_WECHATPAY["APPID"]``): an openid is per appid. ADR 0143.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import requests

from .base import ChannelError

AUTHORIZE_URL = "https://open.weixin.qq.com/connect/oauth2/authorize"
API_URL = "https://api.weixin.qq.com"
RETRYABLE_ERRCODES = {-1, 45009}  # system busy; API call limit reached
TIMEOUT = 5.0


@dataclass(frozen=True)
class OAuthConfig:
    """The official account's appid and AppSecret, and the two endpoints (sandbox or WeChat)."""

    appid: str
    secret: str
    authorize_url: str = AUTHORIZE_URL
    api_url: str = API_URL

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


def authorize_url(config: OAuthConfig, redirect_uri: str, state: str) -> str:
    """Where to send a browser inside WeChat to learn its openid (silently)."""
    query = urlencode(
        {
            "appid": config.appid,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": "snsapi_base",
            "state": state,
        }
    )
    return f"{config.authorize_url}?{query}#wechat_redirect"


def openid_for_code(config: OAuthConfig, code: str) -> str:
    """Exchange the ``code`` WeChat returned for the payer's openid; ``ChannelError`` on refusal."""
    if not code or len(code) > 256:
        raise ChannelError("40029", "invalid code", retryable=False)
    params = {
        "appid": config.appid,
        "secret": config.secret,
        "code": code,
        "grant_type": "authorization_code",
    }
    try:
        reply = requests.get(f"{config.api_url}/sns/oauth2/access_token", params=params, timeout=TIMEOUT)
        data = reply.json()
    except requests.RequestException as exc:
        raise ChannelError("network", f"WeChat unreachable: {exc}", retryable=True) from exc
    except ValueError as exc:
        raise ChannelError("bad_reply", "the access_token reply is not JSON", retryable=True) from exc
    if not isinstance(data, dict) or data.get("errcode") or not data.get("openid"):
        errcode = data.get("errcode", 0) if isinstance(data, dict) else 0
        message = str(data.get("errmsg") or "no openid") if isinstance(data, dict) else "no openid"
        raise ChannelError(str(errcode), message, retryable=errcode in RETRYABLE_ERRCODES)
    return str(data["openid"])
