"""Models of ``xueshi_identity``: real-name profiles, GB/T 2260 divisions, personnel categories.

ID numbers and phones are stored encrypted (``xueshi_core.fields``), beside a keyed hash for exact
lookups and a masked copy for lists and exports, so that no screen ever needs to decrypt to show
a row. Codes of divisions and categories are stored in profiles, reports and certificates for
years: never reuse a code for something else.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xueshi_core import crypto
from xueshi_core.fields import EncryptedTextField
from xueshi_core.masking import mask_id_number, mask_phone

from . import idnumbers
from .signals import PROFILE_CHANGED

ID_NUMBER_PURPOSE, PHONE_PURPOSE = "id_number", "phone"


LEVELS = (("province", _("province")), ("city", _("city")), ("county", _("county")))


class AdminDivision(models.Model):
    """One administrative division code as valid over a period (codes change every year)."""

    code = models.CharField(_("code"), max_length=6)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=8, choices=LEVELS)
    parent_code = models.CharField(_("parent code"), max_length=6, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True, help_text=_("empty while current"))
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        verbose_name = _("administrative division")
        verbose_name_plural = _("administrative divisions")
        ordering = ("code", "valid_from")
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="xueshi_division_code_from")
        ]
        indexes = [models.Index(fields=["parent_code", "valid_to"], name="xueshi_division_parent")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PersonnelCategory(models.Model):
    """A personnel category (人员类别) that study-hour rules and statistics are kept by.

    Operators add their own in the admin; ``code`` is what rules and reports refer to.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=64)
    name_en = models.CharField(_("name (English)"), max_length=64, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("offered to learners"), default=True)

    class Meta:
        verbose_name = _("personnel category")
        verbose_name_plural = _("personnel categories")
        ordering = ("sort_order", "code")

    def __str__(self) -> str:
        return self.name


class IdentityProfile(models.Model):
    """A learner's real-name profile: one per account, and one account per ID number."""

    SOURCES = (
        ("registration", _("registration form")),
        ("profile_page", _("profile page")),
        ("api", _("mobile app")),
        ("import", _("staff import")),
        ("staff", _("staff correction")),
        ("demo", _("demo data")),
    )

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="xueshi_identity",
        verbose_name=_("user"),
    )
    real_name = models.CharField(_("real name"), max_length=64)
    id_type = models.CharField(_("ID type"), max_length=24, choices=list(idnumbers.ID_TYPES.items()))
    id_number = EncryptedTextField(_("ID number"), purpose=ID_NUMBER_PURPOSE)
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=32, editable=False)
    province_code = models.CharField(_("province"), max_length=6, blank=True, db_index=True)
    city_code = models.CharField(_("city"), max_length=6, blank=True, db_index=True)
    county_code = models.CharField(_("county"), max_length=6, blank=True, db_index=True)
    employer = models.CharField(_("employer"), max_length=128, blank=True)
    category = models.ForeignKey(
        PersonnelCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("personnel category"),
    )
    phone = EncryptedTextField(_("mobile phone"), purpose=PHONE_PURPOSE)
    phone_hash = models.CharField(max_length=64, db_index=True, editable=False)
    phone_masked = models.CharField(_("mobile phone"), max_length=20, editable=False)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    source = models.CharField(_("collected by"), max_length=16, choices=SOURCES, default="profile_page")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("real-name profile")
        verbose_name_plural = _("real-name profiles")
        # The statistics' roll-up reads profiles saved after a high-water mark, in this order,
        # every minute (``api.regions_changed_after``); without it MariaDB scans and sorts them all.
        indexes = [models.Index(fields=["updated_at", "user_id"], name="xueshi_profile_updated")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.id_number_masked}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Derive hash, mask and completeness from the values, whoever saves (forms, the platform)."""
        if isinstance(self.id_number, str):
            self.id_number = idnumbers.normalise(self.id_number)
            self.id_number_hash = self.hash_id_number(self.id_type, self.id_number)
            self.id_number_masked = mask_id_number(self.id_number)
        if isinstance(self.phone, str):
            self.phone_hash = self.hash_phone(self.phone)
            self.phone_masked = mask_phone(self.phone)
        complete = not self.missing_fields()
        if complete and self.completed_at is None:
            self.completed_at = timezone.now()
        elif not complete:
            self.completed_at = None
        with transaction.atomic():
            super().save(*args, **kwargs)
            PROFILE_CHANGED.send(sender=type(self), user_id=int(self.user_id), complete=complete)

    def missing_fields(self) -> list[str]:
        """Fields still needed before the learner may study (region chain checked against current codes)."""
        from .divisions import check_region

        missing = [
            name
            for name in ("real_name", "id_type", "id_number_hash", "phone_hash", "employer", "category_id")
            if not getattr(self, name)
        ]
        missing.extend(check_region(self.province_code, self.city_code, self.county_code))
        return [name.removesuffix("_hash").removesuffix("_id") for name in missing]

    @staticmethod
    def hash_id_number(id_type: str, number: str) -> str:
        """Keyed hash of a normalised number; the type is included, so a passport never collides."""
        return crypto.keyed_hash(f"{id_type}:{idnumbers.normalise(number)}", purpose=ID_NUMBER_PURPOSE)

    @staticmethod
    def hash_phone(phone: str) -> str:
        """Keyed hash of a normalised mobile number (look-ups by staff)."""
        return crypto.keyed_hash(phone, purpose=PHONE_PURPOSE)


class RetainedIdentity(models.Model):
    """What the regulators' retention keeps of a retired learner's real-name profile (ADR 0060).

    No name, no number, no phone, no employer: the keyed hash of the ID number (so an official's
    lookup by ID number still finds the learner's study records and certificates), and the region
    and personnel category the statistics are kept by. The profile itself is deleted, which frees
    the ID number for a new account of the same person.
    """

    user_id = models.BigIntegerField(_("user id"), unique=True)
    id_type = models.CharField(_("ID type"), max_length=24, choices=list(idnumbers.ID_TYPES.items()))
    id_number_hash = models.CharField(max_length=64, db_index=True, editable=False)
    province_code = models.CharField(_("province"), max_length=6, blank=True)
    city_code = models.CharField(_("city"), max_length=6, blank=True)
    county_code = models.CharField(_("county"), max_length=6, blank=True)
    category_code = models.CharField(_("personnel category"), max_length=40, blank=True)
    collected_at = models.DateTimeField(_("collected"), null=True)
    retired_at = models.DateTimeField(_("retired"), default=timezone.now)

    class Meta:
        verbose_name = _("retained identity of a retired account")
        verbose_name_plural = _("retained identities of retired accounts")

    def __str__(self) -> str:
        return f"retired user {self.user_id}"


class RegisterCheck(models.Model):
    """An authority's answer about a learner: the provincial real-name register, the finance register.

    One row per (learner, register), the latest answer; who asked (``source``: the destination)
    and when. Reporting asks and writes it through ``api.record_register_check``; the answer
    belongs beside the profile it confirms, not in the reporting outbox (ADR 0331).
    """

    PENDING, CONFIRMED, MISMATCH, NOT_FOUND, ERROR = "pending", "confirmed", "mismatch", "not_found", "error"
    STATUSES = (
        (PENDING, _("being checked")),
        (CONFIRMED, _("confirmed")),
        (MISMATCH, _("name and number do not match")),
        (NOT_FOUND, _("not in the register")),
        (ERROR, _("could not be checked")),
    )

    user_id = models.BigIntegerField(_("user id"))
    register = models.CharField(_("register"), max_length=16)
    status = models.CharField(_("status"), max_length=12, choices=STATUSES, default=PENDING)
    source = models.CharField(_("source"), max_length=100, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    attempts = models.PositiveIntegerField(_("check attempts"), default=0)
    #: A digest of what was asked (name, ID), so an unchanged profile is not asked about again.
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    checked_at = models.DateTimeField(_("checked"), default=timezone.now)

    class Meta:
        verbose_name = _("register check")
        verbose_name_plural = _("register checks")
        constraints = [
            models.UniqueConstraint(fields=("user_id", "register"), name="xid_register_check_once")
        ]
        #: reporting's recheck finds failed and stalled checks by these (ADR 0334).
        indexes = [models.Index(fields=("status", "checked_at"), name="xid_register_check_due")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.register}: {self.status}"
