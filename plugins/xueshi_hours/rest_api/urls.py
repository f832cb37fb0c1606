"""REST API of ``xueshi_hours`` (mounted under ``/xueshi/hours/api/``)."""

from django.urls import path

from .v1 import archive

urlpatterns = [
    path("v1/archive", archive.MyArchiveView.as_view(), name="api-archive"),
    path(
        "v1/learners/<int:user_id>/archive", archive.LearnerArchiveView.as_view(), name="api-learner-archive"
    ),
]
