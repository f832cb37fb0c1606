"""URLs of ``xueshi_media``, mounted at ``/xueshi/media/`` in the LMS."""

from django.urls import path  # noqa: F401

app_name = "xueshi_media"

urlpatterns: list = []
