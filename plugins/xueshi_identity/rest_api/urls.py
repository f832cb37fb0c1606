"""REST API of ``xueshi_identity`` (for the mobile app and the profile page's region lists)."""

from django.urls import path

from .v1 import views

urlpatterns = [
    path("v1/me", views.MeView.as_view(), name="api-me"),
    path("v1/divisions", views.DivisionsView.as_view(), name="api-divisions"),
]
