"""One delivery's life: claim it, send it on its channel, record the outcome; retry, give up, sweep.

Sent once: a worker claims a row by a conditional UPDATE ``queued → sending`` (committed before the
provider is called), so a duplicated task message or a second worker finds nothing to claim. A
worker that dies after claiming leaves ``sending``; the sweep turns such a row into
``unconfirmed`` after a lease instead of sending it again (the provider may have taken it), and an
operator decides (ADR 0241). Transient failures go back to ``queued`` with a growing delay; after
the last delay, or on a permanent failure, the row is ``failed`` with the reason.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import F, Q
from django.utils import timezone

from xueshi_identity import api as identity_api

from . import bindings, conf
from .channels import base, email, sms_aliyun, sms_tencent, wechat
from .kinds import EMAIL, KINDS, SMS, WECHAT, render
from .models import Delivery

log = logging.getLogger(__name__)
SMS_SENDERS = {"aliyun": sms_aliyun.send, "tencent": sms_tencent.send}
PHONE_PURPOSE = "notification SMS"


def claim(delivery_id: int) -> Delivery | None:
    """Move a due ``queued`` row to ``sending`` (one caller wins); ``None`` if there is nothing to send."""
    now = timezone.now()
    taken = (
        Delivery.objects.filter(pk=delivery_id, state=Delivery.QUEUED)
        .filter(Q(next_try_at__isnull=True) | Q(next_try_at__lte=now))
        .update(state=Delivery.SENDING, sending_since=now, attempts=F("attempts") + 1)
    )
    if taken != 1:
        return None
    return Delivery.objects.select_related("notification__user").get(pk=delivery_id)


def message_of(row: Delivery) -> base.Message:
    """The rendered message of a delivery (values in the kind's order, as SMS templates need them)."""
    notification = row.notification
    kind = KINDS[notification.kind]
    values = {name: str(notification.context.get(name, "")) for name in kind.params}
    subject, body = render(kind, values, notification.language)
    return base.Message(kind.code, subject, body, values, notification.language, f"xn{row.pk}")


def _send(row: Delivery, message: base.Message) -> str:
    user = row.notification.user
    if row.channel == EMAIL:
        return email.send(user.email, message)
    if row.channel == SMS:
        options, provider = conf.sms(), conf.sms_provider()
        template = (options.get("TEMPLATES") or {}).get(message.kind)
        if not provider or not template:
            raise base.Permanent("not_configured", f"no SMS provider or template for {message.kind}")
        try:  # decrypted only here, to send; the view is recorded in the personal-data audit
            phone = identity_api.reveal_phone(user, user.pk, PHONE_PURPOSE)
        except ObjectDoesNotExist as exc:
            raise base.Permanent("no_phone", "the learner has no real-name profile") from exc
        return SMS_SENDERS[provider](phone, message, str(template), options, conf.timeout())
    if row.channel == WECHAT:
        openid = bindings.openid_of(user)
        if not openid:
            raise base.Permanent("not_bound", "the learner has not bound WeChat")
        return wechat.send(openid, message, conf.wechat(), conf.redis_url(), conf.timeout())
    raise base.Permanent("channel", f"unknown channel {row.channel}")


def _give_up(row: Delivery, reason: str) -> None:
    Delivery.objects.filter(pk=row.pk, state=Delivery.SENDING).update(
        state=Delivery.FAILED, last_error=reason[:255], next_try_at=None
    )


def _later(row: Delivery, error: base.SendError) -> None:
    delays = conf.retry_delays()
    if row.attempts > len(delays):
        _give_up(row, f"gave up after {row.attempts} tries: {error}")
        return
    due = timezone.now() + timedelta(seconds=delays[row.attempts - 1])
    Delivery.objects.filter(pk=row.pk, state=Delivery.SENDING).update(
        state=Delivery.QUEUED, next_try_at=due, last_error=str(error)[:255]
    )


def deliver(delivery_id: int) -> str:
    """Send one delivery if it is due and nobody else is sending it; return its state afterwards."""
    row = claim(delivery_id)
    if row is None:
        return str(Delivery.objects.filter(pk=delivery_id).values_list("state", flat=True).first() or "")
    try:
        message_id = _send(row, message_of(row))
    except base.Permanent as error:
        _give_up(row, str(error))
    except base.Transient as error:
        _later(row, error)
    except Exception as error:  # a bug or an unexpected SDK error: retried, logged, never silent
        log.exception("delivery %s failed unexpectedly", delivery_id)
        _later(row, base.Transient(type(error).__name__, str(error)[:200]))
    else:
        Delivery.objects.filter(pk=row.pk, state=Delivery.SENDING).update(
            state=Delivery.SENT, provider_message_id=message_id[:100], sent_at=timezone.now(), last_error=""
        )
    return str(Delivery.objects.filter(pk=delivery_id).values_list("state", flat=True).first())


def mark_unconfirmed(now: object = None) -> int:
    """Rows left ``sending`` past the lease (their worker died): ``unconfirmed``, never resent by us."""
    cutoff = (now or timezone.now()) - timedelta(seconds=conf.sending_lease_seconds())  # type: ignore[operator]
    return Delivery.objects.filter(state=Delivery.SENDING, sending_since__lt=cutoff).update(
        state=Delivery.UNCONFIRMED,
        last_error="the sender stopped mid-send; not resent automatically (it may have arrived)",
    )


def resend(delivery_id: int) -> bool:
    """An operator's decision to send a failed or unconfirmed delivery again (queued now)."""
    return bool(
        Delivery.objects.filter(pk=delivery_id, state__in=(Delivery.FAILED, Delivery.UNCONFIRMED)).update(
            state=Delivery.QUEUED, next_try_at=timezone.now(), attempts=0
        )
    )
