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


def test_rotation_command_re_encrypts_the_columns(seller, paid_course) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.test import override_settings

    old, new = "invoice-rotation-old-key-0123456789", "invoice-rotation-new-key-9876543210"
    with override_settings(XUESHI_DATA_KEYS=[old]):
        _learner, row = _requested(paid_course)
    out = StringIO()
    with override_settings(XUESHI_DATA_KEYS=[new, old]):
        call_command("xueshi_rotate_data_keys", stdout=out)
    for name in CONTACT:
        assert f"xueshi_invoices.InvoiceRequest.{name}: rotated 1, skipped 0, failed 0" in out.getvalue()
    with override_settings(XUESHI_DATA_KEYS=[new]):
        row.refresh_from_db()
        assert row.email.reveal() == CONTACT["email"]


def _migrate(target: list[tuple[str, str]]) -> Any:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_plain_rows(django_user_model) -> None:
    from django.db.migrations.executor import MigrationExecutor

    user = django_user_model.objects.create_user("inv-migrated", password="pw")
    leaf = [k for k in MigrationExecutor(connection).loader.graph.leaf_nodes() if k[0] == "xueshi_invoices"]
    old_apps = _migrate([("xueshi_invoices", "0001_initial")])
    try:
        seller = old_apps.get_model("xueshi_invoices", "SellerProfile").objects.create(
            name="学时", tax_number="91110000600037341L", drawer="王会计"
        )
        money = {"gross_fen": 3000, "net_fen": 2913, "tax_fen": 87, "state": "issued", "title_kind": "person"}
        old_request = old_apps.get_model("xueshi_invoices", "InvoiceRequest")
        old_request.objects.create(
            serial="XI000000000000000001",
            requester_id=user.id,
            seller=seller,
            buyer_name="赵",
            **CONTACT,
            **money,
        )
        old_request.objects.create(
            serial="XI000000000000000002", requester_id=user.id, seller=seller, buyer_name="钱", **money
        )
    finally:
        _migrate(leaf)
    given, empty = InvoiceRequest.objects.order_by("serial")
    assert {name: getattr(given, name).reveal() for name in CONTACT} == CONTACT
    assert (empty.buyer_address_phone, empty.buyer_bank, empty.email) == (None, None, None)
