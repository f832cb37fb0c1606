"""URLs of payments, mounted at ``/xueshi/payments/`` in the LMS."""

from django.urls import path, re_path

from . import manage_views, notify, paying, views

app_name = "xueshi_payments"
ORDER = r"(?P<order_no>[0-9A-Za-z]{6,32})"

urlpatterns = [
    re_path(r"^checkout/(?P<course_key>course-v1:[^/]+)/$", views.checkout, name="checkout"),
    re_path(r"^checkout/bundle/(?P<code>[\w:.+-]{1,64})/$", views.checkout_bundle, name="checkout-bundle"),
    re_path(rf"^orders/{ORDER}/$", views.order_page, name="order"),
    re_path(rf"^orders/{ORDER}/state\.json$", views.order_status, name="order-status"),
    re_path(rf"^orders/{ORDER}/receipt/$", views.upload_receipt, name="upload-receipt"),
    re_path(rf"^orders/{ORDER}/receipts/(?P<receipt_id>\d{{1,18}})/$", views.receipt_file, name="receipt"),
    re_path(rf"^orders/{ORDER}/wechat-openid/$", paying.wechat_openid, name="wechat-openid"),
    re_path(rf"^orders/{ORDER}/return/$", paying.front_return, name="front-return"),
    path("mine/", views.my_orders, name="my-orders"),
    path("manage/", manage_views.manage, name="manage"),
    path("manage/orders.xlsx", manage_views.export, name="export"),
    re_path(rf"^manage/{ORDER}/$", manage_views.detail, name="detail"),
    re_path(rf"^manage/{ORDER}/act/$", manage_views.act, name="act"),
    re_path(r"^notify/(?P<channel>[a-z0-9_-]{1,32})/$", notify.notify, name="notify"),
]

# Reconciliation and learners' refund requests (ADRs 0138, 0139).
from . import reconciliation_views, refund_request_views  # noqa: E402

# Paths with a hyphen: "manage/<ORDER>/" above would take a plain word like "reconciliation".
urlpatterns += [
    path("manage/bill-reconciliation/", reconciliation_views.runs, name="recon"),
    path("manage/bill-reconciliation/mismatches.xlsx", reconciliation_views.export, name="recon-export"),
    re_path(
        r"^manage/bill-reconciliation/(?P<run_id>\d{1,18})/$",
        reconciliation_views.run_detail,
        name="recon-run",
    ),
    re_path(
        r"^manage/bill-reconciliation/mismatches/(?P<mismatch_id>\d{1,18})/resolve/$",
        reconciliation_views.resolve,
        name="recon-resolve",
    ),
    re_path(rf"^orders/{ORDER}/refund-request/$", refund_request_views.ask, name="refund-request"),
    path("manage/refund-requests/", refund_request_views.review, name="refund-requests"),
    re_path(
        r"^manage/refund-requests/(?P<request_id>\d{1,18})/$",
        refund_request_views.decide,
        name="refund-request-decide",
    ),
]

# Employer (单位) orders: a list of learners, one order, one payment (ADR 0166).
from . import employer_views  # noqa: E402

urlpatterns += [
    path("employer/", employer_views.index, name="employer"),
    path("employer/learners-template.xlsx", employer_views.template, name="employer-template"),
    re_path(r"^employer/new/(?P<course_key>course-v1:[^/]+)/$", employer_views.new, name="employer-new"),
    re_path(r"^employer/lists/(?P<upload_id>\d{1,18})/$", employer_views.upload_page, name="employer-upload"),
    re_path(
        r"^employer/lists/(?P<upload_id>\d{1,18})/report\.xlsx$",
        employer_views.upload_report,
        name="employer-report",
    ),
    re_path(r"^employer/lists/(?P<upload_id>\d{1,18})/pay/$", employer_views.pay, name="employer-pay"),
]
