"""URLs of ``xueshi_livestream``, mounted at ``/xueshi/live/`` in the LMS."""

from django.urls import path

from . import views

app_name = "xueshi_livestream"

urlpatterns = [path("callback/", views.callback, name="callback")]
