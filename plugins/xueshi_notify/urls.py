"""URLs of ``xueshi_notify``, mounted at ``/xueshi/notify/`` in the LMS."""

from django.urls import path  # noqa: F401

app_name = "xueshi_notify"

urlpatterns: list = []
