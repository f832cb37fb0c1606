"""Public Python API of ``xueshi_notify``: tell a learner about a fact, once, on the channels they chose.

Other apps do not import this (the study spine and the money island stay free of notify); notify
subscribes to their signals in ``receivers.py`` (training arrangements, ``training.py``, among
them); ``notify`` runs inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction

from . import bindings, conf
from .addresses import masked_addresses, unavailable_reason
from .kinds import KINDS, SMS, BadContext, clean_context
from .languages import language_of
from .models import Delivery, Notification
from .preferences import channels_for

__all__ = ["BadContext", "bind_wechat", "notify", "unbind_wechat"]


def notify(
    user: Any, kind: str, context: Mapping[str, Any], *, dedupe_key: str, language: str | None = None
) -> Notification:
    """Record a notification and one delivery per chosen channel; they are sent after commit.

    Runs in the caller's transaction: if it rolls back, nothing is recorded and nothing is sent.
    ``dedupe_key`` names the fact ("order_paid:XO123"); a second call with the same key returns the
    first notification and sends nothing more. ``language`` defaults to the learner's own site
    language (``languages.language_of``). Raises ``BadContext`` for an unknown kind, a missing
    value or a key that is empty or too long.
    """
    if kind not in KINDS:
        raise BadContext(f"unknown kind {kind!r}")
    if not dedupe_key or len(dedupe_key) > 150:
        raise BadContext("dedupe_key must be 1-150 characters")
    values = clean_context(KINDS[kind], context)
    existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    addresses = masked_addresses(user)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user,
                kind=kind,
                dedupe_key=dedupe_key,
                context=values,
                language=language or language_of(user),
            )
            rows = []
            for channel in channels_for(user.pk, kind):
                reason = unavailable_reason(channel, kind, addresses)
                rows.append(
                    Delivery(
                        notification=notification,
                        channel=channel,
                        state=Delivery.SKIPPED if reason else Delivery.QUEUED,
                        last_error=reason,
                        address_masked=addresses.get(channel, ""),
                        provider=conf.sms_provider() if channel == SMS else "",
                    )
                )
            Delivery.objects.bulk_create(rows)
    except IntegrityError:  # the same fact, told at the same moment by another process
        return Notification.objects.get(dedupe_key=dedupe_key)
    ids = list(notification.deliveries.filter(state=Delivery.QUEUED).values_list("pk", flat=True))
    if ids:
        from .tasks import enqueue

        transaction.on_commit(lambda: enqueue(ids))
    return notification


def bind_wechat(user: Any, openid: str) -> None:
    """Remember the learner's openid under the site's official account (from WeChat's authorisation)."""
    if not openid or len(openid) > 64:
        raise BadContext("openid must be 1-64 characters")
    bindings.bind(user, openid)


def unbind_wechat(user: Any) -> bool:
    """Forget the learner's openid (they unbound, or left the official account); ``True`` if bound."""
    return bindings.unbind(user)
