"""Filters of the staff pages, validated so bad input is a 400 with reasons, never a 500."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from .models import AccessEvent


def day_start(day: date) -> datetime:
    """Midnight of a China day, as an aware datetime (days are Asia/Shanghai days)."""
    zone = ZoneInfo(str(getattr(settings, "XUESHI_TIME_ZONE", "Asia/Shanghai")))
    return datetime.combine(day, time.min, tzinfo=zone)


class AuditFilter(forms.Form):
    """Search the sign-in audit."""

    q = forms.CharField(label=_("Account (username or e-mail)"), required=False, max_length=254)
    event = forms.ChoiceField(
        label=_("Event"), required=False, choices=[("", "—"), *AccessEvent.EVENT_CHOICES]
    )
    ip = forms.GenericIPAddressField(label=_("IP"), required=False)
    start = forms.DateField(label=_("From (day)"), required=False)
    end = forms.DateField(label=_("To (day, inclusive)"), required=False)

    def clean(self) -> dict[str, object]:
        """Refuse a period that ends before it starts."""
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            raise forms.ValidationError(_("The end day is before the start day."))
        return data

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """The period as aware datetimes (end exclusive)."""
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        return (day_start(start) if start else None, day_start(end + timedelta(days=1)) if end else None)


class SuspiciousFilter(forms.Form):
    """Window and course of the suspicious-IP report."""

    days = forms.IntegerField(label=_("Days"), required=False, min_value=1, max_value=366)
    end = forms.DateField(label=_("Up to (day, inclusive)"), required=False)
    course = forms.CharField(label=_("Course"), required=False, max_length=255)

    def clean_course(self) -> str:
        """A course key or nothing."""
        value = str(self.cleaned_data.get("course") or "").strip()
        if value:
            try:
                CourseKey.from_string(value)
            except InvalidKeyError as exc:
                raise forms.ValidationError(_("Not a course key.")) from exc
        return value
