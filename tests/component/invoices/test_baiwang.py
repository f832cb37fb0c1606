"""Requests issued through the Baiwang sandbox over real HTTP: issued, downloaded, once, red-lettered."""

from __future__ import annotations

import io
import json
import time
import zipfile
from typing import Any

import pytest
import requests

from sandbox.baiwang.server import expected_sign
from xueshi_invoices import clerk, issuing, redletter
from xueshi_invoices.models import Invoice, InvoiceRequest, RedForm
from xueshi_invoices.providers.baiwang import BaiwangClient

from .conftest import make_user, paid_order, refund, settle, signed_in

pytestmark = pytest.mark.django_db(transaction=True)
PERSON = {"title_kind": "person", "buyer_name": "钱学员", "email": "qian@example.com"}


def _requested(learner: Any, order_no: str) -> InvoiceRequest:
    web = signed_in(learner)
    assert web.post("/xueshi/invoices/mine/request/", {"order_no": order_no, **PERSON}).status_code == 302
    return InvoiceRequest.objects.get()


def _issued(request_id: int) -> str:
    return settle(lambda: issuing.step(request_id), {"issued", "failed"})


def _methods(baiwang: Any, suffix: str) -> list[str]:
    return [c.code for c in baiwang.platform.calls if c.method.endswith(suffix)]


def test_issued_and_downloaded_through_baiwang(baiwang, seller, paid_course) -> None:
    learner = make_user("bw_learner")
    row = _requested(learner, paid_order(learner, paid_course).order_no)
    assert _issued(row.pk) == "issued"
    invoice = Invoice.objects.get(request=row)
    assert len(invoice.number) == 20 and invoice.gross_fen == 3000 and invoice.tax_fen == 87
    web = signed_in(learner)
    assert invoice.number in web.get("/xueshi/invoices/mine/").content.decode()
    pdf = b"".join(web.get(f"/xueshi/invoices/files/{invoice.number}.pdf").streaming_content)
    ofd = b"".join(web.get(f"/xueshi/invoices/files/{invoice.number}.ofd").streaming_content)
    assert pdf.startswith(b"%PDF") and "OFD.xml" in zipfile.ZipFile(io.BytesIO(ofd)).namelist()
    assert invoice.files.get(kind="ofd").is_original
    assert _methods(baiwang, "requestBillingNew") == ["E0000"] and baiwang.platform.token_calls == 1
    # Baiwang publishes no clerk login-state method: operators see "unknown" with the reason.
    assert clerk.login_state()["state"] == "unknown"


def test_duplicate_serial_answered_by_query(baiwang, seller, paid_course) -> None:
    learner = make_user("bw_dup")
    seller.auto_issue_personal = False
    seller.save()
    row = _requested(learner, paid_order(learner, paid_course).order_no)
    issuing.retry(row.pk)
    row.refresh_from_db()
    # A worker sent the issue and died before writing anything down; the next step resends it.
    assert BaiwangClient().call(issuing.ISSUE, issuing.billing_content(row)).code == "E0000"
    assert _issued(row.pk) == "issued"
    assert Invoice.objects.filter(request=row).count() == 1
    assert _methods(baiwang, "requestBillingNew") == ["E0000", "E9106"]


def test_forged_signature_refused_and_forged_reply_refused(baiwang, seller, paid_course) -> None:
    envelope = {"method": "baiwang.output.invoice.query", "token": "t", "format": "json", "type": "sync"}
    envelope.update(timestamp=str(int(time.time() * 1000)), appKey=baiwang.platform.app_key, version="6.0")
    envelope["data"] = {"serialNo": "X1"}
    envelope["sign"] = expected_sign("not-the-secret", envelope)
    answer = requests.post(baiwang.url, data=json.dumps(envelope), timeout=5).json()
    assert answer == {"success": False, "errorResponse": {"code": "1002", "msg": "签名验证失败"}}
    learner = make_user("bw_forged")
    requests.post(baiwang.base_url + "/sandbox/controls", json={"forge_replies": 1, "delay": 0}, timeout=5)
    row = _requested(learner, paid_order(learner, paid_course).order_no)
    row.refresh_from_db()
    assert row.state == "submitted" and "bad_reply" in row.last_error and not Invoice.objects.exists()
    assert _issued(row.pk) == "issued" and Invoice.objects.count() == 1


def test_refund_red_letters_through_baiwang(baiwang, seller, paid_course) -> None:
    learner = make_user("bw_refund")
    order = paid_order(learner, paid_course)
    row = _requested(learner, order.order_no)
    assert _issued(row.pk) == "issued"
    refund(order.order_no, 3000)
    form = RedForm.objects.get()
    assert settle(lambda: redletter.step(form.pk), {"issued", "failed"}) == "issued"
    red = Invoice.objects.get(kind="red")
    assert red.gross_fen == -3000 and len(red.number) == 20 and red.files.filter(kind="pdf").exists()
    assert _methods(baiwang, "saveInvoiceRedConfirm") == ["E0000"]
