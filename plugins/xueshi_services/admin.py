"""Admin: where operators edit the portal without code (news, categories, courses, FAQ, service centre).

Who may edit is the permission API's answer (``MANAGE_PORTAL``), not Django's per-model
permissions, so an operator role is enough (with the admin site's own ``is_staff`` gate). Ratings
and tickets are not edited here: operators act on them on the staff pages (moderation, answers).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from xueshi_core.permissions import MANAGE_PORTAL, may

from .models import (
    Article,
    Attachment,
    FaqEntry,
    NewsCategory,
    PortalSettings,
    RecommendedCourse,
    ServiceContact,
    TrainingCategory,
)

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def _editor(self: Any, request: Any, obj: Any = None) -> bool:
    """Accounts granted ``MANAGE_PORTAL`` see, add, change and delete portal rows."""
    return may(request.user, MANAGE_PORTAL)


class PortalAdmin(admin.ModelAdmin):
    """Every portal model: editable by accounts granted ``MANAGE_PORTAL``."""

    has_view_permission = has_add_permission = has_change_permission = has_delete_permission = _editor

    def has_module_permission(self, request: Any) -> bool:
        """The app shows in the admin index for portal editors."""
        return may(request.user, MANAGE_PORTAL)


def _check_course_keys(lines: list[str]) -> None:
    for line in lines:
        try:
            CourseKey.from_string(line)
        except InvalidKeyError as exc:
            raise forms.ValidationError(_("Not a course key: %(key)s") % {"key": line[:100]}) from exc


class TrainingCategoryForm(forms.ModelForm):
    """Refuses lines that are not course keys, so the portal never links to nothing."""

    class Meta:
        model = TrainingCategory
        fields = (
            "name",
            "description",
            "personnel_category",
            "region_code",
            "course_keys",
            "order",
            "is_active",
        )

    def clean_course_keys(self) -> str:
        """One valid course key a line."""
        text = self.cleaned_data["course_keys"]
        _check_course_keys([line.strip() for line in text.splitlines() if line.strip()])
        return str(text)


class RecommendedCourseForm(forms.ModelForm):
    """Refuses a course key that does not parse."""

    class Meta:
        model = RecommendedCourse
        fields = ("course_key", "title", "reason", "order", "is_active")

    def clean_course_key(self) -> str:
        """A valid course key."""
        text = str(self.cleaned_data["course_key"]).strip()
        _check_course_keys([text])
        return text


class AttachmentForm(forms.ModelForm):
    """Refuses files over 20 MB (the extension list is on the model field)."""

    class Meta:
        model = Attachment
        fields = ("title", "file")

    def clean_file(self) -> Any:
        """At most ``MAX_ATTACHMENT_BYTES``."""
        file = self.cleaned_data["file"]
        if file is not None and getattr(file, "size", 0) > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return file


class AttachmentInline(admin.TabularInline):
    """Attachments edited on their article's page."""

    model = Attachment
    form = AttachmentForm
    extra = 1

    has_view_permission = has_add_permission = has_change_permission = has_delete_permission = _editor


@admin.register(NewsCategory)
class NewsCategoryAdmin(PortalAdmin):
    """Columns of news."""

    list_display = ("name", "order", "is_active")
    list_editable = ("order", "is_active")


@admin.register(Article)
class ArticleAdmin(PortalAdmin):
    """Announcements and policy news, with attachments."""

    list_display = ("title", "category", "published_at", "is_published", "is_pinned")
    list_filter = ("category", "is_published")
    search_fields = ("title", "summary")
    inlines = (AttachmentInline,)


@admin.register(TrainingCategory)
class TrainingCategoryAdmin(PortalAdmin):
    """Training categories by personnel category and region."""

    form = TrainingCategoryForm
    list_display = ("name", "personnel_category", "region_code", "order", "is_active")


@admin.register(RecommendedCourse)
class RecommendedCourseAdmin(PortalAdmin):
    """Recommended courses."""

    form = RecommendedCourseForm
    list_display = ("course_key", "title", "order", "is_active")


@admin.register(FaqEntry)
class FaqEntryAdmin(PortalAdmin):
    """FAQ."""

    list_display = ("question", "order", "is_active")


@admin.register(ServiceContact)
class ServiceContactAdmin(PortalAdmin):
    """Service centre contacts."""

    list_display = ("name", "phone", "email", "hours", "order", "is_active")


@admin.register(PortalSettings)
class PortalSettingsAdmin(PortalAdmin):
    """The welcome line and the mobile address; one row."""

    list_display = ("welcome", "mobile_url")


#: (admin changelist URL name, label) for the staff portal page, in the order an editor works.
EDITABLE = (
    ("admin:xueshi_services_article_changelist", _("Announcements and news")),
    ("admin:xueshi_services_newscategory_changelist", _("News categories")),
    ("admin:xueshi_services_trainingcategory_changelist", _("Training categories")),
    ("admin:xueshi_services_recommendedcourse_changelist", _("Recommended courses")),
    ("admin:xueshi_services_faqentry_changelist", _("Frequently asked questions")),
    ("admin:xueshi_services_servicecontact_changelist", _("Service centre contacts")),
    ("admin:xueshi_services_portalsettings_changelist", _("Portal settings")),
)
