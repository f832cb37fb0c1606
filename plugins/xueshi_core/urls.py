"""URLs of ``xueshi_core``, mounted by ``plugin_app`` under ``/xueshi/``."""

from django.urls import path

from . import views

app_name = "xueshi_core"

urlpatterns = [
    path("status/", views.status_page, name="status"),
    path("api/v1/status", views.status_json, name="status-json"),
]
