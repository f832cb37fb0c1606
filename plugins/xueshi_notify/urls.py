"""URLs of ``xueshi_notify``, mounted at ``/xueshi/notify/`` in the LMS."""

from django.urls import path

from . import views

app_name = "xueshi_notify"

urlpatterns = [
    path("preferences/", views.preferences_page, name="preferences"),
    path("wechat/bind/", views.wechat_bind, name="wechat-bind"),
    path("wechat/bound/", views.wechat_bound, name="wechat-bound"),
    path("wechat/unbind/", views.wechat_unbind, name="wechat-unbind"),
    path("manage/log/", views.send_log, name="log"),
    path("manage/log/<int:pk>/resend/", views.resend, name="resend"),
]
