"""URLs of ``xueshi_reporting``, mounted at ``/xueshi/reporting/`` in the LMS."""

from django.urls import path, re_path

from . import api_views, approval_views, manage_views

app_name = "xueshi_reporting"

urlpatterns = [
    path("api/v1/changes", api_views.changes, name="api-changes"),
    path("api/v1/openapi.json", api_views.openapi_document, name="api-openapi"),
    path("manage/", manage_views.manage, name="manage"),
    path("manage/act/", manage_views.act, name="act"),
    path("manage/learner/", manage_views.learner, name="learner"),
    path("manage/classes/", approval_views.class_list, name="classes"),
    path("manage/classes/<int:pk>/ask/", approval_views.class_ask, name="class-ask"),
    path("hold/", approval_views.hold, name="hold"),
    re_path(
        r"^manage/batches/(?P<code>[-a-zA-Z0-9_]{1,32})/(?P<batch>[0-9a-f]{32})\.xlsx$",
        manage_views.batch_file,
        name="batch",
    ),
]
