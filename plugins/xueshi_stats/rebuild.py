"""Recompute the roll-ups from the raw records and compare them with the incremental ones (ADR 0150).

Sources: the ledger's rows (not its daily totals, which the incremental path reads, so the two
paths check each other), the question bank's exam answers, the platform's enrolment flag (through
core's compat), and the identity app's current profiles against the open ``RegionSpell``. The
county stock (ADR 0303) is compared with what ``CourseStatus`` and the open spells add up to; the
counts of closed periods (ADR 0304) are dropped by a rebuild, and counted again by the beat. Region
history itself has no other source: a rebuild keeps the spells and re-stamps days from them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from xueshi_questionbank import api as bank_api

from xueshi_core import compat
from xueshi_core.days import china_day
from xueshi_identity import api as identity_api
from xueshi_studytime import api as studytime_api

from . import closed, enrolments, regions, rollup, stocks, summary
from .models import CourseStatus, DailyStudy, DayRegionStudy, RegionSpell

DayRow = tuple[int, int, tuple[str, ...]]  # credited ms, sessions, region stamp


def expected_days() -> dict[tuple[int, str, date], DayRow]:
    """Every daily study row as the raw ledger and the region spells say it should be."""
    sums = studytime_api.ledger_day_sums()
    stamp = regions.on_days((uid, day) for uid, _course, day in sums)
    return {key: (ms, n, stamp[(key[0], key[2])]) for key, (ms, n) in sums.items()}


def current_days() -> dict[tuple[int, str, date], DayRow]:
    """Every daily study row as the roll-up holds it."""
    fields = ("user_id", "course_key", "day", "credited_ms", "sessions", *regions.REGION_FIELDS)
    return {
        (row[0], row[1], row[2]): (row[3], row[4], tuple(row[5:]))
        for row in DailyStudy.objects.values_list(*fields).iterator(chunk_size=5000)
    }


def expected_exams() -> dict[tuple[int, str], tuple[Any, ...]]:
    """First exam day, best score and provisional completion day per pair, from the raw answers."""
    from . import conf

    result = {}
    for pair, results in bank_api.exam_rounds(None).items():
        days = sorted((china_day(at), pct) for at, pct in results)
        passed = [d for d, pct in days if pct >= conf.pass_percent()]
        result[pair] = (days[0][0], max(p for _d, p in days), passed[0] if passed else None)
    return result


def compare() -> list[str]:
    """Every difference between the roll-ups and the raw records, as lines a person can read."""
    out: list[str] = []
    want, have = expected_days(), current_days()
    for key in sorted(set(want) | set(have), key=str):
        if want.get(key) != have.get(key):
            out.append(f"day {key}: ledger {want.get(key)} roll-up {have.get(key)}")
    want_summary, have_summary = summary.expected(want), summary.current()
    for skey in sorted(set(want_summary) | set(have_summary), key=str):
        if want_summary.get(skey) != have_summary.get(skey):
            out.append(f"summary {skey}: ledger {want_summary.get(skey)} roll-up {have_summary.get(skey)}")
    statuses = {(s.user_id, s.course_key): s for s in CourseStatus.objects.all()}
    totals: dict[tuple[int, str], list[Any]] = {}
    for (uid, course, day), (ms, _n, _r) in want.items():
        entry = totals.setdefault((uid, course), [day, day, 0])
        entry[0], entry[1], entry[2] = min(entry[0], day), max(entry[1], day), entry[2] + ms
    exams = expected_exams()
    for pair in sorted(set(totals) | set(exams) | set(statuses), key=str):
        row = statuses.get(pair)
        study = tuple(totals.get(pair, (None, None, 0)))
        held = (row.first_study_day, row.last_study_day, row.credited_ms) if row else (None, None, 0)
        if study != held:
            out.append(f"study {pair}: ledger {study} roll-up {held}")
        exam = exams.get(pair, (None, None, None))
        held_exam = (row.examined_on, row.best_score, row.completed_on) if row else (None, None, None)
        if exam != held_exam:
            out.append(f"exam {pair}: answers {exam} roll-up {held_exam}")
    out.extend(_enrolment_differences(statuses.values()))
    out.extend(_region_differences())
    out.extend(stocks.differences())
    return out


def _enrolment_mismatches(statuses: Any) -> list[tuple[CourseStatus, bool]]:
    """Statuses whose enrolment disagrees with the platform's active flag, and that flag."""
    statuses = list(statuses)
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in={s.user_id for s in statuses})}
    out = []
    for s in statuses:
        recorded = s.enrolled_on is not None and s.unenrolled_on is None
        user = users.get(s.user_id)
        if user is not None and recorded != compat.is_enrolled(user, s.course_key):
            out.append((s, not recorded))
    return out


def _enrolment_differences(statuses: Any) -> list[str]:
    return [
        f"enrolment ({s.user_id}, {s.course_key}): roll-up {not active}, platform {active}"
        for s, active in _enrolment_mismatches(statuses)
    ]


def _region_differences() -> list[str]:
    profiles = identity_api.current_regions()
    spells = {s.user_id: s.region() for s in RegionSpell.objects.filter(valid_to__isnull=True)}
    return [
        f"region of {uid}: profile {profiles.get(uid)} roll-up {spells.get(uid)}"
        for uid in sorted(set(profiles) | set(spells))
        if profiles.get(uid) != spells.get(uid)
    ]


def rebuild() -> int:
    """Bring every source up to date, then overwrite the roll-ups with what the raw records say.

    Returns the number of daily rows written. Region spells are only added (a profile whose region
    differs from its open spell starts a new one today); an enrolment the platform disagrees with
    is opened or closed today (the platform keeps no dates).
    """
    rollup.run()
    today = china_day(timezone.now())
    with transaction.atomic():
        for uid, region in identity_api.current_regions().items():
            regions.record(uid, region, today)
        want = expected_days()
        DailyStudy.objects.all().delete()
        DayRegionStudy.objects.all().delete()
        rollup.write_days({key: (ms, n) for key, (ms, n, _r) in want.items()})
        CourseStatus.objects.update(examined_on=None, best_score=None, completed_on=None)
        rollup.write_exams(bank_api.exam_rounds(None))
        studied = {(uid, course) for uid, course, _day in want}
        for s in CourseStatus.objects.exclude(first_study_day=None):
            if (s.user_id, s.course_key) not in studied:
                s.first_study_day, s.last_study_day, s.credited_ms = None, None, 0
                s.save(update_fields=["first_study_day", "last_study_day", "credited_ms"])
        stocks.rebuild_all()  # the resets above bypass the stock's deltas
        closed.forget()  # counted from the old rows: the beat counts the ended periods again
    for s, active in _enrolment_mismatches(CourseStatus.objects.all()):
        (enrolments.enrolled if active else enrolments.unenrolled)(s.user_id, s.course_key, today)
    return len(want)
