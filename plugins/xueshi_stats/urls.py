"""URLs of ``xueshi_stats``: pages under ``/xueshi/stats/``, JSON under ``/api/xueshi/stats/``."""

from django.urls import path

from . import project_views, supervisor_views, views

app_name = "xueshi_stats"

#: Learner ids are matched as text and checked by ``params.bounded_int`` (a 400, not an overflow).
urlpatterns = [
    path("xueshi/stats/", views.dashboard, name="dashboard"),
    path("xueshi/stats/learners/", views.learners, name="learners"),
    path("xueshi/stats/learners/<str:learner_id>/", views.learner, name="learner"),
    path("api/xueshi/stats/figures/", views.figures_api, name="api-figures"),
    path("api/xueshi/stats/learners/", views.learners_api, name="api-learners"),
    path("api/xueshi/stats/learners/<str:learner_id>/", views.learner_api, name="api-learner"),
    path("xueshi/stats/query/", views.query, name="query"),
    path("api/xueshi/stats/query/", views.query_api, name="api-query"),
    path("xueshi/stats/exports/", views.export_start, name="export-start"),
    path("xueshi/stats/exports/<str:token>/", views.export_page, name="export"),
    path("xueshi/stats/exports/<str:token>/file", views.export_file, name="export-file"),
    path("api/xueshi/stats/exports/<str:token>/", views.export_api, name="api-export"),
    path("xueshi/stats/supervisors/", supervisor_views.supervisor_list, name="supervisors"),
    path("xueshi/stats/supervisors/new/", supervisor_views.supervisor_new, name="supervisor-new"),
    path("xueshi/stats/supervisors/<str:user_id>/", supervisor_views.supervisor_edit, name="supervisor-edit"),
    path("xueshi/stats/projects/", project_views.project_list, name="projects"),
    path("xueshi/stats/projects/new/", project_views.project_edit, name="project-new"),
    path("xueshi/stats/projects/<slug:code>/", project_views.project_detail, name="project"),
    path("xueshi/stats/projects/<slug:code>/edit/", project_views.project_edit, name="project-edit"),
    path("xueshi/stats/projects/<slug:code>/approve/", project_views.project_approve, name="project-approve"),
    path("api/xueshi/stats/projects/", project_views.project_list_api, name="api-projects"),
    path("api/xueshi/stats/projects/<slug:code>/", project_views.project_api, name="api-project"),
]
