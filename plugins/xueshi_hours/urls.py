"""URLs of study hours; the LMS and Studio mount them at ``/xueshi/hours/`` (``plugin_app`` url_config)."""

from __future__ import annotations

from django.urls import include, path

from . import archive_views, views_learner, views_rules, views_staff

app_name = "xueshi_hours"
urlpatterns = [
    path("", views_learner.my_hours, name="mine"),
    path("api/v1/account", views_learner.my_account_api, name="account-api"),
    path("api/", include("xueshi_hours.rest_api.urls")),
    path("external/", views_learner.submit_external, name="external-submit"),
    path("external/<int:pk>/proof", views_learner.external_attachment, name="external-proof"),
    path("staff/external/", views_staff.external_queue, name="external-queue"),
    path("staff/external/<int:pk>/decide", views_staff.external_decide, name="external-decide"),
    path("course/<str:course_key>/", views_staff.course_settings, name="course-settings"),
    path("rules/", views_rules.rule_list, name="rules"),
    path("rules/import/", views_rules.rule_import, name="rules-import"),
    path("rules/export.json", views_rules.rule_export, name="rules-export"),
    path("rules/<slug:rule_id>/", views_rules.rule_detail, name="rule"),
    path("rules/<slug:rule_id>/edit/", views_rules.rule_edit, name="rule-edit"),
    path("rules/<slug:rule_id>/export.json", views_rules.rule_export, name="rule-export"),
    path("archive/", archive_views.my_archive, name="archive"),
    path("archive/hours.pdf", archive_views.my_hours_pdf, name="archive-pdf"),
    path("staff/learners/<int:user_id>/archive/", archive_views.staff_archive, name="staff-archive"),
    path(
        "staff/learners/<int:user_id>/archive/hours.pdf",
        archive_views.staff_hours_pdf,
        name="staff-archive-pdf",
    ),
]
