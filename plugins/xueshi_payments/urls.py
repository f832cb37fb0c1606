"""URLs of payments, mounted at ``/xueshi/payments/`` in the LMS."""

from django.urls import path

app_name = "xueshi_payments"
urlpatterns: list = []
