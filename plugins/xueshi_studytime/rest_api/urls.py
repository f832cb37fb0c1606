"""REST API of the study-time ledger, mounted by ``plugin_app`` at ``^api/xueshi/studytime/``."""

from django.urls import path

from .v1 import views

app_name = "xueshi_studytime"
urlpatterns = [
    path("v1/heartbeats", views.HeartbeatView.as_view(), name="heartbeats"),
    path("v1/challenges/answer", views.ChallengeAnswerView.as_view(), name="challenge-answer"),
    path("v1/me/summary", views.SummaryView.as_view(), name="summary"),
]
