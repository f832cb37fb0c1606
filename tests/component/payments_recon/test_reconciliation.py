"""Daily reconciliation against the WeChat Pay sandbox over real HTTP: a bill (SHA1-checked by the
channel) matched against orders and refunds made through the real order logic.

Each test has a fresh sandbox, so today's bill holds only what the test paid. Mismatches are made
the way they happen: an underpayment an operator accepted (amount), a payment whose notice never
arrived (state), a payment made with a number we never issued (not ours), and an order we recorded
as paid that the provider never saw (missing).
"""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from tests.component.payments.conftest import order_for, race, signed_in
from tests.wechatpaykit import pay
from xueshi_core.days import china_day
from xueshi_payments import orders, reconciliation, refund_requests, refunds, states, tasks
from xueshi_payments.channels.base import NATIVE, PaymentRequest
from xueshi_payments.models import Order, Refund
from xueshi_payments.reconciliation_models import ReconMismatch, ReconRun

pytestmark = pytest.mark.django_db(transaction=True)
M = ReconMismatch


def pay_at_provider(sandbox, channel, receiver, order_no: str, amount_fen: int) -> None:
    """The payer scans and pays ``amount_fen`` for ``order_no`` at the sandbox."""
    request = PaymentRequest(
        order_no=order_no,
        amount_fen=amount_fen,
        description="2026年度继续教育公需课",
        expires_at=datetime.now(UTC) + timedelta(minutes=30),
        notify_url=receiver.url,
        return_url="http://127.0.0.1:9/xueshi/payments/orders/return",
        client_ip="127.0.0.1",
        scene=NATIVE,
    )
    status, page, _location = pay(sandbox, channel.start(request).url)
    assert status == 200 and "支付成功" in page


def paid_order(sandbox, channel, receiver, payer, course, amount_fen=None) -> Order:
    """An order of ours paid at the provider and applied by the active query (as the beat does)."""
    order = order_for(payer, course, channel="wechat")
    pay_at_provider(sandbox, channel, receiver, order.order_no, amount_fen or order.amount_fen)
    tasks.query_order(order)
    order.refresh_from_db()
    return order


def refund_until_final(refund_no: str) -> str:
    """Send the refund again with the same number until the provider says it is final."""
    deadline = time.monotonic() + 10
    while (state := refunds.send_refund(refund_no)) not in (Refund.SUCCEEDED, Refund.FAILED):
        assert time.monotonic() < deadline, state
        time.sleep(0.02)
    return state


def found(run: ReconRun) -> set[tuple[str, str, str]]:
    return {(m.kind, m.line_kind, m.order_no) for m in run.mismatches.all()}


def test_a_clean_day_has_no_mismatches(sandbox, site, receiver, learner, paid_course, operator):
    first = paid_order(sandbox, site, receiver, learner, paid_course)
    second = paid_order(sandbox, site, receiver, learner, paid_course)
    assert first.state == second.state == states.FULFILLED
    refund = refunds.request_refund(second.order_no, 1000, "部分退款", operator)
    assert refund_until_final(refund.refund_no) == Refund.SUCCEEDED

    day = china_day(timezone.now())
    racing = race([lambda: reconciliation.reconcile("wechat", day).pk] * 3)  # three workers at once
    assert len(set(racing)) == 1 and ReconRun.objects.count() == 1, racing
    run = ReconRun.objects.get()
    assert (run.status, run.error, run.bill_lines, run.matched, run.mismatch_count) == (
        ReconRun.OK,
        "",
        3,
        3,
        0,
    )
    assert run.bill_total_fen == 3000 + 3000 - 1000 and not run.mismatches.exists()


def test_planted_mismatches_of_each_kind_are_found_and_rerunning_replaces_the_run(
    sandbox, site, receiver, learner, paid_course, operator, operator_client, auditor
):
    today = china_day(timezone.now())
    # Matched: paid, then refunded in full on the learner's request, approved by an operator.
    good = paid_order(sandbox, site, receiver, learner, paid_course)
    asked = refund_requests.ask(good.order_no, learner, "单位已统一报名，重复购买")
    approved = refund_requests.approve(asked.pk, operator)
    assert refund_until_final(approved.refund.refund_no) == Refund.SUCCEEDED
    # Amount: the payer paid ¥29 of ¥30; the notice was flagged and an operator accepted it.
    short = paid_order(sandbox, site, receiver, learner, paid_course, amount_fen=2900)
    assert short.state == states.ATTENTION
    accepted = operator_client.post(
        f"/xueshi/payments/manage/{short.order_no}/act/", {"action": "accept", "reason": "少付1元，同意"}
    )
    assert accepted.status_code == 302
    # State: paid at the provider, but its notice and queries never reached us.
    silent = order_for(learner, paid_course, channel="wechat")
    pay_at_provider(sandbox, site, receiver, silent.order_no, silent.amount_fen)
    # Not ours: a payment with an order number we never issued.
    pay_at_provider(sandbox, site, receiver, "XSNOTOURS20261204", 4200)
    # Not ours (refund): money sent back in the merchant platform, outside Xueshi.
    site.refund(short.order_no, "RFOUTSIDE1", 100, 2900, "商户平台退款")
    deadline = time.monotonic() + 10
    while site.query_refund(short.order_no, "RFOUTSIDE1").state != "succeeded":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    # Missing: an order we recorded as paid that the provider never saw.
    ghost = order_for(learner, paid_course, channel="wechat")
    with transaction.atomic():
        orders.transition(orders.locked(ghost.order_no), states.PAID, "recorded paid by mistake")

    run = reconciliation.reconcile("wechat", today)
    expected = {
        (M.AMOUNT, "payment", short.order_no),
        (M.STATE, "payment", silent.order_no),
        (M.NOT_OURS, "payment", "XSNOTOURS20261204"),
        (M.NOT_OURS, "refund", short.order_no),
        (M.MISSING, "payment", ghost.order_no),
    }
    assert run.status == ReconRun.OK and found(run) == expected
    assert (run.bill_lines, run.matched, run.mismatch_count) == (6, 2, 5)
    amount = run.mismatches.get(kind=M.AMOUNT)
    assert (amount.bill_fen, amount.our_fen) == (2900, 3000)
    assert run.mismatches.get(kind=M.STATE).our_state == states.PENDING

    # The operator page: runs, the run's mismatches linked to orders, resolving with a note.
    page = operator_client.get("/xueshi/payments/manage/bill-reconciliation/", HTTP_ACCEPT_LANGUAGE="zh-cn")
    assert page.status_code == 200 and f'data-run="{run.pk}"' in page.content.decode()
    detail = operator_client.get(f"/xueshi/payments/manage/bill-reconciliation/{run.pk}/").content.decode()
    assert f'href="/xueshi/payments/manage/{short.order_no}/"' in detail
    resolve_url = f"/xueshi/payments/manage/bill-reconciliation/mismatches/{amount.pk}/resolve/"
    assert operator_client.post(resolve_url, {"note": " "}).status_code == 400
    assert operator_client.post(resolve_url, {"note": "x" * 256}).status_code == 400
    auditing = signed_in(auditor)
    assert auditing.post(resolve_url, {"note": "审计员不能处理"}).status_code == 403
    assert operator_client.post(resolve_url, {"note": "财务已确认少收1元"}).status_code == 302
    assert operator_client.post(resolve_url, {"note": "again"}).status_code == 409
    assert (
        operator_client.post(
            "/xueshi/payments/manage/bill-reconciliation/mismatches/999999/resolve/", {"note": "n"}
        ).status_code
        == 404
    )

    # Re-running (the command, as finance would) replaces the run: one run, same mismatches, note kept.
    call_command("xueshi_reconcile", "--day", today.isoformat(), "--channel", "wechat", stdout=io.StringIO())
    assert ReconRun.objects.filter(channel="wechat", day=today).count() == 1
    rerun = ReconRun.objects.get(channel="wechat", day=today)
    assert rerun.pk == run.pk and found(rerun) == expected and ReconMismatch.objects.count() == 5
    kept = rerun.mismatches.get(kind=M.AMOUNT)
    assert (kept.note, kept.resolved_by_id) == ("财务已确认少收1元", operator.pk) and rerun.attempts == 2

    # A bill whose hash does not match is refused by the channel: the earlier result stays, the error shows.
    sandbox.controls.corrupt_bill_hash = True
    with pytest.raises(CommandError):
        call_command(
            "xueshi_reconcile", "--day", today.isoformat(), stdout=io.StringIO(), stderr=io.StringIO()
        )
    failed = ReconRun.objects.get(pk=run.pk)
    assert (
        failed.status == ReconRun.OK and "bill_hash_mismatch" in failed.error and failed.mismatch_count == 5
    )

    # The finance office's xlsx opens with one row per mismatch.
    export = operator_client.get(f"/xueshi/payments/manage/bill-reconciliation/mismatches.xlsx?run={run.pk}")
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 6
    by_number = {(row[4], row[5] or ""): row for row in rows[1:]}
    assert {order_no for order_no, _refund_no in by_number} == {o for _k, _l, o in expected}
    underpaid = by_number[(short.order_no, "")]
    assert (underpaid[7], underpaid[8], underpaid[12]) == ("29.00", "30.00", "财务已确认少收1元")
    assert by_number[(short.order_no, "RFOUTSIDE1")][7:9] == ("1.00", None)
    assert auditing.get("/xueshi/payments/manage/bill-reconciliation/mismatches.xlsx").status_code == 200
    assert signed_in(learner).get("/xueshi/payments/manage/bill-reconciliation/").status_code == 403
    assert (
        operator_client.get("/xueshi/payments/manage/bill-reconciliation/?from=2026-13-01").status_code == 400
    )
    assert (
        operator_client.get("/xueshi/payments/manage/bill-reconciliation/mismatches.xlsx?run=abc").status_code
        == 400
    )
    assert operator_client.get("/xueshi/payments/manage/bill-reconciliation/424242/").status_code == 404


def test_the_beat_reconciles_past_days_once_and_the_command_refuses_bad_input(site, receiver):
    today = china_day(timezone.now())
    done = tasks.reconcile_due(today)
    assert set(done) == {f"wechat:{(today - timedelta(days=n)).isoformat()}" for n in (1, 2, 3)}
    assert all(value == "ok:0" for value in done.values())
    assert tasks.reconcile_due(today) == {}  # reconciled days are not downloaded again
    assert tasks.RECONCILE_BEAT["task"] == tasks.reconcile_bills.name
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("xueshi_reconcile", "--day", "2026-02-30")
    with pytest.raises(CommandError, match="not happened"):
        call_command("xueshi_reconcile", "--day", (today + timedelta(days=2)).isoformat())
    with pytest.raises(CommandError, match="no bill channel"):
        call_command("xueshi_reconcile", "--channel", "transfer")
