"""My study (我的学习, 需求 001 §六): one learner's courses, progress, scores, study time and hours.

Everything is read through the owning apps' ``api`` modules: enrolments from the platform
(``xueshi_core.compat``), completion and yearly hours from ``xueshi_hours.api``, credited seconds
per China day from the ledger's daily totals (``xueshi_studytime.api``), exam and practice rounds
from ``xueshi_questionbank.api``. Nothing here is stored: the page always shows the sources' truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.utils import timezone
from xueshi_questionbank import api as bank_api

from xueshi_core import compat as core_compat
from xueshi_core.days import china_day, week_start
from xueshi_hours import api as hours_api
from xueshi_studytime import api as ledger

DAYS_SHOWN, WEEKS_SHOWN = 14, 8


@dataclass(frozen=True)
class CourseLine:
    """One enrolled course as the learner sees it."""

    key: str
    title: str
    completed_on: date | None
    progress_percent: int
    credited_minutes: int
    best_exam: int | None  # percent, None when no exam was taken
    practice_rounds: int
    last_studied: date | None


@dataclass(frozen=True)
class MyStudy:
    """The whole page: courses split by completion, minutes per day and week, this period's hours."""

    done: list[CourseLine]
    todo: list[CourseLine]
    days: list[tuple[date, int]]  # (China day, minutes), oldest first, zero days included
    weeks: list[tuple[date, int]]  # (Monday, minutes)
    hours: Any  # ``hours_api.HourAccount`` or None (no rule or no profile yet)
    hours_problem: str


def _progress(watch: tuple[float, float, date | None] | None, declared: Any) -> int:
    if watch is None:
        return 0
    seen, known, _last = watch
    total = (
        float(declared.completion.video_minutes * 60)
        if declared and declared.completion.video_minutes
        else known
    )
    return min(100, int(100 * seen / total)) if total > 0 else 0


def _minutes_per_course(user_id: int, first_day: date, today: date) -> dict[str, int]:
    seconds: dict[str, int] = {}
    for course, _day, secs in ledger.daily_totals(user_id, first_day, today):
        seconds[course] = seconds.get(course, 0) + secs
    return {k: v // 60 for k, v in seconds.items()}


def _calendar(user_id: int, today: date) -> tuple[list[tuple[date, int]], list[tuple[date, int]]]:
    first_week = week_start(today) - timedelta(weeks=WEEKS_SHOWN - 1)
    per_day: dict[date, int] = {}
    for _course, day, secs in ledger.daily_totals(user_id, first_week, today):
        per_day[day] = per_day.get(day, 0) + secs
    days = [
        (d, per_day.get(d, 0) // 60)
        for d in (today - timedelta(days=i) for i in range(DAYS_SHOWN - 1, -1, -1))
    ]
    weeks = []
    for i in range(WEEKS_SHOWN):
        monday = first_week + timedelta(weeks=i)
        secs = sum(per_day.get(monday + timedelta(days=j), 0) for j in range(7))
        weeks.append((monday, secs // 60))
    return days, weeks


def _rounds(user_id: int, keys: list[str]) -> tuple[dict[str, int], dict[str, int]]:
    exams = bank_api.exam_rounds([(user_id, k) for k in keys])
    best = {course: max(p for _at, p in rounds) for (_uid, course), rounds in exams.items() if rounds}
    practice: dict[str, int] = {}
    since = datetime(2000, 1, 1, tzinfo=UTC)
    for r in bank_api.round_results(user_id, since, timezone.now() + timedelta(minutes=1)):
        if r.context == "practice":
            practice[r.course_key] = practice.get(r.course_key, 0) + 1
    return best, practice


def my_study(user: Any) -> MyStudy:
    """Assemble the page for ``user`` (a handful of queries per source, whatever the course count)."""
    today = china_day(timezone.now())
    enrolled = core_compat.enrollments_of(user)
    keys = [key for key, _title, _at in enrolled]
    watch = ledger.course_video_watch(user.pk, keys)
    minutes = _minutes_per_course(user.pk, date(2000, 1, 1), today)
    best, practice = _rounds(user.pk, keys)
    done, todo = [], []
    for key, title, _at in enrolled:
        declared = hours_api.course_hours(key)
        line = CourseLine(
            key=key,
            title=title,
            completed_on=hours_api.course_completed(user.pk, key),
            progress_percent=_progress(watch.get(key), declared),
            credited_minutes=minutes.get(key, 0),
            best_exam=best.get(key),
            practice_rounds=practice.get(key, 0),
            last_studied=(watch.get(key) or (0, 0, None))[2],
        )
        (done if line.completed_on else todo).append(line)
    days, weeks = _calendar(user.pk, today)
    account, problem = None, ""
    try:
        account = hours_api.hour_account(user.pk)
    except hours_api.HoursError as exc:
        problem = getattr(exc, "code", "no_rule")
    return MyStudy(done=done, todo=todo, days=days, weeks=weeks, hours=account, hours_problem=problem)
