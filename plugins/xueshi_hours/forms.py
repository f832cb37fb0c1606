"""Forms of the hours pages: every bad value is a field error (answered 400), never a 500."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import CourseHoursSetting, ExternalHours

_MAGIC = (b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
_CODES = re.compile(r"^[\s,，a-z0-9_-]*$")
_REGIONS = re.compile(r"^[\s,，0-9]*$")


class ExternalHoursForm(forms.ModelForm):  # type: ignore[type-arg]
    """Hours earned elsewhere: the activity, hours claimed, its date and a proof (PDF, JPEG or PNG)."""

    class Meta:
        model = ExternalHours
        fields = ("title", "kind", "category", "hours", "activity_day", "attachment")
        widgets = {"activity_day": forms.DateInput(attrs={"type": "date"})}

    def clean_hours(self) -> Decimal:
        """More than 0 and at most 200: a claim beyond a long course is a typing mistake."""
        hours = self.cleaned_data["hours"]
        if hours is None or hours <= 0 or hours > 200:
            raise forms.ValidationError(_("Claim more than 0 and at most 200 hours."))
        return hours

    def clean_attachment(self) -> Any:
        """Size limit, and the file must start like a PDF, JPEG or PNG (not trusting its name)."""
        upload = self.cleaned_data["attachment"]
        limit = int(getattr(settings, "XUESHI_HOURS_MAX_ATTACHMENT_BYTES", 5 * 1024 * 1024))
        if upload.size > limit:
            raise forms.ValidationError(
                _("The proof is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
            )
        head = upload.read(8)
        upload.seek(0)
        if not head.startswith(_MAGIC):
            raise forms.ValidationError(_("Attach a PDF, JPEG or PNG file."))
        return upload


class CourseHoursForm(forms.ModelForm):  # type: ignore[type-arg]
    """A course's hour settings, edited by its team."""

    class Meta:
        model = CourseHoursSetting
        fields = (
            "title",
            "declared_hours",
            "category",
            "counts_for_categories",
            "counts_for_regions",
            "video_minutes",
            "min_video_share",
            "exam_required",
            "exam_pass_percent",
        )

    def clean_declared_hours(self) -> Decimal:
        """0 to 1000 hours."""
        value = self.cleaned_data["declared_hours"]
        if value is None or value < 0 or value > 1000:
            raise forms.ValidationError(_("Between 0 and 1000."))
        return value

    def clean_min_video_share(self) -> Decimal:
        """A share from 0 to 1."""
        value = self.cleaned_data["min_video_share"]
        if value is None or not 0 <= value <= 1:
            raise forms.ValidationError(_("A share between 0 and 1, e.g. 0.9."))
        return value

    def clean_exam_pass_percent(self) -> int:
        """0 to 100 percent."""
        value = self.cleaned_data["exam_pass_percent"]
        if value is None or not 0 <= value <= 100:
            raise forms.ValidationError(_("A percentage between 0 and 100."))
        return value

    def clean_counts_for_categories(self) -> str:
        """Category codes, comma separated."""
        value = self.cleaned_data["counts_for_categories"] or ""
        if not _CODES.match(value):
            raise forms.ValidationError(_("Personnel category codes separated by commas."))
        return value

    def clean_counts_for_regions(self) -> str:
        """Six-digit GB/T 2260 codes, stored comma separated."""
        value = self.cleaned_data["counts_for_regions"] or ""
        codes = [c for c in re.split(r"[\s,，]+", value) if c]
        if not _REGIONS.match(value) or any(len(c) != 6 for c in codes):
            raise forms.ValidationError(_("Six-digit region codes separated by commas."))
        return ",".join(codes)


class RuleEditForm(forms.Form):
    """A rule set's JSON (one rule object) and why it changes; saving adds a version."""

    body = forms.CharField(
        label=_("Rule (JSON)"), widget=forms.Textarea(attrs={"rows": 28, "spellcheck": "false"})
    )
    note = forms.CharField(label=_("Why this change"), max_length=255)


class RuleImportForm(forms.Form):
    """A rule file (``xueshi-hours-rule/1``); all its rules are imported or none."""

    file = forms.FileField(label=_("Rule file (JSON)"))
