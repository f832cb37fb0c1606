"""URLs of ``xueshi_reporting``, mounted at ``/xueshi/reporting/`` in the LMS."""

from django.urls import path  # noqa: F401

app_name = "xueshi_reporting"

urlpatterns: list = []
