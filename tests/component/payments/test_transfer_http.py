"""Bank transfer end to end over HTTP, and bad input everywhere answered 4xx with nothing changed.

The learner meets the price on the course page, checks out by transfer, uploads a receipt; the
operator rejects it with a reason, the learner uploads again, the operator confirms; the order page
reports 已支付，已选课 and the learner is enrolled in the paid mode, once.
"""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from sandbox.lms import enrollment
from xueshi_core import roles
from xueshi_payments.models import Order, OrderTransition, ProviderEvent, TransferReceipt

from .conftest import make_user, signed_in

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-cn"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%receipt\n"


def client_for(user) -> Client:
    return signed_in(user)


@pytest.fixture
def operator(db):
    user = make_user("pay_op")
    user.groups.add(Group.objects.get_or_create(name=roles.OPERATOR)[0])
    return client_for(user)


def checkout(client: Client, course: str) -> str:
    page = client.get(f"/xueshi/payments/checkout/{course}/", **ZH)
    assert (
        page.status_code == 200 and "¥30.00" in page.content.decode() and "对公转账" in page.content.decode()
    )
    made = client.post(f"/xueshi/payments/checkout/{course}/", {"channel": "transfer"}, **ZH)
    assert made.status_code == 302
    return re.search(r"/orders/(\w+)/", made["Location"]).group(1)


def upload(client: Client, order_no: str, content: bytes, name: str = "回单.png"):
    return client.post(
        f"/xueshi/payments/orders/{order_no}/receipt/", {"receipt": SimpleUploadedFile(name, content)}, **ZH
    )


def test_a_learner_pays_by_transfer_and_is_enrolled_once(paid_course, learner, operator):
    me = client_for(learner)
    order_no = checkout(me, paid_course)
    assert checkout(me, paid_course) == order_no  # a second checkout finds the open order
    page = me.get(f"/xueshi/payments/orders/{order_no}/", **ZH).content.decode()
    assert "学时演示培训中心" in page and order_no in page and 'id="receipt-form"' in page
    assert upload(me, order_no, PNG).status_code == 302
    assert me.get(f"/xueshi/payments/orders/{order_no}/state.json").json()["state"] == "reviewing"

    act = f"/xueshi/payments/manage/{order_no}/act/"
    assert operator.post(act, {"action": "reject", "reason": "回单金额不符"}, **ZH).status_code == 302
    page = me.get(f"/xueshi/payments/orders/{order_no}/", **ZH).content.decode()
    assert "回单金额不符" in page and 'id="rejection"' in page
    assert upload(me, order_no, PDF, "回单.pdf").status_code == 302
    confirms = [operator.post(act, {"action": "confirm", "reason": "流水 0042"}, **ZH) for _ in range(2)]
    assert [r.status_code for r in confirms] == [302, 302]  # a double click pays once

    status = me.get(f"/xueshi/payments/orders/{order_no}/state.json", **ZH).json()
    assert status["state"] == "fulfilled" and status["label"] == "已支付，已选课" and status["done"]
    assert enrollment.mode_for_user(learner, paid_course) == ("verified", True)
    assert ProviderEvent.objects.filter(order_no=order_no).count() == 1
    moves = list(OrderTransition.objects.filter(order__order_no=order_no).values_list("to_state", flat=True))
    assert moves == ["pending", "reviewing", "pending", "reviewing", "paid", "fulfilled"]

    mine = me.get("/xueshi/payments/mine/", **ZH).content.decode()
    assert order_no in mine and "已支付，已选课" in mine
    receipt = TransferReceipt.objects.filter(order__order_no=order_no).last()
    got = me.get(f"/xueshi/payments/orders/{order_no}/receipts/{receipt.pk}/")
    assert got.status_code == 200 and got.content == PDF and got["Content-Type"] == "application/pdf"
    detail = operator.get(f"/xueshi/payments/manage/{order_no}/", **ZH).content.decode()
    assert "回单金额不符" in detail and "流水 0042" in detail
    sheet = load_workbook(io.BytesIO(operator.get("/xueshi/payments/manage/orders.xlsx").content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[1][0] == order_no and rows[1][5] == "30.00"
    page = me.get(f"/courses/{paid_course}/", **ZH).content.decode()
    assert 'id="buy-button"' not in page


def snapshot():
    return (
        Order.objects.count(),
        OrderTransition.objects.count(),
        ProviderEvent.objects.count(),
        TransferReceipt.objects.count(),
        sorted(Order.objects.values_list("state", flat=True)),
    )


def test_bad_input_gets_4xx_and_changes_nothing(paid_course, free_course, learner, operator, settings):
    settings.XUESHI_PAYMENTS_MAX_RECEIPT_BYTES = 1024
    me = client_for(learner)
    order_no = checkout(me, paid_course)
    stranger = client_for(make_user("stranger"))
    before = snapshot()
    answers = {
        "unknown channel": me.post(f"/xueshi/payments/checkout/{paid_course}/", {"channel": "paypal"}),
        "free course": me.get(f"/xueshi/payments/checkout/{free_course}/"),
        "no such course": me.get("/xueshi/payments/checkout/course-v1:No+Such+Run/"),
        "huge upload": upload(me, order_no, PNG + b"\x00" * 2048),
        "refused before reading": upload(me, order_no, PNG + b"\x00" * 40_000),
        "not an image": upload(me, order_no, b"MZ\x90\x00 an executable"),
        "empty upload": upload(me, order_no, b""),
        "no file": me.post(f"/xueshi/payments/orders/{order_no}/receipt/"),
        "someone else's order": upload(stranger, order_no, PNG),
        "unknown order": upload(me, "XSNOSUCH0000", PNG),
        "stranger views": stranger.get(f"/xueshi/payments/orders/{order_no}/"),
        "learner on operator page": me.get("/xueshi/payments/manage/"),
        "learner acts": me.post(f"/xueshi/payments/manage/{order_no}/act/", {"action": "confirm"}),
        "reject without review": operator.post(
            f"/xueshi/payments/manage/{order_no}/act/", {"action": "reject", "reason": "x"}
        ),
        "refund unpaid": operator.post(
            f"/xueshi/payments/manage/{order_no}/act/", {"action": "refund", "amount": "1", "reason": "x"}
        ),
        "bad action": operator.post(f"/xueshi/payments/manage/{order_no}/act/", {"action": "drop"}),
        "notice unknown channel": Client().post("/xueshi/payments/notify/paypal/", b"{}", "application/json"),
        "transfer notice": Client().post(
            "/xueshi/payments/notify/transfer/", b"{bad json", "application/json"
        ),
        "GET notify": Client().get("/xueshi/payments/notify/transfer/"),
    }
    statuses = {name: r.status_code for name, r in answers.items()}
    assert all(400 <= s < 500 for s in statuses.values()), statuses
    assert statuses["huge upload"] == statuses["refused before reading"] == 413
    assert statuses["not an image"] == 415
    assert snapshot() == before


@pytest.mark.parametrize("amount", ["", "abc", "1.234", "-5", "1e3", "30.00.1", "9" * 40])
def test_refund_amounts_must_be_plain_yuan(paid_course, learner, operator, amount):
    from xueshi_payments import transfers

    order_no = checkout(client_for(learner), paid_course)
    transfers.confirm(order_no, make_user("someone"))
    answer = operator.post(
        f"/xueshi/payments/manage/{order_no}/act/", {"action": "refund", "amount": amount, "reason": "r"}
    )
    assert answer.status_code == 400
    assert not Order.objects.get(order_no=order_no).refunds.exists()


def test_a_bundle_is_one_order_that_enrols_every_run(paid_course, free_course, learner, operator):
    from xueshi_payments.models import Product

    Product.objects.create(
        code="annual-2026",
        kind=Product.BUNDLE,
        title="2026 年度继续教育",
        course_keys=[paid_course, free_course],
        price_fen=5000,
    )
    me = client_for(learner)
    assert me.get("/xueshi/payments/checkout/bundle/annual-2026/", **ZH).status_code == 200
    made = me.post("/xueshi/payments/checkout/bundle/annual-2026/", {"channel": "transfer"})
    order = Order.objects.get(order_no=re.search(r"/orders/(\w+)/", made["Location"]).group(1))
    assert order.amount_fen == 5000 and order.lines.count() == 2
    operator.post(f"/xueshi/payments/manage/{order.order_no}/act/", {"action": "confirm", "reason": "ok"})
    assert enrollment.mode_for_user(learner, paid_course) == ("verified", True)
    assert enrollment.mode_for_user(learner, free_course) == ("audit", True)
    assert me.get("/xueshi/payments/checkout/bundle/no-such/").status_code == 404
