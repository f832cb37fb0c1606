"""A Tutor site's seller basics (``XUESHI_INVOICE``) set up the default seller on the first request."""

from __future__ import annotations

import pytest

from xueshi_invoices.models import InvoiceRequest, SellerProfile

from .conftest import make_user, paid_order, signed_in

pytestmark = pytest.mark.django_db
FORM = {"title_kind": "person", "buyer_name": "赵学员"}


def test_first_request_creates_the_seller_from_tutor_settings(paid_course, settings) -> None:
    learner = make_user("inv_tutor_learner")
    order = paid_order(learner, paid_course)
    web = signed_in(learner)
    settings.XUESHI_INVOICE = {"PROVIDER": "nuonuo", "TAX_NUMBER": "91330100716105852f", "DRAWER": "王会计"}
    assert web.post("/xueshi/invoices/mine/request/", {"order_no": order.order_no, **FORM}).status_code == 503
    settings.XUESHI_INVOICE |= {"SELLER_NAME": "学时继续教育培训有限公司", "VAT_RATE": 6}
    assert web.post("/xueshi/invoices/mine/request/", {"order_no": order.order_no, **FORM}).status_code == 302
    seller = SellerProfile.objects.get()
    assert (seller.name, seller.tax_number, seller.drawer, seller.rate_bp, seller.is_default) == (
        "学时继续教育培训有限公司",
        "91330100716105852F",
        "王会计",
        600,
        True,
    )
    assert InvoiceRequest.objects.get(requester=learner).seller == seller
