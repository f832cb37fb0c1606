"""URLs of e-invoices, mounted at ``/xueshi/invoices/`` in the LMS."""

from django.urls import path, re_path

from . import manage_views, views

app_name = "xueshi_invoices"
SERIAL = r"(?P<serial>X[IR][0-9A-F]{18})"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("mine/request/", views.create, name="create"),
    re_path(r"^files/(?P<number>\d{20})\.(?P<kind>pdf|ofd|xml)$", views.download, name="download"),
    re_path(
        rf"^callback/(?P<kind>request|red)/{SERIAL}/(?P<tag>[0-9a-f]{{32}})/$",
        views.callback,
        name="callback",
    ),
    path("manage/", manage_views.manage, name="manage"),
    path("manage/invoices.xlsx", manage_views.export, name="export"),
    re_path(rf"^manage/{SERIAL}/act/$", manage_views.act, name="act"),
    re_path(rf"^manage/{SERIAL}/reveal/$", manage_views.reveal, name="reveal"),
    re_path(rf"^manage/red/{SERIAL}/retry/$", manage_views.retry_red, name="retry-red"),
]
