"""URLs of ``xueshi_access``, mounted by ``plugin_app`` under ``/xueshi/access/``."""

from django.urls import path

from . import views
from .rest_api import views as api

app_name = "xueshi_access"

urlpatterns = [
    path("ended/", views.ended, name="ended"),
    path("audit/", views.audit_page, name="audit"),
    path("audit/export.xlsx", views.audit_export, name="audit-export"),
    path("suspicious/", views.suspicious_page, name="suspicious"),
    path("suspicious/export.xlsx", views.suspicious_export, name="suspicious-export"),
    path("api/v1/device", api.DeviceView.as_view(), name="device"),
]
