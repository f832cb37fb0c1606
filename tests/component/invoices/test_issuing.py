"""Requests issued through the Nuonuo sandbox over real HTTP: once, retried, downloaded, red-lettered."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from xueshi_invoices import issuing, redletter, signing_links
from xueshi_invoices.models import Invoice, InvoiceRequest, RedForm
from xueshi_invoices.providers.nuonuo import NuonuoClient

from .conftest import make_user, paid_order, refund, settle, signed_in

pytestmark = pytest.mark.django_db(transaction=True)
PERSON = {"title_kind": "person", "buyer_name": "赵学员", "email": "zhao@example.com"}


def _request(client: Any, order_no: str, **form: str) -> Any:
    return client.post("/xueshi/invoices/mine/request/", {"order_no": order_no, **PERSON, **form})


def _issued(request_id: int) -> str:
    return settle(lambda: issuing.step(request_id), {"issued", "failed"})


def test_request_issued_downloaded_and_mailed(nuonuo, seller, paid_course, mailoutbox) -> None:
    learner = make_user("inv_learner")
    order = paid_order(learner, paid_course)
    web = signed_in(learner)
    assert (
        'id="my-invoices-link" href="/xueshi/invoices/mine/"'
        in web.get("/xueshi/payments/mine/").content.decode()
    )
    assert order.order_no in web.get("/xueshi/invoices/mine/").content.decode()
    assert _request(web, order.order_no).status_code == 302
    row = InvoiceRequest.objects.get()
    # Personal requests issue at once: the eager task already sent it; we poll to the end.
    assert _issued(row.pk) == "issued"
    invoice = Invoice.objects.get(request=row)
    assert len(invoice.number) == 20 and invoice.kind == "blue"
    assert invoice.gross_fen == 3000 and invoice.tax_fen == 87 and invoice.net_fen == 2913  # 3 %
    page = web.get("/xueshi/invoices/mine/").content.decode()
    assert invoice.number in page and f"/xueshi/invoices/files/{invoice.number}.pdf" in page
    pdf = web.get(f"/xueshi/invoices/files/{invoice.number}.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    ofd = b"".join(web.get(f"/xueshi/invoices/files/{invoice.number}.ofd").streaming_content)
    assert "OFD.xml" in zipfile.ZipFile(io.BytesIO(ofd)).namelist()
    xml = b"".join(web.get(f"/xueshi/invoices/files/{invoice.number}.xml").streaming_content).decode()
    assert invoice.number in xml and "*非学历教育服务*" in xml
    assert invoice.files.get(kind="ofd").is_original
    assert (
        signed_in(make_user("other")).get(f"/xueshi/invoices/files/{invoice.number}.pdf").status_code == 404
    )
    assert len(mailoutbox) == 1 and invoice.number in mailoutbox[0].subject
    issues = [c for c in nuonuo.platform.calls if c.method.endswith("requestBillingNew")]
    assert len(issues) == 1


def test_provider_down_then_up_and_token_shared(nuonuo, seller, paid_course) -> None:
    learner = make_user("inv_down")
    order = paid_order(learner, paid_course)
    nuonuo.platform.controls.down = 100  # everything 503, including the eager first step
    assert _request(signed_in(learner), order.order_no).status_code == 302
    row = InvoiceRequest.objects.get()
    assert issuing.step(row.pk) == "queued"
    row.refresh_from_db()
    assert row.attempts >= 1 and "http_503" in row.last_error and not Invoice.objects.exists()
    nuonuo.platform.controls.down = 0
    assert _issued(row.pk) == "issued"
    assert Invoice.objects.filter(request=row).count() == 1
    assert nuonuo.platform.token_calls == 1  # one token shared by every call (Redis)


def test_retries_exhausted_end_failed_then_operator_retry(nuonuo, seller, paid_course) -> None:
    learner = make_user("inv_fail")
    order = paid_order(learner, paid_course)
    nuonuo.platform.controls.clerk_logged_in = False  # E9302: retryable, but not forever
    _request(signed_in(learner), order.order_no)
    row = InvoiceRequest.objects.get()
    assert settle(lambda: issuing.step(row.pk), {"failed"}) == "failed"
    row.refresh_from_db()
    assert row.last_error.startswith("E9302")
    nuonuo.platform.controls.clerk_logged_in = True
    operator = make_user("inv_operator", is_staff=False)
    from django.contrib.auth.models import Group

    operator.groups.add(Group.objects.get_or_create(name="xueshi_operator")[0])
    web = signed_in(operator)
    page = web.get("/xueshi/invoices/manage/").content.decode()
    assert row.serial in page and "E9302" in page
    assert (
        signed_in(learner).post(f"/xueshi/invoices/manage/{row.serial}/act/", {"action": "retry"}).status_code
        == 403
    )
    assert web.post(f"/xueshi/invoices/manage/{row.serial}/act/", {"action": "retry"}).status_code == 302
    assert _issued(row.pk) == "issued"
    assert web.post(f"/xueshi/invoices/manage/{row.serial}/act/", {"action": "retry"}).status_code == 409
    export = web.get("/xueshi/invoices/manage/invoices.xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"


def test_worker_died_after_sending_gets_e9106_and_one_invoice(nuonuo, seller, paid_course) -> None:
    learner = make_user("inv_dup")
    order = paid_order(learner, paid_course)
    seller.auto_issue_personal = False
    seller.save()
    _request(signed_in(learner), order.order_no)
    row = InvoiceRequest.objects.get()
    assert row.state == "pending"
    issuing.retry(row.pk)  # approved: queued
    row.refresh_from_db()
    # A worker sent the issue and died before writing anything down.
    client = NuonuoClient()
    assert client.call(issuing.ISSUE, issuing.billing_content(row)).code == "E0000"
    assert _issued(row.pk) == "issued"
    codes = [c.code for c in nuonuo.platform.calls if c.method.endswith("requestBillingNew")]
    assert codes == ["E0000", "E9106"]
    assert Invoice.objects.count() == 1 and len(nuonuo.platform.invoices) == 1


def test_forged_callback_refused_and_a_true_one_only_queries(nuonuo, seller, paid_course, client) -> None:
    learner = make_user("inv_cb")
    order = paid_order(learner, paid_course)
    seller.auto_issue_personal = False
    seller.save()
    _request(signed_in(learner), order.order_no)
    row = InvoiceRequest.objects.get()
    forged = f"/xueshi/invoices/callback/request/{row.serial}/{'0' * 32}/"
    body = {"operater": "callback", "orderno": row.serial, "content": '{"status":"2","invoiceNo":"1"}'}
    assert client.post(forged, body).status_code == 403
    row.refresh_from_db()
    assert row.state == "pending" and not Invoice.objects.exists()
    true = f"/xueshi/invoices/callback/request/{row.serial}/{signing_links.tag('request', row.serial)}/"
    assert client.post(true, body).status_code == 200
    row.refresh_from_db()
    assert row.state == "pending" and not Invoice.objects.exists()  # content is never trusted


def test_partial_then_full_refund_red_invoices(nuonuo, seller, paid_course) -> None:
    payer = make_user("inv_employer")
    second = make_user("inv_colleague")
    order = paid_order(payer, paid_course, learners=[payer, second])  # 2 × 3000 fen, one line, qty 2
    form = {"title_kind": "employer", "buyer_name": "某某医院", "buyer_tax_id": "91110000600037341L"}
    assert _request(signed_in(payer), order.order_no, **form).status_code == 302
    row = InvoiceRequest.objects.get()
    assert row.state == "pending"  # employer titles are checked by an operator first
    issuing.retry(row.pk)
    assert _issued(row.pk) == "issued"
    blue = Invoice.objects.get(kind="blue")
    refund(order.order_no, 1000)
    form1 = RedForm.objects.get()
    assert form1.amount_fen == 1000 and form1.lines[0]["gross_fen"] == -1000
    assert settle(lambda: redletter.step(form1.pk), {"issued", "failed"}) == "issued"
    red1 = Invoice.objects.get(kind="red")
    assert red1.gross_fen == -1000 and red1.red_form == form1 and red1.number != blue.number
    refund(order.order_no, 5000)
    form2 = RedForm.objects.exclude(pk=form1.pk).get()
    assert form2.amount_fen == 5000
    assert settle(lambda: redletter.step(form2.pk), {"issued", "failed"}) == "issued"
    reds = Invoice.objects.filter(kind="red")
    assert sum(r.gross_fen for r in reds) == -6000 and sum(r.tax_fen for r in reds) == -blue.tax_fen
    assert redletter.sync_red_forms(row.pk) == []  # nothing made twice


@pytest.mark.parametrize(
    ("form", "status"),
    [
        ({"title_kind": "employer", "buyer_name": "某公司", "buyer_tax_id": "91110000600037341M"}, 400),
        ({"title_kind": "employer", "buyer_name": "某公司", "buyer_tax_id": ""}, 400),
        ({"title_kind": "nobody", "buyer_name": "x"}, 400),
        ({"title_kind": "person", "buyer_name": "  "}, 400),
        ({"title_kind": "person", "buyer_name": "x" * 101}, 400),
        ({"title_kind": "person", "buyer_name": "赵", "email": "not an email"}, 400),
    ],
)
def test_bad_input_is_4xx_and_changes_nothing(nuonuo, seller, paid_course, form, status) -> None:
    learner = make_user("inv_bad")
    order = paid_order(learner, paid_course)
    answer = signed_in(learner).post("/xueshi/invoices/mine/request/", {"order_no": order.order_no, **form})
    assert answer.status_code == status
    assert not InvoiceRequest.objects.exists()


def test_other_payers_order_unknown_order_and_twice(nuonuo, seller, paid_course) -> None:
    learner = make_user("inv_owner")
    order = paid_order(learner, paid_course)
    stranger = signed_in(make_user("inv_stranger"))
    assert _request(stranger, order.order_no).status_code == 404
    assert _request(stranger, "XSNOSUCHORDER").status_code == 404
    web = signed_in(learner)
    assert _request(web, order.order_no).status_code == 302
    assert _request(web, order.order_no).status_code == 409
    assert InvoiceRequest.objects.count() == 1
