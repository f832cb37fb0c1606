"""The learning archive (学习档案) of one learner and period, assembled from server records.

Every figure comes from the apps that own it, through their ``api`` modules: enrolments from the
platform (``xueshi_core.compat``), credited minutes per China day from the ledger's daily totals
(``xueshi_studytime.api.daily_totals``), checkpoints, practice and exam rounds from the question
bank's server-judged answers, hours from the hour account (``accounts``), certificates from the
apps that declare an archive hook (``archive_hooks``). Nothing is read from the browser, so the
archive a learner prints and the one an employer's HR office opens show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from xueshi_core.api import china_day

from . import accounts, archive_hooks, coursehours
from .data import CARRY_OVER, COMPLETION, EXAM, EXTERNAL, PRACTICE, HourAccount, HoursError

TENTH = Decimal("0.1")


@dataclass(frozen=True)
class StudyDay:
    """Credited minutes of one course on one China day (the ledger's daily total)."""

    day: date
    minutes: Decimal


@dataclass(frozen=True)
class TestRound:
    """One practice or exam round: answers recorded on the server and the share correct."""

    kind: str  # "practice" | "exam"
    day: date
    answered: int
    correct: int
    percent: int
    passed: bool | None  # exams: at or above the course's pass mark; practice: None


@dataclass
class CourseRecord:
    """Everything the archive shows for one course in the period."""

    course_key: str
    title: str
    enrolled_on: date | None = None
    days: list[StudyDay] = field(default_factory=list)
    checkpoints_passed: int = 0
    checkpoints_answered: int = 0
    rounds: list[TestRound] = field(default_factory=list)
    hours: Decimal = Decimal("0")
    completed_on: date | None = None

    @property
    def minutes(self) -> Decimal:
        """Credited minutes in the period (sum of the days)."""
        return sum((d.minutes for d in self.days), Decimal("0"))

    @property
    def active(self) -> bool:
        """Whether the learner did anything in this course in the period (shown first, opened)."""
        return bool(self.days or self.rounds or self.checkpoints_answered or self.hours)


@dataclass(frozen=True)
class Archive:
    """The archive of ``user_id`` for the period starting in ``year``."""

    user_id: int
    year: int
    start: date
    end: date
    courses: tuple[CourseRecord, ...]
    account: HourAccount | None  # None when no rule applies (``problem`` says why)
    problem: str
    other_lines: tuple[Any, ...]  # hour lines not tied to a course (external hours, carry-over)
    entries: tuple[archive_hooks.ArchiveEntry, ...]  # certificates and the like, from other apps
    unavailable: tuple[str, ...] = ()  # apps whose archive hook failed (the page says so)

    @property
    def minutes(self) -> Decimal:
        """Credited minutes of every course in the period."""
        return sum((c.minutes for c in self.courses), Decimal("0"))


def _minutes(seconds: int) -> Decimal:
    return (Decimal(seconds) / Decimal(60)).quantize(TENTH, rounding=ROUND_DOWN)


def _bounds(start: date, end: date, zone: str) -> tuple[datetime, datetime]:
    tz = ZoneInfo(zone)
    since = datetime.combine(start, time.min, tz).astimezone(UTC)
    until = datetime.combine(end + timedelta(days=1), time.min, tz).astimezone(UTC)
    return since, until


def _period(user_id: int, year: int | None) -> tuple[HourAccount | None, str, int, date, date]:
    """The account (when a rule applies) and the period it covers; a calendar year otherwise."""
    try:
        account = accounts.hour_account(user_id, year)
    except HoursError as exc:
        chosen = year or accounts.today().year
        return None, exc.code, chosen, date(chosen, 1, 1), date(chosen, 12, 31)
    return account, "", account.period_start.year, account.period_start, account.period_end


def _course(found: dict[str, CourseRecord], key: str) -> CourseRecord:
    if key not in found:
        found[key] = CourseRecord(course_key=key, title=key)
    return found[key]


def _add_enrolments(found: dict[str, CourseRecord], user: Any, zone: str) -> None:
    from xueshi_core import compat as core_compat

    for key, title, enrolled_at in core_compat.enrollments_of(user):
        record = _course(found, key)
        record.title = title
        record.enrolled_on = china_day(enrolled_at, zone) if enrolled_at else None


def _add_records(found: dict[str, CourseRecord], user_id: int, start: date, end: date, zone: str) -> None:
    from xueshi_questionbank import api as bank

    from xueshi_studytime import api as ledger

    for key, day, seconds in ledger.daily_totals(user_id, start, end):
        _course(found, key).days.append(StudyDay(day, _minutes(seconds)))
    since, until = _bounds(start, end, zone)
    for cp in bank.checkpoint_results(user_id, since, until):
        record = _course(found, cp.course_key)
        record.checkpoints_answered += 1
        record.checkpoints_passed += 1 if cp.correct else 0
    settings = coursehours.settings_by_course(sorted(found))
    for r in bank.round_results(user_id, since, until):
        course = settings.get(r.course_key)
        pass_mark = course.completion.exam_pass_percent if course else 60
        _course(found, r.course_key).rounds.append(
            TestRound(
                kind=EXAM if r.context == "exam" else PRACTICE,
                day=china_day(r.finished_at, zone),
                answered=r.answered,
                correct=r.correct,
                percent=r.percent,
                passed=r.percent >= pass_mark if r.context == "exam" else None,
            )
        )
    for key, course in settings.items():
        if found[key].title == key:
            found[key].title = course.title


def _add_hours(found: dict[str, CourseRecord], account: HourAccount | None) -> tuple[Any, ...]:
    """Counted hours per course from the account's lines; the lines of no course come back."""
    if account is None:
        return ()
    others = []
    for line in account.lines:
        if line.source in (EXTERNAL, CARRY_OVER):
            others.append(line)
            continue
        record = _course(found, line.ref)
        record.hours += line.hours
        if line.source == COMPLETION and line.day is not None:
            record.completed_on = line.day
        if record.title == record.course_key and line.title:
            record.title = line.title
    return tuple(others)


def build_archive(user: Any, year: int | None = None) -> Archive:
    """The archive of ``user`` (a user object) for the period starting in ``year`` (None: current)."""
    zone = accounts.zone()
    account, problem, chosen, start, end = _period(user.pk, year)
    found: dict[str, CourseRecord] = {}
    _add_enrolments(found, user, zone)
    _add_records(found, user.pk, start, end, zone)
    others = _add_hours(found, account)
    entries, failed = archive_hooks.entries_for(user.pk, start, end)
    courses = sorted(found.values(), key=lambda c: (not c.active, c.enrolled_on or date.max, c.title))
    return Archive(
        user_id=user.pk,
        year=chosen,
        start=start,
        end=end,
        courses=tuple(courses),
        account=account,
        problem=problem,
        other_lines=others,
        entries=tuple(entries),
        unavailable=tuple(failed),
    )
