"""URLs of face checks; the LMS mounts them at ``/xueshi/face/`` (``plugin_app`` url_config)."""

from __future__ import annotations

from django.urls import path

from . import official_views, review_views, staff_views, views

app_name = "xueshi_face"
urlpatterns = [
    path("check/", views.check_page, name="check"),
    path("enrol/", views.enrol_page, name="enrol"),
    path("consent/", views.give_consent, name="give-consent"),
    path("consent/withdraw/", views.withdraw_consent, name="withdraw-consent"),
    path("api/v1/challenges", views.challenge_api, name="challenge-api"),
    path("api/v1/checks", views.check_api, name="check-api"),
    path("api/v1/enrolment", views.enrolment_api, name="enrolment-api"),
    path("api/v1/staff/users/<int:user_id>/checks", staff_views.learner_checks, name="staff-checks"),
    path("api/v1/staff/users/<int:user_id>/photo", staff_views.enrolment_photo, name="staff-photo"),
    path("api/v1/staff/users/<int:user_id>/reset", staff_views.reset_enrolment, name="staff-reset"),
    path("api/v1/staff/checks/<int:check_id>/frame", staff_views.check_frame, name="staff-frame"),
    path("staff/enrolments/", review_views.review_queue, name="review-queue"),
    path("staff/enrolments/<int:user_id>/", review_views.review_page, name="review"),
    path("staff/official-photos/", official_views.official_photos, name="official-photos"),
    path("api/v1/staff/users/<int:user_id>/enrolment/review", review_views.review_api, name="staff-review"),
]
