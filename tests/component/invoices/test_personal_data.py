"""The buyer's address/phone, bank account and email: ciphertext in the DB, masked on the operator
page and export, a full view only through an audited reveal, and visited by key rotation (ADR 0176)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from openpyxl import load_workbook

from xueshi_core.fields import encrypted_fields
from xueshi_core.models import PersonalDataView
from xueshi_invoices.models import InvoiceRequest

from .conftest import make_user, paid_order, signed_in

pytestmark = pytest.mark.django_db
CONTACT = {
    "buyer_address_phone": "北京市海淀区学院路1号 010-62751234",
    "buyer_bank": "工商银行海淀支行 0200004509012345678",
    "email": "zhaoxueyuan@example.com",
}


def _requested(paid_course: str) -> tuple[Any, InvoiceRequest]:
    learner = make_user("inv_pd_learner")
    order = paid_order(learner, paid_course)
    form = {"order_no": order.order_no, "title_kind": "person", "buyer_name": "赵学员", **CONTACT}
    assert signed_in(learner).post("/xueshi/invoices/mine/request/", form).status_code == 302
    return learner, InvoiceRequest.objects.get(requester=learner)


def _operator() -> Any:
    operator = make_user("inv_pd_operator")
    operator.groups.add(Group.objects.get_or_create(name="xueshi_operator")[0])
    return signed_in(operator)


def test_columns_hold_ciphertext_and_rotation_visits_them(seller, paid_course) -> None:
    _learner, row = _requested(paid_course)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT buyer_address_phone, buyer_bank, email FROM xueshi_invoices_invoicerequest WHERE id = %s",
            [row.pk],
        )
        stored = cursor.fetchone()
    for raw, plain in zip(stored, CONTACT.values(), strict=True):
        assert raw.startswith("xs1.") and plain not in raw and "@example" not in raw
    assert row.buyer_bank.reveal() == CONTACT["buyer_bank"]
    rotated = {(m.__name__, f.name) for m, f in encrypted_fields()}
    assert {("InvoiceRequest", name) for name in CONTACT} <= rotated


def test_page_and_export_masked_and_reveal_audited(seller, paid_course, settings) -> None:
    learner, row = _requested(paid_course)
    web = _operator()
    page = web.get("/xueshi/invoices/manage/").content.decode()
    export = load_workbook(io.BytesIO(web.get("/xueshi/invoices/manage/invoices.xlsx").content))
    cells = " ".join(str(c.value) for r in export.active.iter_rows() for c in r)
    for shown in (page, cells):
        assert "62751234" not in shown and "0200004509012345678" not in shown and "zhaoxueyuan" not in shown
        assert "zh*********@example.com" in shown and "5678" in shown
    assert PersonalDataView.objects.count() == 0
    answer = web.post(f"/xueshi/invoices/manage/{row.serial}/reveal/", {"field": "buyer_bank"})
    assert answer.status_code == 200 and CONTACT["buyer_bank"] in answer.content.decode()
    view = PersonalDataView.objects.get()
    assert (view.subject_user_id, view.field, view.actor_username) == (
        learner.pk,
        "invoice_buyer_bank",
        "inv_pd_operator",
    )
    assert web.post(f"/xueshi/invoices/manage/{row.serial}/reveal/", {"field": "serial"}).status_code == 400
    settings.XUESHI_PERSONAL_DATA_FULL_VIEW_GROUPS = []
    denied = web.post(f"/xueshi/invoices/manage/{row.serial}/reveal/", {"field": "email"})
    assert denied.status_code == 403 and "zhaoxueyuan" not in denied.content.decode()
    assert PersonalDataView.objects.count() == 1
