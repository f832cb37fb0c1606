"""The enabled payment channels, built from ``XUESHI_PAYMENT_CHANNELS`` (name -> dotted class path).

Channels are constructed without arguments (each reads its own keys from settings) and cached
per (name, path), so a settings change in tests or a reload picks up the new class. Checkout offers
them in the setting's order. A channel may expose ``merchant_id`` and ``app_id`` attributes: when
it does, every payment notice is compared with them (``events.process_event``), and ``info``
(a ``ChannelInfo``) for its label and scenes.
"""

from __future__ import annotations

import functools
from typing import Any

from django.core.signals import setting_changed
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .. import conf
from .base import ChannelError, ChannelInfo, PaymentChannel


class UnknownChannel(LookupError):
    """No enabled channel has that name."""


@functools.lru_cache(maxsize=32)
def _build(name: str, path: str) -> Any:
    return import_string(path)()


def get(name: str) -> PaymentChannel:
    """The enabled channel called ``name``; ``UnknownChannel`` otherwise."""
    path = conf.channel_paths().get(name)
    if path is None:
        raise UnknownChannel(name)
    channel: PaymentChannel = _build(name, path)
    return channel


def names() -> list[str]:
    """Names of the enabled channels, in checkout order."""
    return list(conf.channel_paths())


#: Labels of the channels that do not carry their own ``info``.
LABELS = {"wechat": _("WeChat Pay"), "alipay": _("Alipay"), "unionpay": _("Online banking (UnionPay)")}


def info(name: str) -> ChannelInfo:
    """What pages show about the channel (its own ``info`` if it has one).

    A channel whose keys are broken still gets a label: checkout shows it, and starting a payment
    through it answers the channel's error instead of breaking the page.
    """
    try:
        found = getattr(get(name), "info", None)
    except ChannelError:
        found = None
    return found if isinstance(found, ChannelInfo) else ChannelInfo(name=name, label=LABELS.get(name, name))


def expected_ids(name: str) -> tuple[str, str]:
    """``(merchant_id, app_id)`` notices of the channel must carry; empty strings are not checked.

    From the channel's ``merchant_id``/``app_id`` attributes, else its ``config`` (WeChat Pay:
    ``mchid``/``appid``; Alipay: ``seller_id``/``app_id``; UnionPay: ``mer_id``).
    """
    channel = get(name)
    config = getattr(channel, "config", None)
    merchant = (
        getattr(channel, "merchant_id", "")
        or getattr(config, "mchid", "")
        or getattr(config, "seller_id", "")
        or getattr(config, "mer_id", "")
    )
    app = getattr(channel, "app_id", "") or getattr(config, "appid", "") or getattr(config, "app_id", "")
    return str(merchant or ""), str(app or "")


def _forget_on_settings_change(setting: str, **_kwargs: Any) -> None:
    """A test (``override_settings``) pointing a channel at another merchant gets a fresh channel."""
    if setting in ("XUESHI_WECHATPAY", "XUESHI_ALIPAY", "XUESHI_UNIONPAY", "XUESHI_PAYMENT_CHANNELS"):
        _build.cache_clear()


setting_changed.connect(_forget_on_settings_change, dispatch_uid="xueshi_payments.channels.registry")
