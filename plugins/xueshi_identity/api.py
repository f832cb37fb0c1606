"""Public Python API of ``xueshi_identity``: what other Xueshi apps (hours, statistics, reports) use."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from xueshi_core import audit
from xueshi_core.permissions import is_platform_staff

from . import divisions, gatecache, idnumbers
from .data import ProfileView, RegisterCheckView
from .models import IdentityProfile, RegisterCheck
from .signals import PROFILE_CHANGED, REGISTER_CHECKED

__all__ = [
    "PROFILE_CHANGED",
    "REGISTER_CHECKED",
    "ProfileView",
    "RegisterCheckView",
    "disclose_for_reporting",
    "find_user_by_id_number",
    "get_profile",
    "has_complete_profile",
    "is_exempt",
    "may_study",
    "record_register_check",
    "register_checks",
    "register_checks_due_again",
    "reveal_id_number",
    "reveal_phone",
]


def _view(profile: IdentityProfile) -> ProfileView:
    missing = tuple(profile.missing_fields())
    codes = [c for c in (profile.province_code, profile.city_code, profile.county_code) if c]
    return ProfileView(
        user_id=profile.user_id,
        real_name=profile.real_name,
        id_type=profile.id_type,
        id_type_label=idnumbers.ID_TYPES.get(profile.id_type, profile.id_type),
        id_number_masked=profile.id_number_masked,
        phone_masked=profile.phone_masked,
        province_code=profile.province_code,
        city_code=profile.city_code,
        county_code=profile.county_code,
        region_names=tuple(divisions.name_of(c) for c in codes),
        employer=profile.employer,
        category_code=profile.category.code if profile.category_id else "",
        category_name=profile.category.name if profile.category_id else "",
        complete=not missing,
        missing=missing,
        source=profile.source,
    )


def get_profile(user_id: int) -> ProfileView | None:
    """The learner's profile, masked, or ``None`` if they have none."""
    profile = IdentityProfile.objects.select_related("category").filter(user_id=user_id).first()
    return _view(profile) if profile else None


def has_complete_profile(user_id: int) -> bool:
    """Whether the learner may study: one indexed lookup on the unique ``user_id`` column.

    Not cached: a cached "yes" would outlive a deleted account whose id is reused, and the query
    costs less than a cache round trip would save (about 70 gated requests a second at 2,000
    learners heart-beating every 30 s).
    """
    return IdentityProfile.objects.filter(user_id=user_id, completed_at__isnull=False).exists()


def may_study(user_id: int) -> bool:
    """``has_complete_profile`` for the gate: a "yes" is remembered in this process for a few seconds.

    See ``gatecache``: the gate runs on every heartbeat, and this turns its query into a dict look-up
    for learners who are studying; a profile saved or deleted in this process is re-read at once.
    """
    if gatecache.known_complete(user_id):
        return True
    complete = has_complete_profile(user_id)
    if complete:
        gatecache.remember_complete(user_id)
    return complete


def is_exempt(user: Any) -> bool:
    """Staff and holders of Xueshi roles do not study, so they need no real-name profile to work.

    Exemption from the gate only: what such an account may see is ``xueshi_core.permissions``.
    """
    return is_platform_staff(user)


def find_user_by_id_number(id_type: str, number: str) -> int | None:
    """The user id registered with this document number (exact match by keyed hash)."""
    digest = IdentityProfile.hash_id_number(id_type, number)
    return IdentityProfile.objects.filter(id_number_hash=digest).values_list("user_id", flat=True).first()


def _reveal(field: str, actor: Any, subject_user_id: int, purpose: str, request: Any) -> str:
    profile = IdentityProfile.objects.get(user_id=subject_user_id)
    return str(
        audit.reveal(
            getattr(profile, field),
            actor=actor,
            subject_user_id=subject_user_id,
            field=field,
            purpose=purpose,
            request=request,
        )
    )


def reveal_id_number(actor: Any, subject_user_id: int, purpose: str, request: Any = None) -> str:
    """The full ID number, for roles allowed to see it; the view is audited first."""
    return _reveal(audit.ID_NUMBER, actor, subject_user_id, purpose, request)


def reveal_phone(actor: Any, subject_user_id: int, purpose: str, request: Any = None) -> str:
    """The full phone number, for roles allowed to see it; the view is audited first."""
    return _reveal(audit.PHONE, actor, subject_user_id, purpose, request)


def category_and_region(user_id: int) -> tuple[str, str] | None:
    """(personnel category code, most specific region code) of the learner, or ``None`` without a profile.

    One query and no region names: what study-hour rules are chosen by (``xueshi_hours``), read on
    every hour account.
    """
    row = (
        IdentityProfile.objects.filter(user_id=user_id)
        .values_list("category__code", "county_code", "city_code", "province_code")
        .first()
    )
    if row is None:
        return None
    category, county, city, province = row
    return category or "", county or city or province or ""


# -- read functions for the statistics roll-ups (xueshi_stats, ADR 0151) ---------------------------
def regions_changed_after(
    after: tuple[Any, int] | None, limit: int = 1000
) -> list[tuple[int, str, str, str, str, str, Any]]:
    """Profiles saved after ``(updated_at, user_id)``, oldest first, as plain tuples.

    Each is ``(user_id, province, city, county, employer, category_code, updated_at)``: what the
    statistics are kept by, nothing personal beyond the employer's name. A roll-up keeps the last
    tuple's ``(updated_at, user_id)`` as its high-water mark.
    """
    from django.db.models import Q

    rows = IdentityProfile.objects.order_by("updated_at", "user_id")
    if after is not None:
        moment, user_id = after
        # ``updated_at >= moment`` first: a range MariaDB reads from the (updated_at, user_id) index.
        rows = rows.filter(updated_at__gte=moment).filter(
            Q(updated_at__gt=moment) | Q(updated_at=moment, user_id__gt=user_id)
        )
    return [
        (uid, province, city, county, employer, category or "", updated)
        for uid, province, city, county, employer, category, updated in rows.values_list(
            "user_id", "province_code", "city_code", "county_code", "employer", "category__code", "updated_at"
        )[:limit]
    ]


def current_regions(user_ids: Any = None) -> dict[int, tuple[str, str, str, str, str]]:
    """``user_id → (province, city, county, employer, category_code)`` of current profiles (all, or these)."""
    rows = IdentityProfile.objects.all()
    if user_ids is not None:
        rows = rows.filter(user_id__in=list(user_ids))
    return {
        uid: (province, city, county, employer, category or "")
        for uid, province, city, county, employer, category in rows.values_list(
            "user_id", "province_code", "city_code", "county_code", "employer", "category__code"
        )
    }


def division_names(codes: Any) -> dict[str, str]:
    """The newest name of each GB/T 2260 code (unknown codes map to themselves)."""
    return divisions.names_of(list(dict.fromkeys(codes)))  # one query, not one per code


def division_exists(code: str) -> bool:
    """Whether a region code is in the division data (current or retired)."""
    return divisions.ever_existed(code)


def category_names() -> dict[str, str]:
    """Personnel category codes and Chinese names, in display order."""
    from .models import PersonnelCategory

    return dict(PersonnelCategory.objects.order_by("sort_order", "code").values_list("code", "name"))


def masked_names(user_ids: Any) -> dict[int, tuple[str, str]]:
    """``user_id → (masked real name, masked ID number)`` for lists of learners (no audit: masked)."""
    from xueshi_core.masking import mask_name

    return {
        uid: (mask_name(name), masked)
        for uid, name, masked in IdentityProfile.objects.filter(user_id__in=list(user_ids)).values_list(
            "user_id", "real_name", "id_number_masked"
        )
    }


def salted_id_hash(user_id: int, salt: str) -> str | None:
    """``sha256$<hex>`` of the learner's ID number followed by ``salt``, or ``None`` without a profile.

    For certificates (``xueshi_certificates``): an Open Badges 3.0 ``IdentityObject`` binds a
    credential to an ID number without printing it; whoever holds the number and the credential's
    salt can check the binding. Nothing is shown to a person, so no full view is recorded.
    """
    import hashlib

    profile = IdentityProfile.objects.filter(user_id=user_id).first()
    if profile is None or not profile.id_number_hash:
        return None
    number = idnumbers.normalise(profile.id_number.reveal())  # type: ignore[union-attr]
    return "sha256$" + hashlib.sha256((number + salt).encode("utf-8")).hexdigest()


def users_named(real_name: str, limit: int = 1000) -> list[int]:
    """User ids whose real name is exactly ``real_name`` (a back-office query by name, 需求 002).

    Exact match only, at most ``limit`` ids: names are not secret, but a prefix search over every
    learner is not what a supervisor needs, and the caller applies its own scope and masking.
    """
    name = (real_name or "").strip()
    if not name:
        return []
    return list(IdentityProfile.objects.filter(real_name=name).values_list("user_id", flat=True)[:limit])


def id_types() -> dict[str, str]:
    """Document type codes and their Chinese names (the ``id_type`` of an ID-number query)."""
    return dict(idnumbers.ID_TYPES)


def division_is_current(code: str) -> bool:
    """Whether a region code is a division in force today (new bindings take current codes only)."""
    return divisions.current(code) is not None


def create_staff_account(username: str, email: str, full_name: str) -> int:
    """An LMS account for a staff member (a supervisor), created the way registration does.

    No real-name profile: holders of Xueshi roles do not study (``is_exempt``). The account gets
    an unusable password; its holder sets one with "forgot password", so no password is ever
    typed or shown by the operator.
    """
    from . import compat

    return compat.create_learner(username, email, full_name, None)


def disclose_for_reporting(user_id: int, destination: str) -> dict[str, str] | None:
    """The learner's full real-name facts for a record pushed to an authority, or ``None`` without a profile.

    Authorities key records by ID number and real name (需求 001/002), so the number leaves in
    full; the disclosure is written to the personal-data audit (actor: the system) before the
    value is read, naming the destination as the purpose (xueshi_reporting, ADR 0200).
    """
    profile = IdentityProfile.objects.filter(user_id=user_id).select_related("category").first()
    if profile is None:
        return None
    audit.record_view(None, user_id, audit.ID_NUMBER, f"reporting to {destination}"[:200])
    return {
        "real_name": profile.real_name,
        "id_type": profile.id_type,
        "id_number": str(profile.id_number.reveal()),
        "region": profile.county_code or profile.city_code or profile.province_code or "",
        "employer": profile.employer,
        "category": profile.category.code if profile.category_id else "",
    }


# -- authorities' registers (xueshi_reporting asks, ADR 0331) ----------------------------------------
REGISTER_STATUSES = tuple(code for code, _label in RegisterCheck.STATUSES)


def _check_view(row: RegisterCheck) -> RegisterCheckView:
    return RegisterCheckView(
        int(row.user_id),
        row.register,
        row.status,
        str(row.get_status_display()),
        row.source,
        row.detail,
        row.attempts,
        row.checked_at,
        row.fingerprint,
    )


def record_register_check(
    user_id: int,
    register: str,
    status: str,
    source: str,
    *,
    detail: str = "",
    attempts: int = 0,
    fingerprint: str | None = None,
) -> RegisterCheckView:
    """Store the latest answer of ``register`` (``learner``, ``accountant``…) about the learner.

    Sends ``REGISTER_CHECKED`` in the same transaction, so a subscriber's rows commit with it.

    Raises:
        ValueError: ``status`` is not one of ``REGISTER_STATUSES`` or ``register`` is not a short slug.
    """
    if status not in REGISTER_STATUSES:
        raise ValueError(f"unknown register check status {status!r}")
    if not register or len(register) > 16 or not register.replace("_", "").isalnum():
        raise ValueError("register must be a short slug")
    with transaction.atomic():
        row, _created = RegisterCheck.objects.select_for_update().get_or_create(
            user_id=user_id, register=register
        )
        row.status, row.source, row.detail = status, source[:100], detail[:300]
        row.attempts, row.checked_at = attempts, timezone.now()
        if fingerprint is not None:
            row.fingerprint = fingerprint[:64]
        row.save()
        REGISTER_CHECKED.send(sender=RegisterCheck, user_id=user_id, register=register, status=status)
    return _check_view(row)


def register_checks(user_id: int) -> dict[str, RegisterCheckView]:
    """The learner's latest register answers by register (empty when none was asked)."""
    return {r.register: _check_view(r) for r in RegisterCheck.objects.filter(user_id=user_id)}


def register_checks_due_again(before: datetime, limit: int) -> list[int]:
    """Learners with a check that failed, or is pending unchanged, since before ``before``; oldest first.

    A check ends in ``error`` when every attempt failed, and stays ``pending`` when its question
    was lost with a worker or a broker (each attempt stamps ``checked_at``). Both are asked again
    by reporting's recheck (ADR 0334) rather than waiting for the next save of the profile.
    """
    rows = RegisterCheck.objects.filter(
        status__in=(RegisterCheck.ERROR, RegisterCheck.PENDING), checked_at__lt=before
    ).order_by("checked_at", "id")
    found: list[int] = []
    for user_id in rows.values_list("user_id", flat=True)[: limit * 2]:
        if int(user_id) not in found:
            found.append(int(user_id))
    return found[:limit]


# -- employer orders (xueshi_payments): ID numbers checked, learners found or imported ----------------
def check_id_number(id_type: str, raw: str) -> tuple[str, str]:
    """``(normalised number, "")`` when valid for its type, else ``("", the reason, translated)``.

    The same check as the profile form (check digit, birth date, region code, document shape).
    """
    from . import conf
    from .messages import ID_NUMBER_ERRORS

    try:
        number = idnumbers.validate(
            id_type, raw, known_region=divisions.ever_existed, today=conf.today(), min_age=conf.min_age()
        )
    except idnumbers.InvalidIdNumber as exc:
        return "", str(ID_NUMBER_ERRORS.get(exc.code, str(exc)))
    return number.number, ""


def read_learner_rows(data: bytes) -> list[tuple[int, dict[str, Any]]]:
    """The rows of a learner-import workbook (the identity import template), checked for shape.

    Raises ``ValueError`` (``importing.ImportFileError``) with the reason for an unusable file.
    """
    from . import importing

    return importing.read_rows(data)


def import_learner_rows(
    rows: list[tuple[int, dict[str, Any]]], scope: Any
) -> dict[int, tuple[int | None, list[str]]]:
    """Create the valid rows' learners one by one: ``row number → (new user id or None, reasons)``."""
    from . import importing

    return {
        result.row: (user_id, list(result.errors))
        for result, user_id in importing.import_each(rows, scope=scope)
    }


def import_template() -> bytes:
    """The empty learner-import workbook (headers, text-formatted number columns, code lists)."""
    from . import importing

    return importing.template_workbook()


def id_type_code(value: str) -> str:
    """A document type as written in a spreadsheet (code or Chinese name) → its code; empty → resident ID."""
    from . import importing

    text = (value or "").strip()
    return importing._id_type_code(text) if text else idnumbers.RESIDENT_ID
