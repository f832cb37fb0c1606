"""Daily reconciliation: a channel's bill of one Shanghai day matched against our orders and refunds.

The channel downloads and checks its bill (WeChat Pay: SHA1 ``hash_value``; Alipay: signed URL
reply, zip of GBK CSVs) and hands back ``BillLine`` rows; here every payment line is matched by
``order_no`` and every refund line by ``refund_no``, then by amount and by our state. Our side is
what we recorded as money moving that day on that channel: orders paid (``paid_at``) and refunds
finished as succeeded (``finished_at``) within the day's bounds. Four kinds of mismatch result
(``ReconMismatch.KINDS``). The download happens outside any transaction; the result replaces the
(channel, day) run under its row lock, so re-running is idempotent and two racing runs leave one.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from xueshi_core.days import day_bounds

from . import states
from .channels import base, registry
from .models import Order, Refund
from .reconciliation_models import ReconMismatch, ReconRun

log = logging.getLogger(__name__)
#: Our order states in which a payment line of the bill is expected (the money came in).
PAID_STATES = frozenset({*states.MONEY_RECEIVED, states.REFUNDED})
#: Channels without a provider bill (bank transfers are matched to the bank statement by hand).
NO_BILL = frozenset({"transfer"})


@dataclass
class Outcome:
    """What matching found, before it is stored."""

    bill_lines: int = 0
    matched: int = 0
    bill_total_fen: int = 0
    mismatches: list[ReconMismatch] = field(default_factory=list)


def reconcilable_channels() -> list[str]:
    """Enabled channels that have a provider bill, in the setting's order."""
    return [name for name in registry.names() if name not in NO_BILL]


def _mismatch(kind: str, line_kind: str, **values: Any) -> ReconMismatch:
    return ReconMismatch(kind=kind, line_kind=line_kind, **values)


def match(channel: str, day: date, lines: Iterable[base.BillLine]) -> Outcome:
    """Compare the bill's lines with our records of ``channel`` on ``day`` (pure reads)."""
    lines = list(lines)
    outcome = Outcome(bill_lines=len(lines))
    payments = {line.order_no: line for line in lines if line.kind == "payment"}
    refund_lines = {line.refund_no: line for line in lines if line.kind == "refund"}
    orders = {o.order_no: o for o in Order.objects.filter(order_no__in=payments, channel=channel)}
    refunds = {
        r.refund_no: r
        for r in Refund.objects.filter(refund_no__in=refund_lines, order__channel=channel).select_related(
            "order"
        )
    }
    for line in lines:
        sign = -1 if line.kind == "refund" else 1
        outcome.bill_total_fen += sign * line.amount_fen
    for order_no, line in payments.items():
        order = orders.get(order_no)
        found = _compare(
            line, "payment", order.amount_fen if order else None, order.state if order else "", PAID_STATES
        )
        outcome.mismatches.extend(found)
        outcome.matched += int(order is not None and not found)
    for refund_no, line in refund_lines.items():
        refund = refunds.get(refund_no)
        found = _compare(
            line,
            "refund",
            refund.amount_fen if refund else None,
            refund.state if refund else "",
            frozenset({Refund.SUCCEEDED}),
        )
        outcome.mismatches.extend(found)
        outcome.matched += int(refund is not None and not found)
    outcome.mismatches.extend(_missing_from_bill(channel, day, payments, refund_lines))
    return outcome


def _compare(
    line: base.BillLine, line_kind: str, our_fen: int | None, our_state: str, good: frozenset[str]
) -> list[ReconMismatch]:
    common = {
        "order_no": line.order_no,
        "refund_no": line.refund_no,
        "provider_trade_no": line.provider_trade_no,
        "bill_fen": line.amount_fen,
    }
    if our_fen is None:
        return [_mismatch(ReconMismatch.NOT_OURS, line_kind, **common)]
    found = []
    if our_fen != line.amount_fen:
        found.append(
            _mismatch(ReconMismatch.AMOUNT, line_kind, our_fen=our_fen, our_state=our_state, **common)
        )
    if our_state not in good:
        found.append(
            _mismatch(ReconMismatch.STATE, line_kind, our_fen=our_fen, our_state=our_state, **common)
        )
    return found


def _missing_from_bill(
    channel: str, day: date, payments: dict[str, base.BillLine], refund_lines: dict[str, base.BillLine]
) -> list[ReconMismatch]:
    start, end = day_bounds(day)
    found = []
    paid = Order.objects.filter(channel=channel, paid_at__gte=start, paid_at__lt=end)
    for order in paid.exclude(order_no__in=payments).only(
        "order_no", "amount_fen", "state", "provider_trade_no"
    ):
        found.append(
            _mismatch(
                ReconMismatch.MISSING,
                "payment",
                order_no=order.order_no,
                provider_trade_no=order.provider_trade_no,
                our_fen=order.amount_fen,
                our_state=order.state,
            )
        )
    refunded = Refund.objects.filter(
        order__channel=channel, state=Refund.SUCCEEDED, finished_at__gte=start, finished_at__lt=end
    ).select_related("order")
    for refund in refunded.exclude(refund_no__in=refund_lines):
        found.append(
            _mismatch(
                ReconMismatch.MISSING,
                "refund",
                order_no=refund.order.order_no,
                refund_no=refund.refund_no,
                our_fen=refund.amount_fen,
                our_state=refund.state,
            )
        )
    return found


def reconcile(channel_name: str, day: date, channel: base.PaymentChannel | None = None) -> ReconRun:
    """Download, match and store the (channel, day) run, replacing an earlier one; return it.

    A bill that cannot be obtained (not ready yet, hash mismatch, network) is recorded as a failed
    run with the reason; after a successful run, a failed re-run keeps that result and only notes
    the error, so a flaky download never hides mismatches already found.
    """
    try:
        provider = channel or registry.get(channel_name)
        lines = provider.download_bill(day)
    except (base.ChannelError, registry.UnknownChannel) as exc:
        log.warning("reconciliation %s %s: bill not obtained: %s", channel_name, day, exc)
        return _store_failure(channel_name, day, str(exc))
    return _store(channel_name, day, match(channel_name, day, lines))


def _ensure_run(channel_name: str, day: date) -> None:
    """Create the (channel, day) row, committed on its own, before any transaction locks it.

    Creating and locking in one transaction let racing workers deadlock on the unique index (each
    probes the missing key, each inserts); a committed row locked by primary key cannot.
    """
    with contextlib.suppress(IntegrityError):  # a racing worker created it between read and insert
        ReconRun.objects.get_or_create(
            channel=channel_name, day=day, defaults={"status": ReconRun.FAILED, "finished_at": timezone.now()}
        )


def _locked_run(channel_name: str, day: date) -> ReconRun:
    """The existing (channel, day) row, locked by primary key for the current transaction."""
    pk = ReconRun.objects.values_list("pk", flat=True).get(channel=channel_name, day=day)
    return ReconRun.objects.select_for_update().get(pk=pk)


def _store_failure(channel_name: str, day: date, error: str) -> ReconRun:
    _ensure_run(channel_name, day)
    with transaction.atomic():
        run = _locked_run(channel_name, day)
        run.attempts += 1
        run.finished_at = timezone.now()
        run.error = error[:255]
        if run.status != ReconRun.OK:
            run.status = ReconRun.FAILED
        run.save()
    return run


def _store(channel_name: str, day: date, outcome: Outcome) -> ReconRun:
    _ensure_run(channel_name, day)
    with transaction.atomic():
        run = _locked_run(channel_name, day)
        earlier = {m.key: m for m in run.mismatches.filter(resolved_at__isnull=False)}
        run.mismatches.all().delete()
        for mismatch in outcome.mismatches:
            mismatch.run = run
            kept = earlier.get(mismatch.key)
            if kept is not None:  # still there after a re-run: the operator's resolution stays
                mismatch.resolved_at, mismatch.resolved_by_id, mismatch.note = (
                    kept.resolved_at,
                    kept.resolved_by_id,
                    kept.note,
                )
        ReconMismatch.objects.bulk_create(outcome.mismatches)
        run.status, run.error = ReconRun.OK, ""
        run.bill_lines, run.matched = outcome.bill_lines, outcome.matched
        run.mismatch_count, run.bill_total_fen = len(outcome.mismatches), outcome.bill_total_fen
        run.attempts += 1
        run.finished_at = timezone.now()
        run.save()
    return run


def resolve(mismatch_id: int, note: str, operator: Any) -> ReconMismatch | None:
    """Mark a mismatch resolved with the operator's note; None if there is no such open mismatch."""
    with transaction.atomic():
        mismatch = ReconMismatch.objects.select_for_update().filter(pk=mismatch_id, resolved_at=None).first()
        if mismatch is None:
            return None
        mismatch.resolved_at, mismatch.resolved_by, mismatch.note = timezone.now(), operator, note[:255]
        mismatch.save(update_fields=["resolved_at", "resolved_by", "note"])
    return mismatch
