"""A cached hour account is versioned by its sources: any change to them is a new figure (ADR 0113, 0180).

The shared layer holds the compact form (``accountform``); each test empties this process's layer
before reading so what is checked is the shared cache, and compares with the account computed
from the records with the cache off.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from xueshi_hours import accountcache, api
from xueshi_hours.models import CourseHoursSetting, ExternalHours

from .hourkit import COURSE, credit, learner, watched

pytestmark = pytest.mark.django_db
FUJIAN = ("350000", "350100", "350102")


def _shared(user_id: int) -> object:
    accountcache.forget_local()
    return api.hour_account(user_id, 2026)


def _computed(user_id: int) -> object:
    with override_settings(XUESHI_HOURS_ACCOUNT_CACHE=False):
        return api.hour_account(user_id, 2026)


def test_every_source_change_gives_a_new_account_and_the_cache_equals_the_computation() -> None:
    cache.clear()
    me = learner("cachezj", FUJIAN, "professional_technical")
    course = CourseHoursSetting.objects.create(
        course_key=COURSE,
        title="建筑新技术",
        declared_hours=Decimal(8),
        category="professional",
        video_minutes=10,
    )
    credit(me, date(2026, 3, 1), 45 * 60)
    first = api.hour_account(me.pk, 2026)
    assert _shared(me.pk) == first == _computed(me.pk)  # read back from the compact form

    credit(me, date(2026, 3, 1), 45 * 60)  # more credit on the same day: same row count, more ms
    grown = _shared(me.pk)
    assert grown.earned_total > first.earned_total and grown == _computed(me.pk)

    watched(me, 30.0, 600.0)  # watched coverage changes completion
    assert _shared(me.pk) == _computed(me.pk)

    course.category = "public"  # the course team re-categorises the course
    course.save()
    recategorised = _shared(me.pk)
    assert {x.category for x in recategorised.lines if x.source == "video"} == {"public"}
    assert recategorised == _computed(me.pk)

    ExternalHours.objects.create(
        user=me,
        title="省级继续教育研讨会",
        hours=Decimal(3),
        activity_day=date(2026, 4, 1),
        attachment="x.pdf",
        status=ExternalHours.APPROVED,
        decided_at=timezone.now(),
        decided_day=date(2026, 4, 2),
        category="public",
    )
    approved = _shared(me.pk)
    assert [x.hours for x in approved.lines if x.source == "external"] == [Decimal("3.00")]
    assert approved == _computed(me.pk)


def test_a_foreign_or_broken_cache_entry_is_a_miss_not_a_wrong_account() -> None:
    cache.clear()
    me = learner("cachebroken", FUJIAN, "professional_technical")
    credit(me, date(2026, 5, 1), 45 * 60)
    api.hour_account(me.pk, 2026)
    keys = cache.keys("xueshi_hours:account*")  # django-redis
    assert keys, "the account was not stored in the shared cache"
    for key in keys:
        cache.set(key, b'{"f": 999}')
    assert _shared(me.pk) == _computed(me.pk)
    for key in keys:
        cache.set(key, b"\x00 not json")
    assert _shared(me.pk) == _computed(me.pk)
