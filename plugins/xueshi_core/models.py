"""Models of ``xueshi_core``: the audit trail of full views of personal data.

``xueshi_core`` is a leaf package (import-linter ``core-is-a-leaf``): every other app may write
here, it depends on none of them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PersonalDataView(models.Model):
    """One full (unmasked) view of one person's personal data field: who, whose, what, why, when, where.

    Rows are evidence for security audits (等保 level 3) and the learner's own access requests, so
    they are append-only: saving an existing row or deleting one raises. Actor and subject are
    plain ids (plus the actor's username as it was), not foreign keys, so that retiring an account
    never cascades into, or is blocked by, the audit trail.
    """

    actor_id = models.BigIntegerField(_("viewer id"), null=True, db_index=True)
    actor_username = models.CharField(_("viewer"), max_length=150, blank=True)
    subject_user_id = models.BigIntegerField(_("whose data (user id)"))
    field = models.CharField(_("field"), max_length=40)
    purpose = models.CharField(_("reason"), max_length=200)
    viewed_at = models.DateTimeField(_("viewed at"), default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=255, blank=True)
    path = models.CharField(_("page or API"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("personal data view")
        verbose_name_plural = _("personal data views")
        ordering = ("-viewed_at", "-id")
        indexes = [
            models.Index(fields=["subject_user_id", "viewed_at"], name="xueshi_pdv_subject_time"),
            models.Index(fields=["field", "viewed_at"], name="xueshi_pdv_field_time"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_username or self.actor_id} viewed {self.field} of user {self.subject_user_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only: an audit row is never changed."""
        if self.pk is not None and not self._state.adding:
            raise PermissionError("personal data views are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        """Never: retention is handled by an explicit, logged purge (see docs/operators)."""
        raise PermissionError("personal data views are append-only")


def _validate_region_codes(value: str) -> None:
    from django.core.exceptions import ValidationError

    from .scopes import parse_region_codes

    try:
        parse_region_codes(value)
    except ValueError as exc:
        raise ValidationError(
            _("Enter six-digit GB/T 2260 region codes separated by commas (%(error)s)."),
            code="region_code",
            params={"error": exc},
        ) from exc


class AccountScope(models.Model):
    """The regions and/or employers a staff account is bound to (``permissions.scope_of``).

    Without a row, operators and auditors see every learner and every other role sees none; with
    one, the account sees only learners of those regions (and, if given, those employers), whatever
    its roles. Edited in the LMS admin by an operator (see docs/operators/permissions.md).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="xueshi_scope",
        verbose_name=_("account"),
    )
    region_codes = models.TextField(
        _("region codes"),
        blank=True,
        validators=[_validate_region_codes],
        help_text=_("Six-digit GB/T 2260 codes separated by commas: 320000 = a province, 320100 = a city."),
    )
    employers = models.TextField(_("employers"), blank=True, help_text=_("Exact employer names, one a line."))
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("account scope")
        verbose_name_plural = _("account scopes")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.region_codes or '-'} / {self.employers.replace(chr(10), ', ') or '-'}"


class RetiredAccount(models.Model):
    """That an account was retired and when: the evidence that its personal data was erased.

    Holds no personal data: the user id (the platform keeps the renamed account) and the pseudonym
    that replaced the name in the records kept for the regulators.
    """

    user_id = models.BigIntegerField(_("user id"), unique=True)
    pseudonym = models.CharField(_("pseudonym"), max_length=150)
    retired_at = models.DateTimeField(_("retired at"), default=timezone.now)

    class Meta:
        verbose_name = _("retired account")
        verbose_name_plural = _("retired accounts")

    def __str__(self) -> str:
        return f"{self.pseudonym} ({self.user_id})"


class FaultCount(models.Model):
    """How often one kind of handled fault happened on one China day (``xueshi_core.faults``)."""

    name = models.CharField(_("fault"), max_length=64)
    day = models.DateField(_("day"))
    count = models.BigIntegerField(_("count"), default=0)
    last_at = models.DateTimeField(_("last seen"), default=timezone.now)

    class Meta:
        verbose_name = _("fault count")
        verbose_name_plural = _("fault counts")
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="xueshi_fault_name_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.name}: {self.count}"


class ConsentRecord(models.Model):
    """One learner's consent to one version of a notice (PIPL art. 14, 17, 29): who, what, when, where.

    Sensitive personal information (ID numbers, biometric face data) is processed only with a
    separate consent to a notice that says who processes it, why, how, for how long and how to
    exercise one's rights; this row is the evidence of that consent. A withdrawal keeps the row and
    sets ``withdrawn_at`` (the evidence that processing before it was lawful stays). Plain user id,
    as in :class:`PersonalDataView`, so retirement never cascades into it (it is pseudonymised).
    """

    user_id = models.BigIntegerField(_("user id"), db_index=True)
    kind = models.CharField(_("notice"), max_length=32)
    version = models.PositiveIntegerField(_("notice version"))
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    path = models.CharField(_("page or API"), max_length=255, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ("-given_at", "-id")
        indexes = [models.Index(fields=["user_id", "kind", "given_at"], name="xueshi_consent_user_kind")]

    def __str__(self) -> str:
        state = f", withdrawn {self.withdrawn_at:%Y-%m-%d}" if self.withdrawn_at else ""
        return f"user {self.user_id}: {self.kind} v{self.version} on {self.given_at:%Y-%m-%d}{state}"


class RefusedAccess(models.Model):
    """A try to read outside the account's scope (another county, a province, a learner elsewhere).

    Evidence for the regulator's and the 等保 assessor's question "who tried to see what they may
    not": append-only like ``PersonalDataView``, plain ids instead of foreign keys. Written by
    ``audit.record_refusal`` from the one place each app checks its scope.
    """

    actor_id = models.BigIntegerField(_("account id"), null=True, db_index=True)
    actor_username = models.CharField(_("account"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40)
    target = models.CharField(_("what was asked for"), max_length=200)
    reason = models.CharField(_("reason"), max_length=200)
    refused_at = models.DateTimeField(_("refused at"), default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    path = models.CharField(_("page or API"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("refused access")
        verbose_name_plural = _("refused accesses")
        ordering = ("-refused_at", "-id")

    def __str__(self) -> str:
        return f"{self.actor_username or self.actor_id} refused {self.action} {self.target}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only: an audit row is never changed."""
        if self.pk is not None and not self._state.adding:
            raise PermissionError("refused accesses are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        """Never: retention is handled by an explicit, logged purge."""
        raise PermissionError("refused accesses are append-only")


class PersonalDataExport(models.Model):
    """One file of learners' data handed to a person: who, what, which scope, how many rows, masked or not.

    The bulk twin of ``PersonalDataView`` (ADR 0159): written by ``audit.record_export`` when a
    file leaves the platform (a download), append-only, plain ids, purged after the retention
    period like the other audit rows.
    """

    actor_id = models.BigIntegerField(_("account id"), null=True, db_index=True)
    actor_username = models.CharField(_("account"), max_length=150, blank=True)
    what = models.CharField(_("what was exported"), max_length=200)
    scope = models.CharField(_("scope"), max_length=500, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    masked = models.BooleanField(_("masked"), default=True)
    exported_at = models.DateTimeField(_("exported at"), default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    path = models.CharField(_("page or API"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("personal data export")
        verbose_name_plural = _("personal data exports")
        ordering = ("-exported_at", "-id")

    def __str__(self) -> str:
        return f"{self.actor_username or self.actor_id} exported {self.rows} rows: {self.what}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only: an audit row is never changed."""
        if self.pk is not None and not self._state.adding:
            raise PermissionError("personal data exports are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        """Never: retention is handled by an explicit, logged purge."""
        raise PermissionError("personal data exports are append-only")
