"""URLs of ``xueshi_identity``: pages under ``/xueshi/identity/``, the API under ``/api/xueshi/identity/``."""

from django.urls import include, path

from . import staff_views, views

app_name = "xueshi_identity"

urlpatterns = [
    path("xueshi/identity/profile/", views.profile_page, name="profile"),
    path("xueshi/identity/staff/", staff_views.staff_list, name="staff-list"),
    path("xueshi/identity/staff/export.xlsx", staff_views.staff_export, name="staff-export"),
    path("xueshi/identity/staff/import/", staff_views.staff_import, name="staff-import"),
    path("xueshi/identity/staff/import/template.xlsx", staff_views.import_template, name="import-template"),
    path("xueshi/identity/staff/<int:user_id>/", staff_views.staff_detail, name="staff-detail"),
    path("xueshi/identity/staff/<int:user_id>/reveal/", staff_views.staff_reveal, name="staff-reveal"),
    path("api/xueshi/identity/", include("xueshi_identity.rest_api.urls")),
]
