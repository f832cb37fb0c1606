"""Readable labels for the codes stored in the sign-in records (device kind, channel, reasons).

The rows keep short stable codes (``pc``, ``session``, ``replaced``) that code and exports filter
on; pages and the admin show these labels through ``get_FOO_display`` so an auditor never reads a
raw code. An unknown code (a row written by a newer version) is shown as stored.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .clientinfo import APP, MOBILE, PC, WECHAT
from .data import EXPIRED, REFUSED, REPLACED, RETIRED, SESSION, SIGNED_OUT, TOKEN

KIND_CHOICES = [(PC, _("Computer")), (MOBILE, _("Phone browser")), (WECHAT, _("WeChat")), (APP, _("App"))]
CHANNEL_CHOICES = [(SESSION, _("Web session")), (TOKEN, _("OAuth2 token"))]

# Why a device stopped being signed in (devices.end, retirement.END_REASON).
END_REASON_CHOICES = [
    (REPLACED, _("Replaced by a sign-in on another device")),
    (EXPIRED, _("Expired after inactivity")),
    (SIGNED_OUT, _("Signed out")),
    (REFUSED, _("Refused")),
    (RETIRED, _("Account closed")),
]

# The audit's ``reason`` column: the end reasons above plus refusals and locks (throttle scopes + "_locked").
REASON_CHOICES = [
    *END_REASON_CHOICES,
    ("signed_in_elsewhere", _("Already signed in on another device")),
    ("app_web_view", _("Web page opened from the app")),
    ("account_locked", _("Account locked after failed attempts")),
    ("ip_locked", _("IP address locked after failed attempts")),
]
