"""Where the payer is decides how a channel is paid: a QR on a PC, a redirect on a phone, WeChat's pay sheet.

Decided on the server from the ``User-Agent`` (the page's script only mirrors it), so a payer
cannot ask WeChat Pay for JSAPI outside WeChat or Alipay for a scene it has not. ADR 0136.
"""

from __future__ import annotations

import re

from .channels import base

_PHONE = re.compile(r"Android|iPhone|iPad|iPod|Mobile|HarmonyOS", re.IGNORECASE)
_WECHAT = re.compile(r"MicroMessenger", re.IGNORECASE)


def is_phone(user_agent: str) -> bool:
    """A phone or tablet browser: the provider's app is on the same device (H5, wap)."""
    return bool(_PHONE.search(user_agent or ""))


def in_wechat(user_agent: str) -> bool:
    """WeChat's built-in browser (PC WeChat too): only there can ``WeixinJSBridge`` pay."""
    return bool(_WECHAT.search(user_agent or ""))


def scene_for(channel: str, user_agent: str) -> str:
    """The scene a channel is started in for this browser ("" for channels without scenes)."""
    if channel == "wechat":
        if in_wechat(user_agent):
            return base.JSAPI
        return base.H5 if is_phone(user_agent) else base.NATIVE
    if channel == "unionpay":  # ACP channelType 07 (PC cashier) or 08 (mobile cashier)
        return base.H5 if is_phone(user_agent) else base.PAGE
    if channel == "alipay":
        return base.WAP if is_phone(user_agent) else base.PAGE
    return ""
