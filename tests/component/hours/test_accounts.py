"""Ledger and completions → hour account, against MariaDB; which rule applies; rule versions kept."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import override_settings

from xueshi_hours import api, rulestore
from xueshi_hours.models import AccountPin, CourseHoursSetting
from xueshi_hours.rules import parse_rule

from .hourkit import COURSE, credit, learner, watched

pytestmark = pytest.mark.django_db
FUJIAN = ("350000", "350100", "350102")


def _course(**fields: object) -> CourseHoursSetting:
    defaults = {
        "title": "建筑新技术",
        "declared_hours": Decimal("8"),
        "category": "professional",
        "video_minutes": 10,
    }
    return CourseHoursSetting.objects.create(course_key=COURSE, **{**defaults, **fields})


def test_credited_video_becomes_hours_by_day_and_category() -> None:
    me = learner("zj", FUJIAN, "professional_technical")
    _course()
    credit(me, date(2026, 3, 1), 45 * 60)
    credit(me, date(2026, 3, 2), 30 * 60)
    credit(me, date(2025, 12, 31), 45 * 60)  # another year
    account = api.hour_account(me.pk, 2026)
    assert (account.rule_id, account.rule_version, account.unit) == ("cn-zj-2015", 1, "xueshi")
    assert account.period_label == "2026" and account.required_by_category == {"professional": Decimal(60)}
    videos = [x for x in account.lines if x.source == "video"]
    assert [(x.day, x.raw, x.hours) for x in videos] == [
        (date(2026, 3, 1), Decimal(45), Decimal("1.00")),
        (date(2026, 3, 2), Decimal(30), Decimal("0.66")),
    ]
    assert account.earned_by_category["professional"] == Decimal("1.66") == account.earned_total
    assert not account.met and account.missing[0] == "total:88.34"
    # Recomputing from the records gives the same figures.
    assert api.hour_account(me.pk, 2026) == account


def test_completion_needs_the_video_share_and_a_passed_exam_when_required() -> None:
    me = learner("done", FUJIAN, "professional_technical")
    _course(min_video_share=Decimal("0.9"))
    credit(me, date(2026, 4, 2), 500)
    watched(me, 500, 600)  # 83 % of the declared 10 minutes
    assert api.course_completed(me.pk, COURSE) is None
    watched(me, 560, 600)
    assert api.course_completed(me.pk, COURSE) == date(2026, 4, 2)
    line = next(x for x in api.hour_account(me.pk, 2026).lines if x.source == "course_completion")
    assert line.reason == "not_counted_by_rule"  # the national rule counts video minutes
    CourseHoursSetting.objects.filter(course_key=COURSE).update(exam_required=True)
    assert api.course_completed(me.pk, COURSE) is None  # no exam passed yet
    assert api.course_hours(COURSE).completion.exam_required
    assert api.course_hours("course-v1:No+Such+1") is None and api.course_hours("not a key") is None


def test_a_rule_that_counts_completions_grants_declared_hours() -> None:
    me = learner("gq", FUJIAN, "worker_skill")
    _course(declared_hours=Decimal("12"))
    credit(me, date(2026, 5, 1), 600)
    watched(me, 600, 600)
    account = api.hour_account(me.pk, 2026)
    assert account.rule_id == "fj-gq"
    line = next(x for x in account.lines if x.source == "course_completion")
    assert (line.hours, line.reason, line.day) == (Decimal(12), "counted", date(2026, 5, 1))
    assert account.missing == ("round:fj-gq-2023",)  # the shipped round's course was not taken


@pytest.mark.parametrize(
    ("region", "category", "rule_id"),
    [
        (("620000", "620100", "620102"), "accounting", "gs-kj"),
        (("110000", "", "110101"), "accounting", "bj-kj"),
        (("140000", "140700", "140702"), "accounting", "sx-kj-jz"),
        (("140000", "140100", "140105"), "accounting", "cn-kj-2018"),  # Taiyuan: national fallback
        (("450000", "450100", "450102"), "professional_technical", "gx-zj"),
        (("350000", "350100", "350102"), "accounting", "cn-kj-2018"),
    ],
)
def test_the_most_specific_region_wins_then_national(region: tuple, category: str, rule_id: str) -> None:
    me = learner(f"u{rule_id}{region[2]}", region, category)
    assert api.hour_account(me.pk, 2026).rule_id == rule_id


def test_no_rule_for_the_category() -> None:
    me = learner("svc", FUJIAN, "service")
    with pytest.raises(api.HoursError) as caught:
        api.hour_account(me.pk, 2026)
    assert caught.value.code == "no_rule"


def test_a_new_version_keeps_accounts_already_computed_on_the_old_one() -> None:
    me = learner("pin", FUJIAN, "professional_technical")
    credit(me, date(2026, 3, 1), 90 * 60)
    credit(me, date(2027, 3, 1), 90 * 60)
    before = api.hour_account(me.pk, 2026)
    assert before.earned_total == Decimal("2.00") and before.rule_version == 1
    body = rulestore.rule_version("cn-zj-2015", 1).to_json()
    body["online"]["minutes_per_unit"] = 30
    assert rulestore.add_version(parse_rule(body), note="test") == (2, True)
    assert rulestore.add_version(parse_rule(body), note="again") == (2, False)  # unchanged: no version
    after = api.hour_account(me.pk, 2026)
    assert (after.rule_version, after.earned_total) == (1, Decimal("2.00"))
    fresh = api.hour_account(me.pk, 2027)
    assert (fresh.rule_version, fresh.earned_total) == (2, Decimal("3.00"))
    assert AccountPin.objects.filter(user=me).count() == 2


def test_carry_over_moves_a_capped_surplus_when_the_rule_allows_it() -> None:
    me = learner("carry", FUJIAN, "professional_technical")
    credit(me, date(2025, 6, 1), 100 * 45 * 60)  # 100 in 2025: 10 over
    body = rulestore.rule_version("cn-zj-2015", 1).to_json()
    body["carry_over"] = {"max_units": "6"}
    rulestore.add_version(parse_rule(body))
    account = api.hour_account(me.pk, 2026)
    carried = [x for x in account.lines if x.source == "carry_over"]
    assert [(x.raw, x.hours) for x in carried] == [(Decimal("10.00"), Decimal("6"))]


def test_learners_meeting_a_year() -> None:
    done = learner("met", FUJIAN, "professional_technical")
    short = learner("short", FUJIAN, "professional_technical")
    _course()
    credit(done, date(2026, 1, 5), 90 * 45 * 60)
    credit(short, date(2026, 1, 5), 45 * 60)
    assert list(api.learners_meeting(2026)) == [done.pk]
    assert list(api.learners_meeting(2026, region_prefix="11")) == []
    assert list(api.learners_meeting(2026, category="accounting")) == []


@override_settings(XUESHI_TIME_ZONE="Asia/Shanghai")
def test_current_period_by_default() -> None:
    me = learner("now", FUJIAN, "professional_technical")
    from xueshi_hours import accounts

    assert api.hour_account(me.pk).period_start == date(accounts.today().year, 1, 1)


def test_a_rule_applies_only_in_its_effective_years() -> None:
    me = learner("jz", ("140000", "140700", "140702"), "accounting")
    assert api.hour_account(me.pk, 2026).rule_id == "sx-kj-jz"  # effective from 2022
    assert api.hour_account(me.pk, 2021).rule_id == "cn-kj-2018"  # before: the national rule
