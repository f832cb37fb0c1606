"""The real-name form, shared by the profile page, the registration form, the mobile API and import.

One form means one set of rules wherever data comes from. ``partial=True`` (registration) only
requires the identity itself; region, employer and category can be completed on the profile page.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import conf, consent, divisions, idnumbers
from .messages import ID_NUMBER_ERRORS
from .models import IdentityProfile, PersonnelCategory

_LETTERS = "\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ebefA-Za-z"
_NAME = re.compile(rf"^[{_LETTERS}](?:[{_LETTERS}·•.' -]*[{_LETTERS}.])?$")
_MAINLAND_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_INTERNATIONAL = re.compile(r"^\+[1-9]\d{7,14}$")
IDENTITY_FIELDS = ("real_name", "id_type", "id_number")


def normalise_phone(raw: str) -> str:
    """Mainland mobiles as 11 digits; other numbers as +<country><number>."""
    text = re.sub(r"[\s\-()]", "", idnumbers.normalise(raw).replace("＋", "+"))
    if text.startswith("+86") or text.startswith("0086"):
        text = text[3:] if text.startswith("+86") else text[4:]
    elif text.startswith("00"):
        text = "+" + text[2:]
    return text


def clean_name(raw: str) -> str:
    """Collapse spaces; accept Chinese, Latin letters and the separators names use (·, -, ')."""
    name = re.sub(r"\s+", " ", raw or "").strip()
    if not (2 <= len(name) <= 64 and _NAME.match(name)):
        raise forms.ValidationError(_("Enter your name exactly as on your ID document."), code="bad_name")
    return name


def _category_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(c.code, c.name) for c in PersonnelCategory.objects.filter(active=True)]


def _division_choices(parent: str, level: str | None = None) -> list[tuple[str, str]]:
    found = divisions.children(parent)
    return [("", "—")] + [(d.code, d.name) for d in found if level is None or d.level == level]


class ProfileForm(forms.ModelForm):  # type: ignore[type-arg]
    """Real name, document, region, employer, category and phone of one learner."""

    id_number = forms.CharField(label=_("ID number"), max_length=40, strip=True)
    phone = forms.CharField(label=_("Mobile phone"), max_length=24, strip=True)
    category = forms.ChoiceField(label=_("Personnel category"), choices=_category_choices)
    province_code = forms.ChoiceField(label=_("Province"), choices=lambda: _division_choices(""))
    city_code = forms.CharField(label=_("City"), max_length=6, required=False, widget=forms.Select)
    county_code = forms.CharField(
        label=_("County / district"), max_length=6, required=False, widget=forms.Select
    )

    class Meta:
        model = IdentityProfile
        fields = ("real_name", "id_type", "province_code", "city_code", "county_code", "employer")
        labels = {
            "real_name": _("Real name (as on your ID)"),
            "id_type": _("ID type"),
            "employer": _("Employer"),
        }
        # How the LMS describes our fields on its registration form (registration_form.py).
        serialization_options = {
            "id_type": {"field_type": "select"},
            "category": {"field_type": "select"},
            "province_code": {"field_type": "select"},
            "city_code": {"field_type": "text"},
            "county_code": {"field_type": "text"},
        }

    def __init__(
        self,
        *args: Any,
        partial: bool = False,
        locked: bool = False,
        ask_consent: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.partial = partial
        if ask_consent:
            consent.add_consent_field(self)
        self.fields["id_type"].choices = [(t, idnumbers.ID_TYPES[t]) for t in conf.id_types()]
        if locked:  # name and document of a saved profile are corrected by staff only
            for name in IDENTITY_FIELDS:
                del self.fields[name]
        if partial:
            for name in ("province_code", "city_code", "county_code", "employer", "category"):
                self.fields[name].required = False
        instance = self.instance if self.instance.pk else None
        if instance:
            self.initial.setdefault("category", instance.category.code if instance.category_id else "")
            self.fields["phone"].required = False
            self.fields["phone"].help_text = _("Saved as %(masked)s. Leave empty to keep it.") % {
                "masked": instance.phone_masked
            }
        province = self.data.get("province_code") or (instance.province_code if instance else "")
        city = self.data.get("city_code") or (instance.city_code if instance else "")
        empty = [("", "—")]
        self.fields["city_code"].widget.choices = _division_choices(province, "city") if province else empty
        self.fields["county_code"].widget.choices = (
            _division_choices(city or province, "county") if province else empty
        )

    @property
    def consent_notice(self) -> str:
        """The PIPL notice shown above the consent box (empty when the form does not ask)."""
        return consent.notice() if consent.FIELD in self.fields else ""

    def clean_real_name(self) -> str:
        """Collapse spaces; accept Chinese, Latin letters and the separators names use (·, -, ')."""
        return clean_name(self.cleaned_data["real_name"])

    def clean_phone(self) -> str:
        """A mainland mobile (11 digits) or an international number; empty keeps the saved one."""
        raw = self.cleaned_data.get("phone", "")
        if not raw and self.instance.pk:
            return ""
        phone = normalise_phone(raw)
        if not (_MAINLAND_MOBILE.match(phone) or _INTERNATIONAL.match(phone)):
            raise forms.ValidationError(
                _("Enter an 11-digit mainland mobile number, or +country code and number."), code="bad_phone"
            )
        return phone

    def clean_category(self) -> PersonnelCategory | None:
        """The active category with this code."""
        code = self.cleaned_data.get("category")
        return PersonnelCategory.objects.filter(code=code, active=True).first() if code else None

    def clean(self) -> dict[str, Any]:
        """Check the document number against its type, then the region chain."""
        data = super().clean()
        if "id_number" in self.fields and "id_number" in data and data.get("id_type"):
            self._clean_id_number(data)
        if data.get("province_code") or not self.partial:
            for field, reason in divisions.check_region(
                data.get("province_code", ""), data.get("city_code", ""), data.get("county_code", "")
            ).items():
                if field not in self.errors:
                    self.add_error(field, reason)
        return data

    def _clean_id_number(self, data: dict[str, Any]) -> None:
        try:
            number = idnumbers.validate(
                data["id_type"],
                data["id_number"],
                known_region=divisions.ever_existed,
                today=conf.today(),
                min_age=conf.min_age(),
            )
        except idnumbers.InvalidIdNumber as exc:
            self.add_error("id_number", forms.ValidationError(ID_NUMBER_ERRORS[exc.code], code=exc.code))
            return
        data["id_number"] = number.number
        taken = IdentityProfile.objects.filter(
            id_number_hash=IdentityProfile.hash_id_number(number.id_type, number.number)
        )
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            self.add_error(
                "id_number",
                forms.ValidationError(ID_NUMBER_ERRORS["id_number_taken"], code="id_number_taken"),
            )

    def save(self, commit: bool = True) -> IdentityProfile:
        """Assign the plain values (the model encrypts, hashes and masks them on save)."""
        profile: IdentityProfile = super().save(commit=False)
        if "id_number" in self.fields:
            profile.id_number = self.cleaned_data["id_number"]
        if self.cleaned_data.get("phone"):
            profile.phone = self.cleaned_data["phone"]
        profile.category = self.cleaned_data.get("category")  # type: ignore[assignment]
        consent.mark_pending(self, profile)
        if commit:
            profile.save()
        return profile


#: The platform's own registration field that carries the learner's name (asked once, used as ours).
PLATFORM_NAME_FIELD = "name"


class RegistrationExtensionForm(ProfileForm):
    """``REGISTRATION_EXTENSION_FORM``: the LMS shows these fields at sign-up and saves the profile.

    The platform calls ``save(commit=False)``, sets ``user`` and saves (``do_create_account``);
    the rest of the profile is completed on the profile page before the learner studies. The
    name is the platform's own ``name`` field (one form asks each thing once); the separate
    consent to processing the ID number is required.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("partial", True)
        kwargs.setdefault("ask_consent", True)
        super().__init__(*args, **kwargs)
        del self.fields["real_name"]
        self.instance.source = "registration"

    def clean(self) -> dict[str, Any]:
        """Check the platform's name field as our real name."""
        data = super().clean()
        try:
            data["real_name"] = clean_name(str(self.data.get(PLATFORM_NAME_FIELD, "")))
        except forms.ValidationError as exc:
            self.add_error(None, exc)
        return data

    def save(self, commit: bool = True) -> IdentityProfile:
        """The platform's name is the real name."""
        self.instance.real_name = self.cleaned_data["real_name"]
        return super().save(commit=commit)
