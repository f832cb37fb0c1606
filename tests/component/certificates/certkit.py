"""Real hour records for certificate tests: a small completion rule, two courses, learners who studied."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from xueshi_hours import rulestore
from xueshi_hours.models import CourseHoursSetting
from xueshi_hours.rules import parse_rule

from ..hours.hourkit import credit, learner, watched

FUJIAN = ("350000", "350100", "350102")
PRO, PUB = "course-v1:HoursOrg+ZY01+2026", "course-v1:HoursOrg+GX01+2026"
RULE = "t-fj-zj"


def small_rule(required: str = "10") -> None:
    """Fujian 专技 by completed courses (the shipped national rule's shape, fewer hours)."""
    body = rulestore.rule_version("cn-zj-2015", 1).to_json()
    body.update(id=RULE, title="福建专技（测试）", region="350000", required_total=required)
    body["category_minimums"] = {"professional": "6"}
    body["online"] = {"minutes_per_unit": 45, "counting": "course_completion"}
    rulestore.add_version(parse_rule(body), note="test")


def courses() -> None:
    for key, title, declared, category in (
        (PRO, "建筑新技术", "8", "professional"),
        (PUB, "法治建设", "4", "public"),
    ):
        CourseHoursSetting.objects.get_or_create(
            course_key=key,
            defaults={
                "title": title,
                "declared_hours": Decimal(declared),
                "category": category,
                "video_minutes": 10,
            },
        )


def studied(username: str, *keys: str, seq: int = 0) -> Any:
    """A Fujian 专技 learner who watched each course in full (credited video on one China day each)."""
    user = learner(username, FUJIAN, "professional_technical")
    for number, key in enumerate(keys, start=1):
        credit(user, date(2026, 3, number), 600, course=key)
        watched(user, 600, 600, course=key)
    return user
