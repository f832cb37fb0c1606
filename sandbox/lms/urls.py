"""URLs of the sandbox LMS, at the same paths as the LMS's own."""

from django.urls import path, re_path

from . import auth, enrollment_views, studio_home, views

app_name = "sandbox_lms"

USAGE = r"(?P<usage_key>block-v1:[^/]+)"
COURSE = r"(?P<course_key>course-v1:[^/]+)"

urlpatterns = [
    path("", views.index, name="index"),
    re_path(rf"^courses/{COURSE}/$", views.course_outline, name="course"),
    path("change_enrollment", enrollment_views.change_enrollment, name="change_enrollment"),
    re_path(rf"^xblock/{USAGE}$", views.render_xblock, name="render_xblock"),
    path("studio/", studio_home.studio_home, name="studio_home"),
    re_path(rf"^studio/xblock/{USAGE}$", views.studio_edit, name="studio_edit"),
    re_path(
        rf"^courses/{COURSE}/xblock/{USAGE}/handler/(?P<handler>[\w-]+)(?:/(?P<suffix>.*))?$",
        views.handler,
        name="handler",
    ),
    re_path(
        rf"^courses/{COURSE}/xblock/{USAGE}/handler_noauth/(?P<handler>[\w-]+)(?:/(?P<suffix>.*))?$",
        views.handler,
        {"noauth": True},
        name="handler_noauth",
    ),
    re_path(
        r"^xblock/resource/(?P<block_type>[\w-]+)/(?P<uri>.+)$", views.xblock_resource, name="xblock_resource"
    ),
    path("oauth2/access_token", auth.access_token, name="access_token"),
]
