"""Receivers of other apps' signals: each fact becomes one notification (its dedupe key names the fact).

Connected in ``AppConfig.ready()``; the senders never import notify. A receiver failure is logged
by the sender's ``send_robust`` and never undoes the fact it announces.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model

from . import conf
from .api import notify

log = logging.getLogger(__name__)


def _user(user_id: int) -> Any:
    return get_user_model().objects.filter(pk=user_id).first()


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.username)


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def on_order_paid(sender: Any, event: Any, **kwargs: Any) -> None:
    """``xueshi_payments.signals.ORDER_PAID``: the payer hears the money arrived."""
    user = _user(event.payer_id)
    if user is not None:
        context = {"name": _name(user), "order_no": event.order_no, "amount": _yuan(event.amount_fen)}
        notify(user, "payment_paid", context, dedupe_key=f"order_paid:{event.order_no}")


def on_refund_succeeded(sender: Any, event: Any, **kwargs: Any) -> None:
    """``REFUND_SUCCEEDED``: the payer hears the money went back (payer read through payments' api)."""
    from xueshi_payments import api as payments_api

    order = payments_api.order_for_invoice(event.order_no)
    user = _user(order.payer_id) if order is not None else None
    if user is not None:
        context = {"name": _name(user), "order_no": event.order_no, "amount": _yuan(event.amount_fen)}
        notify(user, "refund_done", context, dedupe_key=f"refund_done:{event.refund_no}")


def on_invoice_issued(sender: Any, event: Any, **kwargs: Any) -> None:
    """``xueshi_invoices.signals.INVOICE_ISSUED``: the requester hears their invoice is ready."""
    user = _user(event.user_id)
    if user is not None:
        context = {"name": _name(user), "number": event.number}
        notify(user, "invoice_issued", context, dedupe_key=f"invoice_issued:{event.number}")


def on_certificate_issued(sender: Any, serial: str, user_id: int, **kwargs: Any) -> None:
    """``xueshi_certificates.signals.CERTIFICATE_ISSUED``: the holder hears of their certificate."""
    user = _user(user_id)
    if user is not None:
        context = {"name": _name(user), "serial": serial}
        notify(user, "certificate_issued", context, dedupe_key=f"certificate_issued:{serial}")


def on_ticket_answered(sender: Any, event: Any, **kwargs: Any) -> None:
    """``xueshi_services.signals.TICKET_ANSWERED``: the asker hears staff answered (once per answer)."""
    user = _user(event.user_id)
    if user is not None:
        context = {"name": _name(user), "title": event.subject or event.serial}
        notify(user, "question_answered", context, dedupe_key=f"ticket_answered:{event.message_id}")


def on_project_announced(sender: Any, event: Any, **kwargs: Any) -> None:
    """``xueshi_stats.signals.TRAINING_PROJECT_ANNOUNCED``: its learners hear of it, in batches (Celery).

    If the broker cannot take the task, the pages are told here and now rather than lost.
    """
    from . import tasks, training

    try:
        tasks.announce_project.apply_async(args=(event.code, event.revision), queue=conf.queue())
    except Exception:
        log.exception("could not queue the announcement of %s; telling its learners now", event.code)
        training.announce(event.code, event.revision, training.tell)


def on_learners_moved(sender: Any, event: Any, **kwargs: Any) -> None:
    """``xueshi_stats.signals.LEARNERS_MOVED``: newcomers to open projects hear of them (Celery pages).

    Nothing is queued while no project is open (a bulk import of profiles costs one query).
    """
    from xueshi_stats import api as stats_api

    from . import tasks, training

    if not stats_api.open_projects():
        return
    size = conf.batch_size()
    ids = sorted(int(u) for u in event.user_ids)
    for start in range(0, len(ids), size):
        page = ids[start : start + size]
        try:
            tasks.tell_newcomers.apply_async(args=(page,), queue=conf.queue())
        except Exception:
            log.exception("could not queue newcomers of open projects; telling them now")
            training.tell_newcomers(page)
