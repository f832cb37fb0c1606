"""Issue a certificate exactly once: eligibility is a thin step in front of ``issue_for_account``.

``issue_for_account`` takes an ``xueshi_hours.api.HourAccount`` (built by the hours app, or by a
test) and the holder's identity, and inside one transaction:

1. locks the serial counter of its prefix (``SELECT … FOR UPDATE``): issuers under one prefix queue
   here instead of racing, and numbers stay dense;
2. looks for the certificate this holder already has for this period (a locking read): if there
   is one, that one is the answer, so a double click, a retried request or a re-run batch returns
   the existing certificate;
3. takes the next serial and status-list slot, writes the row, signs its credential.

The unique constraint on (holder, kind, period, course) is the last line of defence: should two
transactions slip past the lock (a different prefix after a setting change), the loser's
``IntegrityError`` is caught and the winner's certificate returned (ADR 0120).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from xueshi_core.days import china_day

from . import conf, credentials, serials, snapshot
from .holders import Holder, holder_of
from .models import COURSE, YEAR, Certificate, SerialCounter

#: Characters of check codes: no 0/O, 1/I/L, so a code read off paper is typed right.
CHECK_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CHECK_LENGTH = 8


class NotEligible(Exception):
    """The learner may not have this certificate (yet): ``code`` says why, for pages and batches."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


@dataclass(frozen=True)
class Issued:
    """The certificate, and whether this call created it (``False``: it existed already)."""

    certificate: Certificate
    created: bool


def new_check_code() -> str:
    """A random code printed beside the QR code (31^8 ≈ 8.5·10^11 values: not guessable per serial)."""
    return "".join(secrets.choice(CHECK_ALPHABET) for _ in range(CHECK_LENGTH))


def issuer_facts() -> dict[str, str]:
    """The issuer as recorded in each snapshot."""
    return {"name": conf.issuer_name(), "code": conf.issuer_code(), "adcode": conf.issuer_adcode()}


def _ensure_counters(*names: str) -> None:
    """Create missing counter rows in their own short transactions, before the issuing one.

    Inserting the same new unique key from several transactions at once makes InnoDB deadlock
    (each holds a shared lock on the duplicate and waits for the other's); created up front, the
    issuing transaction only ever locks existing rows, always in the same order.
    """
    for name in names:
        try:
            with transaction.atomic():
                SerialCounter.objects.get_or_create(name=name)
        except IntegrityError:  # another process created it first: what we wanted
            pass


def _locked_counter(name: str) -> SerialCounter:
    return SerialCounter.objects.select_for_update().get(name=name)


def _next(counter: SerialCounter) -> int:
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _existing(user_id: int, kind: str, period_label: str, course_key: str) -> Certificate | None:
    return (
        Certificate.objects.select_for_update()
        .filter(user_id=user_id, kind=kind, period_label=period_label, course_key=course_key)
        .first()
    )


def _issue(snap: dict[str, Any], *, user_id: int, period_year: int, issued_by: Any = None) -> Issued:
    kind, label, course_key = snap["kind"], snap["period"]["label"], snap.get("course_key", "")
    prefix = serials.prefix(kind, conf.issuer_code(), conf.issuer_adcode(), period_year)
    list_id = conf.status_list_id()
    _ensure_counters(prefix, f"status:{list_id}")
    try:
        with transaction.atomic():
            serial_counter = _locked_counter(prefix)
            found = _existing(user_id, kind, label, course_key)
            if found is not None:
                return Issued(found, False)
            slot_counter = _locked_counter(f"status:{list_id}")
            cert = Certificate.objects.create(
                user_id=user_id,
                kind=kind,
                period_label=label,
                period_year=period_year,
                course_key=course_key,
                serial=serials.build(prefix, _next(serial_counter)),
                check_code=new_check_code(),
                status_list=list_id,
                status_index=_next(slot_counter) - 1,
                snapshot=snap,
                rule_id=str(snap["rule"]["id"])[:64],
                rule_version=int(snap["rule"]["version"]),
                issued_by=issued_by if getattr(issued_by, "pk", None) else None,
            )
            cert.credential, cert.signing_kid = credentials.sign_certificate(cert)
            cert.save(update_fields=["credential", "signing_kid"])
    except IntegrityError:
        found = Certificate.objects.filter(
            user_id=user_id, kind=kind, period_label=label, course_key=course_key
        ).first()
        if found is None:
            raise
        return Issued(found, False)
    _announce(cert)
    return Issued(cert, True)


def _announce(cert: Certificate) -> None:
    """Tell subscribers (stats, reporting) after the row is committed."""
    from .signals import CERTIFICATE_ISSUED

    transaction.on_commit(
        lambda: CERTIFICATE_ISSUED.send(sender=None, serial=cert.serial, user_id=cert.user_id)
    )


def issue_for_account(
    account: Any, *, holder: Holder | None = None, issued_by: Any = None, today: date | None = None
) -> Issued:
    """Issue (or return) the yearly certificate for an hour account whose requirement is met.

    Arguments:
        account: an ``xueshi_hours.api.HourAccount`` (read by attribute; see CONTRACTS.md).
        holder: the identity to print; read from the real-name profile when omitted.
        issued_by: the operator of a batch, or the learner who claimed it.
        today: the issue day (Asia/Shanghai), for tests.

    Raises:
        NotEligible: the account is not met (``not_met``) or the holder has no profile (``no_profile``).
    """
    if not account.met:
        raise NotEligible("not_met", "the year's requirement is not met yet")
    existing = Certificate.objects.filter(
        user_id=account.user_id, kind=YEAR, period_label=account.period_label, course_key=""
    ).first()
    if existing is not None:  # fast path: no identity read, no lock
        return Issued(existing, False)
    holder = holder or _holder(account.user_id)
    issued_on = today or china_day(_now())
    snap = snapshot.from_account(account, holder, issuer_facts(), issued_on)
    return _issue(snap, user_id=account.user_id, period_year=account.period_start.year, issued_by=issued_by)


def issue_for_course(
    user_id: int,
    course_key: str,
    *,
    holder: Holder | None = None,
    issued_by: Any = None,
    today: date | None = None,
) -> Issued:
    """Issue (or return) the certificate of one completed course, where the operator enabled them."""
    if not conf.per_course_enabled():
        raise NotEligible("per_course_off", "this site issues yearly certificates only")
    try:
        from xueshi_hours import api as hours
    except ImportError as exc:
        raise NotEligible("hours_unavailable", "study hours are not available on this site") from exc
    existing = Certificate.objects.filter(user_id=user_id, kind=COURSE, course_key=course_key).first()
    if existing is not None:
        return Issued(existing, False)
    completed = hours.course_completed(user_id, course_key)
    info = hours.course_hours(course_key)
    if completed is None or info is None:
        raise NotEligible("not_completed", "the course is not completed, or has no declared hours")
    holder = holder or _holder(user_id)
    snap = snapshot.for_course(
        course_key=course_key,
        title=str(getattr(info, "title", "") or course_key),
        hours=Decimal(str(getattr(info, "declared_hours", 0))),
        category=str(getattr(info, "category", "") or ""),
        completed_on=completed,
        holder=holder,
        issuer=issuer_facts(),
        issued_on=today or china_day(_now()),
        rule={"id": "course", "version": 1, "title": "课程学时认定"},
    )
    return _issue(snap, user_id=user_id, period_year=completed.year, issued_by=issued_by)


def claim_year(user_id: int, year: int | None = None, *, issued_by: Any = None) -> Issued:
    """The thin eligibility step: ask the hours app for the account, then issue if it is met."""
    try:
        from xueshi_hours import api as hours
    except ImportError as exc:  # an install without the hours app: a clear refusal, not a 500
        raise NotEligible("hours_unavailable", "study hours are not available on this site") from exc

    try:
        account = hours.hour_account(user_id, year)
    except hours.HoursError as exc:
        raise NotEligible(getattr(exc, "code", "no_rule"), getattr(exc, "reason", str(exc))) from exc
    return issue_for_account(account, issued_by=issued_by)


def _holder(user_id: int) -> Holder:
    from .holders import HolderMissing

    try:
        return holder_of(user_id)
    except HolderMissing as exc:
        raise NotEligible("no_profile", "a certificate needs a complete real-name profile") from exc


def _now() -> Any:
    from django.utils import timezone

    return timezone.now()
