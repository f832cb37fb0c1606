"""Shapes other apps read (``xueshi_hours.api``, CONTRACTS.md) and the errors of this app; no Django.

Units are ``Decimal``: hours are compared against legal minimums, so binary floats would make a
learner 89.99999 short of 90.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

#: Sources of hours, as ``HourLine.source``.
VIDEO, COMPLETION, PRACTICE, EXAM, EXTERNAL, CARRY_OVER = (
    "video",
    "course_completion",
    "practice",
    "exam",
    "external",
    "carry_over",
)
#: Course categories (公需 / 专业); "" is an uncategorised item (counts toward the total only).
PUBLIC, PROFESSIONAL = "public", "professional"
COURSE_CATEGORIES = (PUBLIC, PROFESSIONAL)
#: Units a rule counts in.
UNITS = ("xueshi", "xuefen", "keshi")

#: Reasons, as ``HourLine.reason`` (machine codes; pages translate them).
COUNTED = "counted"
PARTLY_CAPPED = "daily_cap_partly"
DAILY_CAP = "daily_cap"
WRONG_CATEGORY = "wrong_category"
NOT_IN_RULE_REGION = "not_in_rule_region"
NOT_COMPLETED = "not_completed"
NOT_COUNTED_BY_RULE = "not_counted_by_rule"
SOURCE_CAP = "source_cap"
SOURCE_CAP_PARTLY = "source_cap_partly"
NOT_PASSED = "not_passed"


class HoursError(Exception):
    """A refusal with a machine ``code`` and a human ``reason`` (views answer it as a 4xx)."""

    def __init__(self, code: str, reason: str = "") -> None:
        super().__init__(f"{code}: {reason}" if reason else code)
        self.code = code
        self.reason = reason or code


@dataclass(frozen=True, slots=True)
class HourLine:
    """One source item and what it counted for, with the reason (why it counts or not)."""

    source: str
    ref: str
    title: str
    category: str
    day: date | None
    raw: Decimal
    hours: Decimal
    reason: str


@dataclass(frozen=True)
class HourAccount:
    """A learner's hours for one period under one rule version (CONTRACTS.md)."""

    user_id: int
    period_label: str
    period_start: date
    period_end: date
    rule_id: str
    rule_version: int
    rule_title: str
    unit: str
    required_total: Decimal
    required_by_category: dict[str, Decimal]
    earned_total: Decimal
    earned_by_category: dict[str, Decimal]
    met: bool
    missing: tuple[str, ...]
    lines: tuple[HourLine, ...]


@dataclass(frozen=True)
class CompletionRule:
    """When a course counts as completed: a share of its video credited, and a passed exam if set."""

    min_video_share: Decimal = Decimal("0.9")
    video_minutes: int = 0  # the course's total video length; 0 = the length of the blocks seen
    exam_required: bool = False
    exam_pass_percent: int = 60


@dataclass(frozen=True)
class CourseHours:
    """A course's hour metadata, as its team set it on our course settings page."""

    course_key: str
    title: str
    declared_hours: Decimal
    category: str  # "public" | "professional" | ""
    counts_for_categories: tuple[str, ...] = ()  # personnel category codes; empty = all
    counts_for_regions: tuple[str, ...] = ()  # GB/T 2260 codes (prefix semantics); empty = everywhere
    completion: CompletionRule = field(default_factory=CompletionRule)
