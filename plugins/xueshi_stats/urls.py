"""URLs of ``xueshi_stats``: pages under ``/xueshi/stats/``, JSON under ``/api/xueshi/stats/``."""

from django.urls import path

from . import views

app_name = "xueshi_stats"

#: Learner ids are matched as text and checked by ``params.bounded_int`` (a 400, not an overflow).
urlpatterns = [
    path("xueshi/stats/", views.dashboard, name="dashboard"),
    path("xueshi/stats/learners/", views.learners, name="learners"),
    path("xueshi/stats/learners/<str:learner_id>/", views.learner, name="learner"),
    path("api/xueshi/stats/figures/", views.figures_api, name="api-figures"),
    path("api/xueshi/stats/learners/", views.learners_api, name="api-learners"),
    path("api/xueshi/stats/learners/<str:learner_id>/", views.learner_api, name="api-learner"),
]
