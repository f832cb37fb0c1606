"""URLs of the sandbox: the LMS stand-in, admin, auth, and every plugin's URLs via entry points."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from edx_django_utils.plugins import get_plugin_url_patterns

from sandbox.lms.media import serve_media
from sandbox.lms.register import register

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", register, name="register"),
    path("api/schema/", SpectacularAPIView.as_view(), name="openapi-schema"),
    path("", include("sandbox.lms.urls")),
    # Exactly what lms/urls.py does for plugin apps.
    *get_plugin_url_patterns(settings.PROJECT_TYPE),
    re_path(r"^media/(?P<path>.+)$", serve_media, name="media"),
]
