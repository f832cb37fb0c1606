"""A fault on our side ends in ``failed`` after the retry schedule (ADR 0280); retirement erases the
buyer's contact details and keeps the invoice (ADR 0281)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.core.management import call_command

from xueshi_invoices import issuing
from xueshi_invoices.models import Invoice, InvoiceRequest

from .conftest import make_user, paid_order, settle, signed_in

pytestmark = pytest.mark.django_db(transaction=True)
CONTACT = {
    "buyer_address_phone": "北京市海淀区学院路1号 13800138000",
    "buyer_bank": "工商银行海淀支行 0200004509012345678",
    "email": "qianxueyuan@example.com",
}


def _requested(name: str, paid_course: str) -> tuple[Any, InvoiceRequest]:
    learner = make_user(name)
    order = paid_order(learner, paid_course)
    form = {"order_no": order.order_no, "title_kind": "person", "buyer_name": "钱学员", **CONTACT}
    assert signed_in(learner).post("/xueshi/invoices/mine/request/", form).status_code == 302
    return learner, InvoiceRequest.objects.get(requester=learner)


def test_fault_of_ours_is_capped_then_retry_issues_once(nuonuo, seller, paid_course, monkeypatch) -> None:
    seller.auto_issue_personal = False
    seller.save()
    _learner, row = _requested("inv_fault", paid_course)
    issuing.retry(row.pk)  # approved: queued

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("storage unavailable 13800138000")

    monkeypatch.setattr(issuing, "record", broken)  # the provider issues; we cannot store it
    # The sandbox issues after a short delay; then every step fails on our side until given up.
    assert settle(lambda: issuing.step(row.pk), {"failed", "issued"}) == "failed"
    row.refresh_from_db()
    assert row.state == "failed" and row.next_try_at is None
    assert row.attempts == 4  # the three delays of the fixture, then given up
    assert row.last_error == "internal: OSError (see the worker's log)"  # no request data in the reason
    assert not Invoice.objects.exists() and len(nuonuo.platform.invoices) == 1
    monkeypatch.undo()
    issuing.retry(row.pk)  # the operator's retry keeps the serial: the issued invoice is found
    assert settle(lambda: issuing.step(row.pk), {"issued", "failed"}) == "issued"
    assert Invoice.objects.filter(request=row).count() == 1 and len(nuonuo.platform.invoices) == 1


def test_retirement_erases_buyer_contact_and_keeps_the_invoice(nuonuo, seller, paid_course) -> None:
    _learner, row = _requested("inv_retiring", paid_course)
    assert settle(lambda: issuing.step(row.pk), {"issued", "failed"}) == "issued"
    _other, kept = _requested("inv_staying", paid_course)
    call_command("retire_user", "inv_retiring", stdout=open(os.devnull, "w"))  # noqa: SIM115
    row.refresh_from_db()
    assert (row.buyer_address_phone, row.buyer_bank, row.email) == (None, None, None)
    assert row.buyer_name == "钱学员" and row.state == "issued"
    assert Invoice.objects.filter(request=row).count() == 1
    kept.refresh_from_db()
    assert kept.email.reveal() == CONTACT["email"]
