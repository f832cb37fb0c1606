"""Storage the LMS keeps for XBlocks, reduced to what our blocks touch.

``ContentBlock`` plays the modulestore (content and settings scopes), ``StudentModule`` the
LMS table of the same name (one JSON state per learner and block, plus the published grade),
``TrackingEvent`` the tracking log that ``runtime.publish`` feeds.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from opaque_keys.edx.django.models import CourseKeyField, UsageKeyField


class CourseRun(models.Model):
    """A course run, as CourseOverview knows it."""

    course_key = CourseKeyField(max_length=255, unique=True)
    title = models.CharField(max_length=255)
    advanced_modules = models.JSONField(default=list)
    #: ``CourseOverview.course_visibility``: ``private``, ``public_outline`` or ``public`` (units'
    #: ``public_view`` for learners who are not enrolled).
    course_visibility = models.CharField(max_length=32, default="private")

    class Meta:
        verbose_name = _("course run")
        verbose_name_plural = _("course runs")

    def __str__(self) -> str:
        return f"{self.course_key} {self.title}"


class ContentBlock(models.Model):
    """One block of a course with its content- and settings-scoped fields."""

    usage_key = UsageKeyField(max_length=255, unique=True)
    course = models.ForeignKey(CourseRun, on_delete=models.CASCADE, related_name="blocks")
    block_type = models.CharField(max_length=64)
    parent = UsageKeyField(max_length=255, null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    fields = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("content block")
        verbose_name_plural = _("content blocks")
        ordering = ("course", "position")

    def __str__(self) -> str:
        return str(self.usage_key)


class StudentModule(models.Model):
    """A learner's state in one block (the LMS's ``courseware_studentmodule``)."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    usage_key = UsageKeyField(max_length=255, db_index=True)
    course_key = CourseKeyField(max_length=255, db_index=True)
    block_type = models.CharField(max_length=64)
    state = models.JSONField(default=dict)
    grade = models.FloatField(null=True, blank=True)
    max_grade = models.FloatField(null=True, blank=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("student module")
        verbose_name_plural = _("student modules")
        unique_together = (("student", "usage_key"),)

    def __str__(self) -> str:
        return f"{self.student_id} {self.usage_key}"


class OtherScopeField(models.Model):
    """Fields of the remaining scopes (user_state_summary, preferences, user_info)."""

    scope = models.CharField(max_length=32)
    user_id = models.IntegerField(null=True)
    block_scope_id = models.CharField(max_length=255)
    field_name = models.CharField(max_length=64)
    value = models.JSONField(null=True)

    class Meta:
        verbose_name = _("other scope field")
        verbose_name_plural = _("other scope fields")
        unique_together = (("scope", "user_id", "block_scope_id", "field_name"),)

    def __str__(self) -> str:
        return f"{self.scope} {self.block_scope_id}.{self.field_name}"


class TrackingEvent(models.Model):
    """An event an XBlock published, as the LMS tracking log would record it."""

    time = models.DateTimeField(auto_now_add=True, db_index=True)
    user_id = models.IntegerField(null=True, db_index=True)
    event_type = models.CharField(max_length=128, db_index=True)
    course_key = models.CharField(max_length=255, blank=True)
    usage_key = models.CharField(max_length=255, blank=True)
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("tracking event")
        verbose_name_plural = _("tracking events")

    def __str__(self) -> str:
        return f"{self.time} {self.event_type}"


class Enrollment(models.Model):
    """A learner's enrollment in a course run (the LMS's ``student_courseenrollment``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    course = models.ForeignKey(CourseRun, on_delete=models.CASCADE, related_name="enrollments")
    mode = models.CharField(max_length=32, default="audit")
    is_active = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        unique_together = (("user", "course"),)

    def __str__(self) -> str:
        return f"{self.user_id} {self.course_id} {self.mode}"


class UserProfile(models.Model):
    """The LMS's ``auth_userprofile`` (``common/djangoapps/student/models/user.py``), its main fields.

    Registration (``do_create_account``) gives every account one; the full name lives here, not in
    ``auth_user.first_name``. Same table name as the platform's.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    name = models.CharField(_("full name"), max_length=255, blank=True, db_index=True)
    language = models.CharField(max_length=255, blank=True)
    location = models.CharField(max_length=255, blank=True)
    year_of_birth = models.IntegerField(blank=True, null=True)
    gender = models.CharField(max_length=6, blank=True)
    level_of_education = models.CharField(max_length=6, blank=True)
    country = models.CharField(max_length=2, blank=True)
    city = models.TextField(blank=True)
    goals = models.TextField(blank=True)
    phone_number = models.CharField(max_length=50, blank=True)

    class Meta:
        db_table = "auth_userprofile"
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self) -> str:
        return f"{self.user_id} {self.name}"


class CourseMode(models.Model):
    """A course run's enrolment mode and its price (the LMS's ``course_modes_coursemode``).

    As in ``common/djangoapps/course_modes/models.py`` (Verawood), ``min_price`` is a whole number
    in ``currency`` (the platform's ``IntegerField``); a mode with ``min_price`` above 0 is paid.
    """

    course_id = CourseKeyField(max_length=255, db_index=True)
    mode_slug = models.CharField(max_length=100)
    mode_display_name = models.CharField(max_length=255)
    min_price = models.IntegerField(default=0)
    currency = models.CharField(default="usd", max_length=8)
    expiration_datetime = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "course_modes_coursemode"
        verbose_name = _("course mode")
        verbose_name_plural = _("course modes")
        unique_together = (("course_id", "mode_slug", "currency"),)

    def __str__(self) -> str:
        return f"{self.course_id} {self.mode_slug} {self.min_price} {self.currency}"


class UserPreference(models.Model):
    """A user's preference (the LMS's ``user_api_userpreference``): ``pref-lang`` and others.

    As in ``openedx/core/djangoapps/user_api/models.py`` (Verawood): one value per user and key.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences")
    key = models.CharField(max_length=255, db_index=True)
    value = models.TextField()

    class Meta:
        db_table = "user_api_userpreference"
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")
        unique_together = (("user", "key"),)

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}={self.value}"
