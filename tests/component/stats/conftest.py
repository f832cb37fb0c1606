"""A small province for the statistics tests, built through the real paths (ADR 0150, 0151).

Study is credited by real heartbeats on a manual server clock and flushed by the real flusher;
enrolments go through the sandbox's ``CourseEnrollment`` (its openedx-events reach our receivers);
exams are answers recorded through the question bank's api; a learner moves by saving the profile.
Days are relative to today in Asia/Shanghai (T) because enrolment and profile dates are real time.

- A, 350102 鼓楼区 (福州): plays 23:58:20 Y → 00:02:20 T, beats from 23:58:50: 90 s on Y, 150 s on T.
- B, 350103 台江区 (福州), moves to 350203 思明区 (厦门) on T: 120 s on Y (台江), 120 s on T (思明).
- C, 350102: 60 s on T, then unenrols on T.
- D, 350102, 会计人员 (accounting): exam 8/10 on T (80, completed).
- E, 350102: exam 5/10 on T (50, not completed).
All enrolled 30 days before T.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from xueshi_questionbank import api as bank_api

from xueshi_core.days import china_day
from xueshi_stats import rollup
from xueshi_studytime.api import open_session
from xueshi_studytime.data import VideoPolicy
from xueshi_studytime.flusher import flush

from ..ledgerkit import ManualClock, isolated_ledger
from ..permkit import account, learner_in, signed_in
from .handbuilt import learners, today_in_shanghai  # noqa: F401  (fixtures of the stock and closed-period tests)

COURSE = "course-v1:Xueshi+ST101+2026"
USAGE = "block-v1:Xueshi+ST101+2026+type@xueshi_video+block@intro"
USAGE_2 = "block-v1:Xueshi+ST101+2026+type@xueshi_video+block@second"
EXAM_USAGE = "block-v1:Xueshi+ST101+2026+type@xueshi_practice+block@exam"
HEARTBEATS = "/api/xueshi/studytime/v1/heartbeats"
POLICY = VideoPolicy(duration=3600.0, anti_idle_seconds=0)
SHANGHAI = ZoneInfo("Asia/Shanghai")
GULOU = ("350000", "350100", "350102")
TAIJIANG = ("350000", "350100", "350103")
SIMING = ("350000", "350200", "350203")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture(autouse=True)
def ledger_env(clock: ManualClock) -> Any:
    """Own Redis keyspace, the manual clock, English reasons."""
    with isolated_ledger(
        "stats",
        clock,
        XUESHI_STUDYTIME_LEASE_POLICY="takeover",
        XUESHI_STUDYTIME_TOKEN_KEYS=["stats-test-key-1"],
        LANGUAGE_CODE="en",
    ) as prefix:
        yield prefix


def midnight(day: date) -> datetime:
    """00:00 of a China day, as an aware UTC datetime."""
    return datetime(day.year, day.month, day.day, tzinfo=SHANGHAI).astimezone(UTC)


def study(user: Any, clock: ManualClock, start: datetime, seconds: int, usage: str = USAGE) -> None:
    """Play ``usage`` from ``start`` (server time) for ``seconds`` through the real heartbeat API, then flush.

    Beats come every 30 s; the ledger credits each on the China day it arrives.
    """
    step = 30
    clock.now = start.timestamp()
    http = Client()
    http.force_login(user)
    grant = open_session(user=user, usage_key=usage, policy=POLICY)

    def beat(seq: int, position: float, event: str) -> None:
        body = {"token": grant.token, "seq": seq, "position": position, "playing": True, "visible": True}
        body.update(rate=1.0, event=event)
        response = http.post(HEARTBEATS, json.dumps(body), "application/json")
        assert response.status_code == 200, response.content

    beat(1, 0, "play")
    for n in range(1, seconds // step + 1):
        clock.advance(step)
        beat(n + 1, n * step, "tick")
    flush(claim_idle_ms=0)


def enrol_since(user: Any, day: date) -> None:
    """Enrol through the sandbox's CourseEnrollment; the record dates from ``day`` (as if made then)."""
    from sandbox.lms import enrollment
    from sandbox.lms.models import CourseRun, Enrollment

    run, _ = CourseRun.objects.get_or_create(course_key=COURSE, defaults={"title": "统计测试课程"})
    row = Enrollment.objects.create(user=user, course=run, is_active=False)
    Enrollment.objects.filter(pk=row.pk).update(created=midnight(day) + timedelta(hours=9))
    enrollment.enroll(user, COURSE)


def sit_exam(user: Any, right: int, total: int = 10) -> None:
    """One exam round answered through the question bank's api: ``right`` of ``total`` correct."""
    for n in range(total):
        version = bank_api.upsert_block_question(
            COURSE, EXAM_USAGE, f"q{n}", {"type": "truefalse", "stem": f"判断题 {n}", "answer": True}
        )
        bank_api.record_attempt(
            user.id,
            COURSE,
            EXAM_USAGE,
            "exam",
            "round-1",
            version,
            "true" if n < right else "false",
            n < right,
            f"exam:{user.id}:round-1:{n}",
        )


@pytest.fixture
def province(db: Any, clock: ManualClock) -> dict[str, Any]:
    """The learners of the table above, rolled up; returns them with today (T) and yesterday (Y)."""
    from sandbox.lms import enrollment

    today = china_day(timezone.now())
    yesterday = today - timedelta(days=1)
    people = {
        "A": learner_in("stat_a", GULOU, "鼓楼电力公司", 101),
        "B": learner_in("stat_b", TAIJIANG, "台江建设公司", 102),
        "C": learner_in("stat_c", GULOU, "鼓楼电力公司", 103),
        "D": learner_in("stat_d", GULOU, "鼓楼电力公司", 104),
        "E": learner_in("stat_e", GULOU, "鼓楼医院", 105),
    }
    from xueshi_identity.models import PersonnelCategory

    people["D"].category = PersonnelCategory.objects.get(code="accounting")  # the only 会计人员
    people["D"].save()
    users = {k: p.user for k, p in people.items()}
    for user in users.values():
        enrol_since(user, today - timedelta(days=30))
    rollup.run()  # B's first region (台江) is known before B studies
    study(users["A"], clock, midnight(today) - timedelta(seconds=100), 240)
    study(users["B"], clock, midnight(yesterday) + timedelta(hours=10), 120)
    b = people["B"]
    b.province_code, b.city_code, b.county_code, b.employer = *SIMING, "思明软件园"
    b.save()
    rollup.run()
    study(users["B"], clock, midnight(today) + timedelta(minutes=20), 120, USAGE_2)  # another block
    study(users["C"], clock, midnight(today) + timedelta(minutes=10), 60)
    enrollment.unenroll(users["C"], COURSE)
    sit_exam(users["D"], 8)
    sit_exam(users["E"], 5)
    rollup.run()
    return {"users": users, "today": today, "yesterday": yesterday}


@pytest.fixture
def gulou_county(db: Any) -> dict[str, Any]:
    """A county supervisor of 鼓楼区 and learners in 鼓楼, 台江 (same city) and 思明 (another city)."""
    from xueshi_core import roles

    here = learner_in("scope_here", GULOU, "鼓楼电力公司", 201)
    elsewhere = learner_in("scope_there", SIMING, "思明软件园", 202)
    neighbour = learner_in("scope_near", TAIJIANG, "台江建设公司", 203)
    for profile in (here, elsewhere, neighbour):
        enrol_since(profile.user, date(2026, 1, 5))
    rollup.run()
    supervisor = account("county_sup", roles.SUPERVISOR_COUNTY, regions="350102")
    client = signed_in(supervisor)
    return {"client": client, "here": here.user, "elsewhere": elsewhere.user, "supervisor": supervisor}
