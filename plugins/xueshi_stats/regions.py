"""Dated regions: which region, employer and category a learner belonged to on a given China day.

The identity app keeps only the current profile, so the statistics keep the history (ADR 0151):
a change opens a new ``RegionSpell`` on the China day the profile was saved, and the learner's
daily study rows from that day on are stamped with the new region. A figure of minutes therefore
counts each day where the learner was that day; a count of learners counts each learner once,
where they were on the period's last day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Q

from . import stocks, summary
from .models import DailyStudy, RegionSpell

Region = tuple[str, str, str, str, str]  # province, city, county, employer, category code
FIRST_DAY = date(2000, 1, 1)
NOWHERE: Region = ("", "", "", "", "")
REGION_FIELDS = ("province_code", "city_code", "county_code", "employer", "category_code")


def as_fields(region: Region) -> dict[str, str]:
    """The region as model field values."""
    return dict(zip(REGION_FIELDS, region, strict=True))


def record(user_id: int, region: Region, day: date, changes: stocks.Stock | None = None) -> bool:
    """Record that the learner belongs to ``region`` from ``day`` on; False when nothing changed.

    Several saves on one day keep the last; a save dated before the current spell (a late re-read)
    changes nothing, so re-reading a source is harmless. Call inside a transaction. The learner's
    open enrolments move in the county stock (added to ``changes`` when given, for the caller to
    apply once). The learner's spells are locked as every writer of the stock locks them
    (``stocks.lock_learners``: all of them, oldest first); locking the newest first, as a
    descending read does, deadlocked against a writer locking them in ascending order.
    """
    stocks.lock_learners([user_id])
    latest = RegionSpell.objects.filter(user_id=user_id).order_by("-valid_from").first()
    if latest is not None and (latest.region() == region or day < latest.valid_from):
        return False
    with stocks.tracking(user=user_id, into=changes):
        start = _new_spell(user_id, region, day, latest)
    touched = summary.keys_of_learner(user_id, start)
    if touched:
        # by primary key: an UPDATE by (learner, day ≥ start) may be planned on the day index and
        # lock other learners' rows (a deadlock with a study-day batch, ADR 0305); the learner's
        # own rows cannot change meanwhile, their writers wait for the spell's lock
        mine = DailyStudy.objects.filter(user_id=user_id, day__gte=start).values_list("pk", flat=True)
        DailyStudy.objects.filter(pk__in=list(mine)).update(**as_fields(region))
        summary.refresh(touched | {summary.key_of(key[0], region) for key in touched})
    return True


def _new_spell(user_id: int, region: Region, day: date, latest: RegionSpell | None) -> date:
    """Open (or, the same day, correct) the learner's spell; the first day it covers."""
    if latest is None:
        start = FIRST_DAY
        RegionSpell.objects.create(user_id=user_id, valid_from=start, **as_fields(region))
    elif latest.valid_from == day:
        start = day
        RegionSpell.objects.filter(pk=latest.pk).update(**as_fields(region))
    else:
        start = day
        RegionSpell.objects.filter(pk=latest.pk).update(valid_to=day)
        RegionSpell.objects.create(user_id=user_id, valid_from=day, **as_fields(region))
    return start


def on_days(keys: Iterable[tuple[int, date]]) -> dict[tuple[int, date], Region]:
    """The region of each (learner, day); learners without a spell are ``NOWHERE``."""
    wanted = set(keys)
    spells: dict[int, list[RegionSpell]] = {}
    for spell in RegionSpell.objects.filter(user_id__in={k[0] for k in wanted}).order_by("valid_from"):
        spells.setdefault(spell.user_id, []).append(spell)
    result: dict[tuple[int, date], Region] = {}
    for user_id, day in wanted:
        region = NOWHERE
        for spell in spells.get(user_id, ()):
            if spell.valid_from <= day and (spell.valid_to is None or day < spell.valid_to):
                region = spell.region()
        result[(user_id, day)] = region
    return result


def spells_on(day: date) -> Q:
    """A ``Q`` on ``RegionSpell`` selecting the spells in force on ``day``."""
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))
