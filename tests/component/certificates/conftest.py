"""Fixtures for certificates: learners with real-name profiles, hour accounts built as values.

Accounts are ``xueshi_hours.api.HourAccount`` values built directly (CONTRACTS.md): the issuing
function takes an account, so these tests exercise issuing without the hours app's rules. Until
the hours app is merged, a frozen dataclass with the contract's fields stands in for the type.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Group, User

from xueshi_identity.testing import make_resident_id

try:
    from xueshi_hours.api import HourAccount, HourLine
except ImportError:  # the hours helper's branch is not merged yet: the contract's shape

    @dataclass(frozen=True)
    class HourLine:  # type: ignore[no-redef]
        source: str
        ref: str
        title: str
        category: str
        day: date | None
        raw: Decimal
        hours: Decimal
        reason: str

    @dataclass(frozen=True)
    class HourAccount:  # type: ignore[no-redef]
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


ID_NUMBER = make_resident_id("350102", "19880512", 993)


def make_account(user_id: int, *, met: bool = True, version: int = 1, year: int = 2026, **extra: Any) -> Any:
    lines = (
        HourLine(
            "course_completion",
            "course-v1:XS+GX01+2026",
            "新时代法治建设（公需）",
            "public",
            date(year, 3, 2),
            Decimal("30"),
            Decimal("30"),
            "counted",
        ),
        HourLine(
            "video",
            "course-v1:XS+ZY07+2026",
            "安全生产新技术（专业）",
            "professional",
            date(year, 5, 9),
            Decimal("2790"),
            Decimal("62.5"),
            "counted",
        ),
        HourLine(
            "video",
            "course-v1:XS+ZY08+2026",
            "超出日上限",
            "professional",
            date(year, 5, 9),
            Decimal("600"),
            Decimal("0"),
            "daily_cap",
        ),
    )
    values = {
        "user_id": user_id,
        "period_label": str(year),
        "period_start": date(year, 1, 1),
        "period_end": date(year, 12, 31),
        "rule_id": "cn-zj-2015",
        "rule_version": version,
        "rule_title": "专业技术人员继续教育规定",
        "unit": "xueshi",
        "required_total": Decimal("90"),
        "required_by_category": {"professional": Decimal("60")},
        "earned_total": Decimal("92.5") if met else Decimal("40"),
        "earned_by_category": {"public": Decimal("30"), "professional": Decimal("62.5")},
        "met": met,
        "missing": () if met else ("total",),
        "lines": lines,
    }
    values.update(extra)
    return HourAccount(**values)


def make_learner(username: str, *, real_name: str = "陈静怡", id_number: str = ID_NUMBER) -> User:
    from xueshi_identity.models import IdentityProfile, PersonnelCategory

    user = User.objects.create_user(username, f"{username}@example.invalid", None)
    profile = IdentityProfile(
        user=user,
        real_name=real_name,
        id_type="resident_id",
        province_code="350000",
        city_code="350100",
        county_code="350102",
        employer="福州测试公司",
        category=PersonnelCategory.objects.get(code="professional_technical"),
    )
    profile.id_number = id_number
    profile.phone = "13912345678"
    profile.save()
    return user


@pytest.fixture
def reference_data(db: None) -> None:
    from xueshi_identity.divisions import ensure_reference_data

    ensure_reference_data()


@pytest.fixture
def learner(reference_data: None) -> User:
    return make_learner("chenjingyi")


@pytest.fixture
def operator(db: None) -> User:
    user = User.objects.create_user("cert-op", "op@example.invalid", None)
    user.groups.add(Group.objects.get_or_create(name="xueshi_operator")[0])
    return user


def solved_captcha() -> dict[str, str]:
    """A fresh captcha of the public look-up and its right answer, as a person reads it off the picture."""
    from captcha.models import CaptchaStore

    key = CaptchaStore.generate_key()
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}
