"""The message kinds: what each says (zh_CN and English through gettext) and which values it needs.

A kind is a fixed text with named values: the email subject and body are translated strings
filled with ``str.format``; an SMS names the provider's template (approved in their console, so
only the code and the ordered values travel); a WeChat subscription message maps the template's
fields (``thing1``, ``time2`` ...) to the same values. ``notify()`` refuses a context that lacks a
value the kind needs, so a message is never sent with a hole in it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override


@dataclass(frozen=True)
class Kind:
    """One kind of message; ``params`` are the context keys it needs, in SMS template order."""

    code: str
    label: Any
    subject: Any
    body: Any
    params: tuple[str, ...]
    default_channels: tuple[str, ...] = ("email", "sms", "wechat")


EMAIL, SMS, WECHAT = "email", "sms", "wechat"
CHANNELS = {EMAIL: _("Email"), SMS: _("SMS"), WECHAT: _("WeChat")}

KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind(
            "training_arrangement",
            _("Training arrangements"),
            _("Training arrangement: {title}"),
            _("{name}, a training is arranged for you: {title}, {when}. {details}"),
            ("name", "title", "when", "details"),
        ),
        Kind(
            "payment_paid",
            _("Payment results"),
            _("Payment received for order {order_no}"),
            _("{name}, we received {amount} yuan for order {order_no}. Thank you."),
            ("name", "order_no", "amount"),
        ),
        Kind(
            "refund_done",
            _("Refunds"),
            _("Refund of order {order_no}"),
            _("{name}, {amount} yuan of order {order_no} has been refunded to you."),
            ("name", "order_no", "amount"),
        ),
        Kind(
            "invoice_issued",
            _("Invoices issued"),
            _("Your e-invoice {number} is issued"),
            _("{name}, your e-invoice {number} is issued; download it under My invoices."),
            ("name", "number"),
            ("email", "wechat"),
        ),
        Kind(
            "certificate_issued",
            _("Certificates issued"),
            _("Your certificate {serial} is issued"),
            _("{name}, your certificate {serial} is issued; see it under My certificates."),
            ("name", "serial"),
        ),
        Kind(
            "question_answered",
            _("Answers to my questions"),
            _("Your question has an answer"),
            _('{name}, your question "{title}" has been answered.'),
            ("name", "title"),
            ("email", "wechat"),
        ),
        Kind(
            "hours_reminder",
            _("Reminders of unmet yearly hours"),
            _("{days} days left to complete your hours for {period}"),
            _("{name}, you have {earned} of {required} hours for {period}; it ends on {end}."),
            ("name", "period", "earned", "required", "end", "days"),
        ),
    )
}


class BadContext(ValueError):
    """The context lacks values the kind needs, or holds values that are not plain text or numbers."""


def clean_context(kind: Kind, context: Mapping[str, Any]) -> dict[str, str]:
    """The kind's values as strings (extra keys dropped); raise ``BadContext`` if one is missing."""
    missing = [p for p in kind.params if p not in context]
    if missing:
        raise BadContext(f"{kind.code}: missing {', '.join(missing)}")
    out = {}
    for name in kind.params:
        value = context[name]
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise BadContext(f"{kind.code}: {name} must be text or a number")
        out[name] = str(value)[:200]
    return out


def render(kind: Kind, context: Mapping[str, str], language: str) -> tuple[str, str]:
    """(subject, body) in ``language``."""
    with override(language):
        return str(kind.subject).format_map(context), str(kind.body).format_map(context)
