"""URLs of the question bank, mounted at the site root by ``plugin_app``.

Two prefixes: the staff page under ``xueshi/questionbank/`` and the REST API under
``api/xueshi/questionbank/v1/``.
"""

from django.urls import path, re_path

from . import views
from .rest_api.v1 import views as api_views

app_name = "xueshi_questionbank"
COURSE = r"(?P<course_id>[^/]+)"
PAGE = "xueshi/questionbank/"
API = "api/xueshi/questionbank/v1/"

urlpatterns = [
    path(PAGE, views.index, name="index"),
    path(f"{PAGE}template", views.template, name="template"),
    re_path(rf"^{PAGE}{COURSE}/$", views.bank, name="bank"),
    re_path(rf"^{PAGE}{COURSE}/questions/new$", views.question, name="question-new"),
    re_path(rf"^{PAGE}{COURSE}/questions/(?P<uid>[0-9a-fA-F-]+)$", views.question, name="question"),
    re_path(rf"^{PAGE}{COURSE}/import$", views.import_page, name="import"),
    re_path(rf"^{PAGE}{COURSE}/export$", views.export, name="export"),
    re_path(rf"^{PAGE}{COURSE}/stats$", views.statistics, name="stats"),
    path(f"{API}template", api_views.TemplateView.as_view(), name="api-template"),
    re_path(
        rf"^{API}courses/{COURSE}/questions$", api_views.QuestionListView.as_view(), name="api-questions"
    ),
    re_path(
        rf"^{API}courses/{COURSE}/questions/(?P<uid>[0-9a-fA-F-]+)$",
        api_views.QuestionDetailView.as_view(),
        name="api-question",
    ),
    re_path(rf"^{API}courses/{COURSE}/imports$", api_views.ImportView.as_view(), name="api-import"),
    re_path(rf"^{API}courses/{COURSE}/export$", api_views.ExportView.as_view(), name="api-export"),
    re_path(rf"^{API}courses/{COURSE}/stats$", api_views.StatsView.as_view(), name="api-stats"),
]
