"""The day × county summary of the daily rows a bulk seed writes, counted while it writes them (ADR 0306).

``summary.refresh_all`` recomputes ``DayRegionStudy`` with one ``GROUP BY`` and ``COUNT(DISTINCT
user_id)`` over every ``DailyStudy`` row: a sort of the whole table, minutes at 2,400,000 rows on
this machine and far longer at 24,000,000. The seed knows each row it writes, so it counts the
summary as it goes and adds it to the rows already held. That equals a full refresh because the
seed only adds learners who are new (their rows add credited ms, and each learner counts once per
day and county however many courses they studied that day) and the summary held equalled its
``DailyStudy`` rows before (ADR 0301 keeps it so); the component test compares it with
``summary.sums`` over the whole table.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from .seed import PROVINCE, STUDY_MS


class StudyTally:
    """Daily rows and distinct learners per (day offset, county) of one seed."""

    def __init__(self, first: date, category_code: str) -> None:
        self.first, self.category_code = first, category_code
        self.rows: Counter[tuple[int, str]] = Counter()
        self.learners: Counter[tuple[int, str]] = Counter()

    def add(self, county: str, offsets: list[int]) -> None:
        """One learner's study days (day offsets, one per daily row: repeated across courses)."""
        self.rows.update([(o, county) for o in offsets])
        self.learners.update([(o, county) for o in set(offsets)])

    def found(self) -> dict[tuple[Any, ...], tuple[int, int]]:
        """The summary rows this seed adds, keyed as ``summary.Key``."""
        return {
            (self.first + timedelta(days=o), PROVINCE, f"{county[:4]}00", county, self.category_code): (
                n * STUDY_MS,
                self.learners[(o, county)],
            )
            for (o, county), n in self.rows.items()
        }

    def add_to_summary(self) -> int:
        """Add the counted rows to ``DayRegionStudy`` (the app's ``summary.write``); rows held after."""
        from xueshi_stats import summary

        found = self.found()
        held = summary.current()
        for key, (ms, n) in found.items():
            before = held.get(key, (0, 0))
            found[key] = (before[0] + ms, before[1] + n)
        items = list(found.items())
        for start in range(0, len(items), summary.CHUNK * 10):
            summary.write(dict(items[start : start + summary.CHUNK * 10]))
        return len(held.keys() | found.keys())
