"""Employer (单位) orders: one order, one payment, for a list of learners given by ID number or xlsx.

The purchaser gives ID numbers (typed, one per line) or the identity app's learner-import workbook.
Every row is judged on its own and the report says why a row was refused:

1. the ID number must pass the identity app's check (check digit, birth date, region code);
2. a number given twice is refused the second time (``duplicate``);
3. a number registered to an account names that learner; an unregistered one needs the workbook's
   row (username, e-mail, real name …) and gets an account with its real name through the identity
   app's import (``xueshi_identity.api.import_learner_rows``, the same checks as the bulk import);
   a typed number without an account is refused;
4. the learner must be in the purchaser's scope (``permissions.scope_of``: its employers);
5. a learner already paid for every run of the product, or waiting in another unpaid order for it,
   is refused, so nobody is paid for twice.

Accepted rows become the lines of one frozen order (``orders.create_order``); payment enrols each
line exactly once (``enrolment``). Uploads of one purchaser are serialised on its account row, so
two tabs cannot put one learner into two open orders. ADR 0166.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xueshi_core import permissions
from xueshi_core.masking import mask_id_number, mask_name
from xueshi_identity import api as identity

from . import orders, states
from .employer_models import EmployerUpload, EmployerUploadRow
from .models import Order, OrderLine
from .products import Offer

#: The most rows one upload may carry (a county hospital's staff fits many times over).
MAX_ROWS = 2000
TEXT, XLSX = "text", "xlsx"


class UploadRefused(ValueError):
    """The list as a whole cannot be used (empty, too long, not a workbook); nothing was written."""


@dataclass
class Row:
    """One learner of the list and what became of it (``reason`` empty: accepted)."""

    row: int
    id_type: str
    id_number: str
    real_name: str = ""
    learner_id: int | None = None
    created_account: bool = False
    reason: str = ""
    workbook: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def accepted(self) -> bool:
        """Accepted rows become order lines."""
        return not self.reason and self.learner_id is not None


def rows_from_text(text: str) -> list[Row]:
    """One resident ID number per line (blank lines skipped); line numbers are the row numbers."""
    rows = [
        Row(number, identity.id_type_code(""), line.strip())
        for number, line in enumerate((text or "").splitlines(), start=1)
        if line.strip()
    ]
    return _bounded(rows)


def rows_from_workbook(data: bytes) -> list[Row]:
    """The identity import template's rows: existing learners need only the ID columns."""
    try:
        parsed = identity.read_learner_rows(data)
    except ValueError as exc:
        raise UploadRefused(str(exc)) from exc
    rows = []
    for number, values in parsed:
        cell = values.get("id_number")
        rows.append(
            Row(
                number,
                identity.id_type_code(str(values.get("id_type") or "")),
                "" if cell is None else str(cell).strip(),
                real_name=str(values.get("real_name") or "").strip(),
                workbook=values,
            )
        )
    return _bounded(rows)


def _bounded(rows: list[Row]) -> list[Row]:
    if not rows:
        raise UploadRefused(_("The list has no learners."))
    if len(rows) > MAX_ROWS:
        raise UploadRefused(_("At most %(max)d learners per order.") % {"max": MAX_ROWS})
    return rows


def _busy_learners(learner_ids: set[int], course_keys: list[str]) -> dict[int, str]:
    """Learners already paid for every run (→ "") or waiting in an open order (→ its number)."""
    busy: dict[int, str] = {}
    paid: dict[int, set[str]] = {}
    for learner_id, key in OrderLine.objects.filter(
        learner_id__in=learner_ids,
        course_key__in=course_keys,
        order__state__in=states.MONEY_RECEIVED,
        unenrolled_at__isnull=True,
    ).values_list("learner_id", "course_key"):
        paid.setdefault(learner_id, set()).add(key)
    for learner_id, keys in paid.items():
        if keys >= set(course_keys):
            busy[learner_id] = ""
    for learner_id, order_no in OrderLine.objects.filter(
        learner_id__in=learner_ids,
        course_key__in=course_keys,
        order__state__in=states.PAYABLE,
        order__expires_at__gt=timezone.now(),
    ).values_list("learner_id", "order__order_no"):
        busy.setdefault(learner_id, order_no)
    return busy


def judge(rows: list[Row], offer: Offer, purchaser: Any) -> list[Row]:
    """Apply the row rules (module docstring) in place; create accounts for new learners."""
    scope = permissions.scope_of(purchaser)
    first_row: dict[tuple[str, str], int] = {}
    to_import: list[Row] = []
    for row in rows:
        number, problem = identity.check_id_number(row.id_type, row.id_number)
        if problem:
            row.reason = _("ID number: %(reason)s") % {"reason": problem}
            continue
        row.id_number = number
        key = (row.id_type, number)
        if key in first_row:
            row.reason = _("duplicate: the same ID number as row %(row)d") % {"row": first_row[key]}
            continue
        first_row[key] = row.row
        row.learner_id = identity.find_user_by_id_number(row.id_type, number)
        if row.learner_id is None:
            if not str((row.workbook or {}).get("username") or "").strip():  # no details to create one
                row.reason = _("no account has this ID number: give the learner's details in the workbook")
            else:
                to_import.append(row)
        elif not scope.covers_user(row.learner_id):
            row.reason = _("not a learner of the employers your account orders for")
            row.learner_id = None
    known = [r for r in rows if r.learner_id is not None and not r.reason]
    # Two purchasers may list the same learner at once: each locks the learners' rows (in id
    # order, so never a deadlock) before the busy check, so the second waits for the first's order
    # to commit and then sees it (READ COMMITTED, Django's MySQL default). One open order per learner.
    learner_ids = sorted({int(r.learner_id or 0) for r in known})
    list(
        get_user_model()
        .objects.select_for_update()
        .filter(pk__in=learner_ids)
        .order_by("pk")
        .values_list("pk")
    )
    _refuse_busy(known, offer)
    if to_import:
        made = identity.import_learner_rows([(r.row, r.workbook or {}) for r in to_import], scope)
        for row in to_import:
            user_id, errors = made.get(row.row, (None, [_("not imported")]))
            row.learner_id, row.created_account = user_id, user_id is not None
            if user_id is None:
                row.reason = "; ".join(errors)[:255]
    return rows


def _refuse_busy(rows: list[Row], offer: Offer) -> None:
    course_keys = [key for key, _mode, _price in offer.runs]
    busy = _busy_learners({int(r.learner_id or 0) for r in rows}, course_keys)
    for row in rows:
        if row.learner_id in busy:
            order_no = busy[row.learner_id]
            row.reason = (
                _("already in order %(order)s, awaiting payment") % {"order": order_no}
                if order_no
                else _("already paid for this course")
            )
            row.learner_id = None


def place(
    purchaser: Any, offer: Offer, rows: list[Row], source: str, channel: str, scene: str, lifetime: timedelta
) -> tuple[EmployerUpload, Order | None]:
    """Judge the rows and freeze one order for the accepted ones; store the per-row report."""
    with transaction.atomic():
        # One upload at a time per purchaser: the busy check and the new order see each other.
        get_user_model().objects.select_for_update().filter(pk=purchaser.pk).exists()
        judge(rows, offer, purchaser)
        accepted = [r for r in rows if r.accepted]
        learners = {u.pk: u for u in get_user_model().objects.filter(pk__in=[r.learner_id for r in accepted])}
        order = None
        if accepted:
            order = orders.create_order(
                purchaser, offer, [learners[r.learner_id] for r in accepted], channel, scene, lifetime
            )
        upload = EmployerUpload.objects.create(
            purchaser=purchaser,
            product=offer.product,
            order=order,
            source=source,
            accepted=len(accepted),
            refused=len(rows) - len(accepted),
        )
        EmployerUploadRow.objects.bulk_create(
            EmployerUploadRow(
                upload=upload,
                row=r.row,
                name_masked=mask_name(r.real_name)[:64] if r.real_name else "",
                id_number_masked=mask_id_number(r.id_number)[:32] if r.id_number else "",
                learner_id=r.learner_id if r.accepted else None,
                created_account=r.created_account,
                reason=r.reason[:255],
            )
            for r in rows
        )
    return upload, order
