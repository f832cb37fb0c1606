"""URLs of ``xueshi_services``, mounted at ``/xueshi/services/`` in the LMS."""

from django.urls import path  # noqa: F401

app_name = "xueshi_services"

urlpatterns: list = []
