"""URLs of the sandbox: the LMS stand-in, admin, auth, and every plugin's URLs via entry points."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.staticfiles import views as staticfiles_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from edx_django_utils.plugins import get_plugin_url_patterns

from sandbox.lms.auth import SandboxLoginView
from sandbox.lms.language import switch_language
from sandbox.lms.media import serve_media
from sandbox.lms.register import register

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", SandboxLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", register, name="register"),
    # set_language at the LMS's own path; signed in, the choice is also the pref-lang preference
    path("i18n/setlang/", switch_language, name="set_language"),
    # The LMS's OAuth2 provider (django-oauth-toolkit); the sharing API's clients take tokens here.
    path("oauth2/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("api/schema/", SpectacularAPIView.as_view(), name="openapi-schema"),
    # edx-val's API where lms/urls.py mounts it (its serializers reverse "video-detail").
    re_path(r"^api/val/v0/", include("edxval.urls")),
    path("", include("sandbox.lms.urls")),
    # Exactly what lms/urls.py does for plugin apps.
    *get_plugin_url_patterns(settings.PROJECT_TYPE),
    re_path(r"^media/(?P<path>.+)$", serve_media, name="media"),
    # DEBUG is off by default, and runserver then serves no static files: the sandbox serves them
    # from the apps' folders itself (never a production setup; the LMS has its own static server).
    re_path(r"^static/(?P<path>.+)$", staticfiles_views.serve, {"insecure": True}, name="static"),
]
