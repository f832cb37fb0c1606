"""REST API of the study-time ledger, mounted by ``plugin_app`` at ``^api/xueshi/studytime/``."""

from django.urls import path

from .v1 import plain, sessions, views

app_name = "xueshi_studytime"
urlpatterns = [
    # Plain Django views on the hot path (ADR 0703), described in the schema by the DRF classes.
    path("v1/heartbeats", plain.documented_as(views.HeartbeatView)(plain.heartbeats), name="heartbeats"),
    path(
        "v1/challenges/answer",
        plain.documented_as(views.ChallengeAnswerView)(plain.challenge_answers),
        name="challenge-answer",
    ),
    path("v1/challenges/<str:challenge_id>/image", plain.challenge_image, name="challenge-image"),
    path("v1/sessions", sessions.SessionOpenView.as_view(), name="sessions"),
    path("v1/me/summary", views.SummaryView.as_view(), name="summary"),
]
