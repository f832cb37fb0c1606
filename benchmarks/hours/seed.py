"""A year of one learner's records, written as the flusher writes them (bulk, in one transaction).

``rows`` ledger rows over every China day of ``year`` in ``courses`` courses of four blocks each,
their daily totals, the blocks' watched intervals (every course completed), each course's hour
settings, and a few approved external hours: the account reads all of these.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

BLOCKS = 4


def course_key(run: str, n: int) -> str:
    """The n-th benchmark course of a run."""
    return f"course-v1:HoursBench+{run}C{n}+{run}"


def seed(run: str, year: int, rows: int = 20000, courses: int = 6) -> int:
    """Create the learner and their records; return the user id."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from opaque_keys.edx.keys import CourseKey

    from xueshi_hours.models import CourseHoursSetting, ExternalHours
    from xueshi_identity.models import IdentityProfile, PersonnelCategory
    from xueshi_identity.testing import make_resident_id
    from xueshi_studytime.models import DailyStudyTotal, LedgerEntry, PlaybackSession, VideoProgress

    days = [
        date(year, 1, 1) + timedelta(days=i) for i in range((date(year + 1, 1, 1) - date(year, 1, 1)).days)
    ]
    keys = [CourseKey.from_string(course_key(run, n)) for n in range(courses)]
    with transaction.atomic():
        user = get_user_model().objects.create_user(f"hb-{run}", f"hb-{run}@example.invalid", None)
        profile = IdentityProfile(
            user=user,
            real_name="基准学员",
            id_type="resident_id",
            province_code="350000",
            city_code="350100",
            county_code="350102",
            employer="基准单位",
            category=PersonnelCategory.objects.get_or_create(
                code="professional_technical", defaults={"name": "专业技术人员"}
            )[0],
        )
        profile.id_number = make_resident_id("350102", "19900307", int(run[-3:]) % 1000)
        profile.save()
        sessions: dict[tuple[int, date], Any] = {}
        entries, totals = [], {}
        for i in range(rows):
            day, n = days[i % len(days)], (i // len(days)) % courses
            block = keys[n].make_usage_key("xueshi_video", f"b{i % BLOCKS}")
            if (n, day) not in sessions:
                at = datetime.combine(day, time(2), UTC)
                sessions[(n, day)] = PlaybackSession(
                    id=uuid.uuid4(), user=user, course_key=keys[n], usage_key=block, opened_at=at
                )
            session = sessions[(n, day)]
            entries.append(
                LedgerEntry(
                    session=session,
                    seq=i,
                    user=user,
                    course_key=keys[n],
                    usage_key=block,
                    credited_ms=30000,
                    from_position=0,
                    to_position=30,
                    received_at=session.opened_at,
                    china_day=day,
                )
            )
            totals[(n, day)] = totals.get((n, day), 0) + 30000
        PlaybackSession.objects.bulk_create(sessions.values(), batch_size=2000)
        LedgerEntry.objects.bulk_create(entries, batch_size=2000)
        DailyStudyTotal.objects.bulk_create(
            [
                DailyStudyTotal(user=user, course_key=keys[n], day=day, credited_ms=ms)
                for (n, day), ms in totals.items()
            ],
            batch_size=2000,
        )
        VideoProgress.objects.bulk_create(
            [
                VideoProgress(
                    user=user,
                    course_key=k,
                    usage_key=k.make_usage_key("xueshi_video", f"b{b}"),
                    watched_seconds=600,
                    duration=600,
                    coverage=1.0,
                )
                for k in keys
                for b in range(BLOCKS)
            ]
        )
        CourseHoursSetting.objects.bulk_create(
            [
                CourseHoursSetting(
                    course_key=k,
                    title=f"基准课程{n}",
                    declared_hours=Decimal(8),
                    category="professional" if n % 3 else "public",
                )
                for n, k in enumerate(keys)
            ]
        )
        for n in range(5):
            ExternalHours.objects.create(
                user=user,
                title=f"外部学时{n}",
                hours=Decimal(2),
                activity_day=days[n],
                attachment="bench/none.pdf",
                status=ExternalHours.APPROVED,
                decided_day=days[n * 30],
                category="public",
            )
    return int(user.pk)
