"""Canonical records from the real sources: study credited by heartbeats, a certificate issued.

Study days come from the ledger collector (its cursor and the records commit together; a replay
from zero writes nothing new); the certificate record comes from the certificates' signal. The
learner's ID number leaves in full, is encrypted at rest in the outbox, and each disclosure is in
the personal-data audit.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from xueshi_core.days import china_day
from xueshi_core.models import PersonalDataView
from xueshi_reporting import collect, delivery, schema
from xueshi_reporting.models import Cursor, Delivery, OutboxRecord, StagedFact

from ..certificates.conftest import make_account, make_learner, reference_data  # noqa: F401 (fixture)
from ..permkit import learner_in
from ..stats.conftest import GULOU, clock, enrol_since, ledger_env, midnight, sit_exam, study  # noqa: F401 (fixtures)
from .conftest import payload, states


def test_study_days_from_the_ledger_once_even_when_replayed(provinces, clock) -> None:  # noqa: F811
    province = provinces("fj", kinds=[schema.STUDY_DAY])
    profile = learner_in("rp_a", GULOU, "鼓楼电力公司", 301)
    today = china_day(timezone.now())
    enrol_since(profile.user, today - timedelta(days=3))
    study(profile.user, clock, midnight(today) - timedelta(seconds=100), 240)  # 90 s yesterday, 150 s today
    assert collect.study_days() == 2
    rows = {payload(r)["data"]["day"]: payload(r) for r in OutboxRecord.objects.filter(kind=schema.STUDY_DAY)}
    assert sorted(rows) == [(today - timedelta(days=1)).isoformat(), today.isoformat()]
    record = rows[today.isoformat()]
    assert record["schema"] == schema.VERSION and record["learner"]["real_name"] == "学员301"
    assert (
        record["learner"]["id_number"] == str(profile.id_number) and record["learner"]["region"] == "350102"
    )
    assert record["data"]["credited_seconds"] == 150 and record["data"]["credited_minutes"] == 2
    assert record["course"]["code"] == "course-v1:Xueshi+ST101+2026"
    assert record["key"] == OutboxRecord.objects.get(subject=record["subject"]).idempotency_key
    with connection.cursor() as cursor:  # encrypted at rest
        cursor.execute("SELECT payload FROM xueshi_reporting_outboxrecord")
        assert all(str(profile.id_number) not in raw for (raw,) in cursor.fetchall())
    assert PersonalDataView.objects.filter(subject_user_id=profile.user_id, actor_id=None).exists()
    # Nothing new past the cursor; a replay from zero finds the same facts, so the same keys.
    assert collect.study_days() == 0
    Cursor.objects.filter(name=collect.LEDGER).update(position=0)
    assert collect.study_days() == 0
    # Only study days go to this destination (it does not take hour accounts).
    assert Delivery.objects.filter(destination=province.destination).count() == 2
    delivery.run("fj")
    assert states(province.destination) == {Delivery.DELIVERED: 2}
    held = province.platform.records
    assert {r["data"]["credited_seconds"] for r in held.values()} == {90, 150}


@pytest.mark.usefixtures("reference_data")
def test_an_issued_certificate_is_recorded_from_the_signal(
    provinces, django_capture_on_commit_callbacks
) -> None:
    from xueshi_certificates.issuing import issue_for_account

    province = provinces("zj", kinds=[schema.CERTIFICATE])
    learner = make_learner("rp_cert")
    with django_capture_on_commit_callbacks(execute=True):
        cert = issue_for_account(make_account(learner.pk)).certificate
    record = payload(OutboxRecord.objects.get(kind=schema.CERTIFICATE))
    assert record["data"]["serial"] == cert.serial and record["data"]["status"] == "issued"
    assert record["data"]["hours"] == "92.5" and record["learner"]["real_name"] == "陈静怡"
    # The collector replays the table: the same certificate is the same record.
    assert collect.certificate_records() == 0
    delivery.run("zj")
    assert [r["data"]["serial"] for r in province.platform.records.values()] == [cert.serial]


def test_exam_rounds_are_recorded_once(provinces) -> None:
    provinces("fj", kinds=[schema.EXAM])
    profile = learner_in("rp_exam", GULOU, "鼓楼电力公司", 302)
    sit_exam(profile.user, 8)
    assert collect.exam_records() == 1
    record = payload(OutboxRecord.objects.get(kind=schema.EXAM))
    assert record["data"]["percent"] == 80 and record["course"]["code"] == "course-v1:Xueshi+ST101+2026"
    Cursor.objects.filter(name=collect.EXAMS).update(position=0)
    assert collect.exam_records() == 0


def test_a_refused_study_day_is_corrected_from_the_fixed_profile(provinces, clock) -> None:  # noqa: F811
    """The province does not know the ID number; the operator fixes the profile and corrects the record."""
    from xueshi_identity.testing import make_resident_id
    from xueshi_reporting import corrections, tasks

    province = provinces("fj", kinds=[schema.STUDY_DAY])
    profile = learner_in("rp_fix", GULOU, "鼓楼电力公司", 303)
    wrong = str(profile.id_number)
    province.platform.controls.reject_ids = [wrong]
    today = china_day(timezone.now())
    enrol_since(profile.user, today - timedelta(days=3))
    study(profile.user, clock, midnight(today) + timedelta(hours=9), 120)
    tasks.sweep()  # collect, then deliver (eager in tests)
    dead = Delivery.objects.get(destination=province.destination)
    assert dead.state == Delivery.DEAD and province.platform.records == {}
    profile.id_number = make_resident_id("350102", "19900307", 304)
    profile.save()
    assert corrections.correct(dead.pk) == "rebuilt"
    tasks.sweep()
    assert states(province.destination) == {Delivery.DROPPED: 1, Delivery.DELIVERED: 1}
    (held,) = province.platform.records.values()
    assert held["learner"]["id_number"] == str(profile.id_number) != wrong
    assert held["data"]["credited_seconds"] == 120


def test_the_day_replay_finds_a_study_day_the_ledger_cursor_skipped(provinces, clock) -> None:  # noqa: F811
    provinces("fj", kinds=[schema.STUDY_DAY])
    profile = learner_in("rp_late", GULOU, "鼓楼电力公司", 305)
    today = china_day(timezone.now())
    enrol_since(profile.user, today - timedelta(days=3))
    study(profile.user, clock, midnight(today) + timedelta(hours=8), 90)
    # The cursor already stands past these ledger rows (a concurrent flusher committed them late).
    from xueshi_studytime.api import ledger_keys_after

    Cursor.objects.update_or_create(name=collect.LEDGER, defaults={"position": ledger_keys_after(0)[0]})
    assert collect.study_days() == 0 and not OutboxRecord.objects.exists()
    assert collect.replay_day(today) == 1
    assert payload(OutboxRecord.objects.get())["data"]["credited_seconds"] == 90
    assert collect.replay_day(today) == 0


def test_learner_and_enrolment_records_commit_with_their_change(provinces) -> None:
    from django.db import transaction

    from sandbox.lms import enrollment
    from sandbox.lms.models import CourseRun
    from xueshi_identity.models import PersonnelCategory

    provinces("fj", kinds=[schema.LEARNER, schema.ENROLMENT])
    profile = learner_in("rp_l", GULOU, "鼓楼电力公司", 311)  # no category yet: incomplete, not reported
    learners = OutboxRecord.objects.filter(kind=schema.LEARNER)
    assert not StagedFact.objects.exists()
    profile.category = PersonnelCategory.objects.get_or_create(code="other", defaults={"name": "其他"})[0]
    profile.save()
    assert StagedFact.objects.count() == 1  # in the profile's transaction; the sweep makes the record
    assert collect.staged() == 1 and not StagedFact.objects.exists()
    assert [payload(r)["learner"]["employer"] for r in learners] == ["鼓楼电力公司"]
    with pytest.raises(RuntimeError), transaction.atomic():  # a change that rolls back takes its fact along
        profile.employer = "台江水务公司"
        profile.save()
        raise RuntimeError
    assert not StagedFact.objects.exists()
    profile.refresh_from_db()
    profile.save()  # the same facts: the same record
    assert collect.staged() == 0 and learners.count() == 1
    profile.employer = "台江水务公司"
    profile.save()
    assert collect.staged() == 1
    assert [payload(r)["learner"]["employer"] for r in learners.order_by("id")][-1] == "台江水务公司"

    course = "course-v1:Xueshi+ST101+2026"
    CourseRun.objects.get_or_create(course_key=course, defaults={"title": "公需课"})
    enrollment.enroll(profile.user, course)
    enrollment.unenroll(profile.user, course)
    enrollment.enroll(profile.user, course)
    assert collect.staged() == 3
    rows = [payload(r) for r in OutboxRecord.objects.filter(kind=schema.ENROLMENT).order_by("id")]
    assert [r["data"]["active"] for r in rows] == [True, False, True]
    assert {r["subject"] for r in rows} == {f"enrolment:{profile.user_id}:{course}"}
    assert rows[0]["course"]["code"] == course and rows[0]["learner"]["real_name"] == "学员311"
