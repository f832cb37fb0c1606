"""URLs of ``xueshi_notify``, mounted at ``/xueshi/notify/`` in the LMS."""

from django.urls import path

from . import views

app_name = "xueshi_notify"

urlpatterns = [
    path("preferences/", views.preferences_page, name="preferences"),
    path("manage/log/", views.send_log, name="log"),
    path("manage/log/<int:pk>/resend/", views.resend, name="resend"),
]
