"""URLs of ``xueshi_services``, mounted at ``/xueshi/services/`` in the LMS.

Public: the portal, news, FAQ, service centre, QR code, course search and ratings. Signed in:
``mine/`` (My study), ``help/`` (questions and complaints), rating a course, ``q/<slug>/`` (a
questionnaire's short link). Staff: ``staff/``.
"""

from django.urls import path

from . import learner_views, portal_views, questionnaire_staff, questionnaire_views, staff_views

app_name = "xueshi_services"

urlpatterns = [
    path("", portal_views.home, name="portal"),
    path("news/", portal_views.news_list, name="news"),
    path("news/<int:pk>/", portal_views.news_detail, name="article"),
    path("news/files/<int:pk>/", portal_views.attachment, name="attachment"),
    path("faq/", portal_views.faq, name="faq"),
    path("service/", portal_views.service, name="service"),
    path("mobile-qr.svg", portal_views.qr_svg, name="mobile-qr"),
    path("courses/", portal_views.course_search, name="search"),
    path("courses/ratings.json", portal_views.ratings_json, name="ratings-json"),
    path("courses/<str:course_key>/ratings/", learner_views.course_ratings, name="course-ratings"),
    path("courses/<str:course_key>/rate/", learner_views.rate, name="rate"),
    path("mine/", learner_views.my_study, name="my-study"),
    path("help/", learner_views.help_desk, name="help"),
    path("help/<str:serial>/", learner_views.ticket, name="ticket"),
    path("staff/tickets/", staff_views.ticket_desk, name="staff-tickets"),
    path("staff/tickets/counts/", staff_views.complaint_counts, name="staff-counts"),
    path("staff/tickets/<str:serial>/", staff_views.ticket_detail, name="staff-ticket"),
    path("staff/ratings/", staff_views.rating_list, name="staff-ratings"),
    path("staff/ratings/<int:pk>/", staff_views.rating_moderate, name="staff-rating-moderate"),
    path("staff/portal/", staff_views.portal_content, name="staff-portal"),
    path("q/<str:slug>/", questionnaire_views.answer, name="questionnaire"),
    path("q/<str:slug>/thanks/", questionnaire_views.thanks, name="questionnaire-thanks"),
    path("staff/questionnaires/", questionnaire_staff.questionnaire_list, name="staff-questionnaires"),
    path("staff/questionnaires/new/", questionnaire_staff.questionnaire_edit, name="staff-questionnaire-new"),
    path(
        "staff/questionnaires/<int:pk>/",
        questionnaire_staff.questionnaire_results,
        name="staff-questionnaire",
    ),
    path(
        "staff/questionnaires/<int:pk>/edit/",
        questionnaire_staff.questionnaire_edit,
        name="staff-questionnaire-edit",
    ),
    path(
        "staff/questionnaires/<int:pk>/state/",
        questionnaire_staff.questionnaire_state,
        name="staff-questionnaire-state",
    ),
    path(
        "staff/questionnaires/<int:pk>/qr.svg",
        questionnaire_staff.questionnaire_qr,
        name="staff-questionnaire-qr",
    ),
    path(
        "staff/questionnaires/<int:pk>/export.xlsx",
        questionnaire_staff.questionnaire_export,
        name="staff-questionnaire-export",
    ),
]
