"""The end of the retention period: delete or pseudonymise what the regulators no longer ask us to keep.

The regulators we serve ask for 3 to 5 years (需求 003: 5 years, 需求 004: 3 years); the period is
``XUESHI_RETENTION_YEARS`` (default 5, never less than 3). The cut-off is the start of the
Asia/Shanghai day that many years before today: a row made on 2021-12-04 Beijing time goes on
2026-12-05, not eight hours early or late (ADR 0064).

Like retirement (ADR 0060), core knows no other app: :func:`purge` sends :data:`RETENTION_DUE`
with a :class:`Purge`, each app's receiver (``purge_past_retention`` in its retirement module)
hands it its querysets, and the :class:`Purge` deletes or updates them in batches of primary keys,
or only counts them in a dry run. Core's own rows go last, because the apps find retired accounts
through ``RetiredAccount``. Every step selects only rows still to do, so a run is idempotent and an
interrupted run is finished by the next one. The table of what goes when is in
``docs/operators/privacy.md``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal
from django.utils import timezone

from .days import china_day, day_bounds

log = logging.getLogger(__name__)
#: Sent with ``purge`` (:class:`Purge`); receivers hand it querysets and must not write themselves.
RETENTION_DUE = Signal()
DEFAULT_YEARS = 5
MIN_YEARS = 3


def retention_years() -> int:
    """``XUESHI_RETENTION_YEARS``: whole years, at least 3 (the shortest period a regulator sets)."""
    years = getattr(settings, "XUESHI_RETENTION_YEARS", DEFAULT_YEARS)
    if isinstance(years, bool) or not isinstance(years, int) or years < MIN_YEARS:
        raise ImproperlyConfigured(
            f"XUESHI_RETENTION_YEARS must be a whole number >= {MIN_YEARS}, not {years!r}"
        )
    return years


def cutoff(now: dt.datetime, years: int) -> dt.datetime:
    """The UTC instant where the Asia/Shanghai day ``years`` before ``now``'s day begins."""
    zone = str(getattr(settings, "XUESHI_TIME_ZONE", "Asia/Shanghai"))
    today = china_day(now, zone)
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February: the period ends with February
        day = today.replace(year=today.year - years, day=28)
    return day_bounds(day, zone)[0]


@dataclass
class Purge:
    """One run: the cut-off, dry run or not, the batch size, and what each step did (or would do)."""

    cutoff: dt.datetime
    years: int
    dry_run: bool = False
    batch: int = 1000
    counts: Counter[str] = field(default_factory=Counter)

    def retired_user_ids(self) -> Any:
        """A subquery of the accounts retired before the cut-off (their retention is over)."""
        from .models import RetiredAccount

        return RetiredAccount.objects.filter(retired_at__lt=self.cutoff).values("user_id")

    def _batches(self, name: str, queryset: Any, act: Any) -> int:
        if self.dry_run:
            found = int(queryset.count())
            self.counts[name] += found
            return found
        done = 0
        while True:
            ids = list(queryset.order_by("pk").values_list("pk", flat=True)[: self.batch])
            if not ids:
                break
            done += int(act(queryset.model._default_manager.filter(pk__in=ids)))
            if len(ids) < self.batch:
                break
        self.counts[name] += done
        return done

    def delete(self, name: str, queryset: Any) -> int:
        """Delete the rows of ``queryset`` (count them in a dry run); ``name`` labels the report."""
        return self._batches(name, queryset, lambda rows: rows.delete()[1].get(rows.model._meta.label, 0))

    def update(self, name: str, queryset: Any, **values: Any) -> int:
        """Set ``values`` on the rows of ``queryset``; the queryset must exclude rows already done."""
        return self._batches(name, queryset, lambda rows: rows.update(**values))


def purge(*, dry_run: bool = False, batch: int = 1000, now: dt.datetime | None = None) -> dict[str, int]:
    """Run every app's retention step, then core's; return ``{step: rows}`` (what would go if dry)."""
    if batch < 1:
        raise ValueError("batch must be at least 1")
    years = retention_years()
    run = Purge(cutoff(now or timezone.now(), years), years, dry_run=dry_run, batch=batch)
    RETENTION_DUE.send(sender=Purge, purge=run)
    purge_core(run)
    for name, rows in sorted(run.counts.items()):  # the logged purge the append-only models point to
        log.info(
            "retention %s: %s %s rows before %s",
            name,
            "would remove" if dry_run else "removed",
            rows,
            run.cutoff,
        )
    return dict(sorted(run.counts.items()))


def purge_core(run: Purge) -> None:
    """Core's rows: audit rows (full views, exports, refusals), ended consents, retirement records last."""
    from django.db.models import Q

    from .models import ConsentRecord, PersonalDataExport, PersonalDataView, RefusedAccess, RetiredAccount

    run.delete("core.personal_data_views", PersonalDataView.objects.filter(viewed_at__lt=run.cutoff))
    run.delete("core.personal_data_exports", PersonalDataExport.objects.filter(exported_at__lt=run.cutoff))
    run.delete("core.refused_accesses", RefusedAccess.objects.filter(refused_at__lt=run.cutoff))
    ended = Q(withdrawn_at__lt=run.cutoff) | Q(user_id__in=run.retired_user_ids())
    run.delete("core.consent_records", ConsentRecord.objects.filter(ended))
    run.delete("core.retired_accounts", RetiredAccount.objects.filter(retired_at__lt=run.cutoff))
