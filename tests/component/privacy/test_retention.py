"""The retention purge (ADR 0064): rows on both sides of the cut-off, which is the start of an
Asia/Shanghai day; dry run first, batched, idempotent; the command and the Celery task."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings

from xueshi_core import retention
from xueshi_core.models import (
    ConsentRecord,
    PersonalDataExport,
    PersonalDataView,
    RefusedAccess,
    RetiredAccount,
)
from xueshi_core.tasks import purge_past_retention
from xueshi_face.models import FaceCheck
from xueshi_identity.models import RetainedIdentity
from xueshi_studytime.models import DailyStudyTotal, LedgerEntry, PlaybackSession

from ..permkit import account

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 4, 10, tzinfo=UTC)  # 18:00 in Beijing
# The cut-off is 2021-12-04 00:00 Beijing time = 2021-12-03 16:00 UTC: both rows below fall on
# 2021-12-03 in UTC, only the first on a Beijing day past the five years.
BEFORE, AFTER = datetime(2021, 12, 3, 15, 59, tzinfo=UTC), datetime(2021, 12, 3, 16, 1, tzinfo=UTC)
COURSE, USAGE = "course-v1:Xueshi+RET101+2026", "block-v1:Xueshi+RET101+2026+type@xueshi_video+block@v1"


def _session(user, at, **extra):
    return PlaybackSession.objects.create(
        user=user,
        course_key=COURSE,
        usage_key=USAGE,
        opened_at=at,
        ip="202.96.128.86",
        user_agent="UA",
        **extra,
    )


def _study(user, at):
    session = _session(user, at)
    LedgerEntry.objects.create(
        session=session,
        seq=1,
        user=user,
        course_key=COURSE,
        usage_key=USAGE,
        credited_ms=5000,
        from_position=0,
        to_position=5,
        received_at=at,
        china_day=at.date(),
    )
    DailyStudyTotal.objects.create(user=user, course_key=COURSE, day=at.date(), credited_ms=5000)


def _check(user, at):
    return FaceCheck.objects.create(
        user=user,
        checked_at=at,
        context="signin",
        engine="local",
        threshold=40,
        decision="passed",
        liveness="off",
        image_digest="0" * 64,
    )


def _export_job(at, file_name):
    from xueshi_stats.models import ExportJob

    job = ExportJob.objects.create(
        token=f"{at.timestamp():.0f}{file_name[-8:]}", owner_id=1, source="figure", file_format="csv"
    )
    ExportJob.objects.filter(pk=job.pk).update(created_at=at, file_name=file_name)


def _seed():
    learner, gone, recent = account("ret-learner"), account("ret-gone"), account("ret-recent")
    for at in (BEFORE, AFTER):
        _session(learner, at, risk_signals={"headless_agent": 1})
        _check(learner, at)
        PersonalDataView.objects.create(
            subject_user_id=learner.pk, field="id_number", purpose="t", viewed_at=at
        )
        ConsentRecord.objects.create(user_id=learner.pk, kind="face", version=1, given_at=at, withdrawn_at=at)
        RefusedAccess.objects.create(
            actor_id=1, action="view_statistics", target="t", reason="r", refused_at=at
        )
        PersonalDataExport.objects.create(actor_id=1, what="t", rows=3, exported_at=at)
        _export_job(at, file_name="")
    _export_job(BEFORE, file_name="xueshi_stats/exports/still-there.csv")  # waits for its file to expire
    ConsentRecord.objects.create(user_id=learner.pk, kind="id_number", version=1, given_at=BEFORE)  # stands
    for user, retired_at in ((gone, BEFORE), (recent, AFTER)):
        _study(user, BEFORE)
        RetiredAccount.objects.create(user_id=user.pk, pseudonym=f"retired__{user.pk}", retired_at=retired_at)
        RetainedIdentity.objects.create(
            user_id=user.pk, id_type="resident_id", id_number_hash="h", retired_at=retired_at
        )
    return learner, gone, recent


def test_what_is_past_the_cut_off_goes_and_nothing_else(caplog) -> None:
    caplog.set_level(logging.INFO, logger="xueshi_core.retention")
    learner, gone, recent = _seed()
    expected = {
        "core.consent_records": 1,
        "core.personal_data_exports": 1,
        "core.personal_data_views": 1,
        "core.refused_accesses": 1,
        "core.retired_accounts": 1,
        "face.checks": 1,
        "identity.retained_identities": 1,
        "stats.export_jobs": 1,
        "studytime.retired.daily_totals": 1,
        "studytime.retired.ledger_entries": 1,
        "studytime.retired.sessions": 1,
        "studytime.session_devices_and_risk_signals": 3,  # the learner's old one and both retirees'
    }
    dry = retention.purge(dry_run=True, now=NOW)
    assert {k: v for k, v in dry.items() if v} == expected
    assert PersonalDataView.objects.count() == 2 and RetiredAccount.objects.count() == 2  # nothing changed
    assert {k: v for k, v in retention.purge(batch=1, now=NOW).items() if v} == expected
    assert "retention core.personal_data_views: removed 1 rows" in caplog.text  # the logged purge
    old, new = PlaybackSession.objects.filter(user=learner).order_by("opened_at")
    assert (old.ip, old.user_agent, old.risk_signals) == (None, "", {})
    assert (new.ip, new.risk_signals) == ("202.96.128.86", {"headless_agent": 1})  # 00:01 Beijing: kept
    assert list(FaceCheck.objects.values_list("checked_at", flat=True)) == [AFTER]
    assert list(PersonalDataView.objects.values_list("viewed_at", flat=True)) == [AFTER]
    assert list(RefusedAccess.objects.values_list("refused_at", flat=True)) == [AFTER]
    assert list(PersonalDataExport.objects.values_list("exported_at", flat=True)) == [AFTER]
    from xueshi_stats.models import ExportJob

    assert sorted(ExportJob.objects.values_list("file_name", flat=True)) == [
        "",
        "xueshi_stats/exports/still-there.csv",
    ]
    assert sorted(ConsentRecord.objects.values_list("kind", flat=True)) == ["face", "id_number"]
    assert list(RetiredAccount.objects.values_list("user_id", flat=True)) == [recent.pk]
    assert list(RetainedIdentity.objects.values_list("user_id", flat=True)) == [recent.pk]
    assert (
        not LedgerEntry.objects.filter(user=gone).exists()
        and not PlaybackSession.objects.filter(user=gone).exists()
    )
    assert LedgerEntry.objects.filter(user=recent).count() == 1  # retired 00:01 Beijing: still kept
    assert not any(retention.purge(now=NOW).values())  # a second run finds nothing left


def test_the_command_the_task_and_the_setting() -> None:
    _seed()
    out = StringIO()
    call_command("xueshi_purge_retention", "--dry-run", stdout=out)
    assert "retention 5 years (would go)" in out.getvalue() and "face.checks: " in out.getvalue()
    assert FaceCheck.objects.count() == 2  # the real clock: one or both rows are past the cut-off
    assert purge_past_retention.apply(kwargs={"dry_run": True}).get()["face.checks"] >= 1
    with override_settings(XUESHI_RETENTION_YEARS=2), pytest.raises(ImproperlyConfigured):
        retention.purge(now=NOW)
    with override_settings(XUESHI_RETENTION_YEARS=4):  # the cut-off moves a year: the later rows go too
        assert retention.purge(dry_run=True, now=NOW)["face.checks"] == 2
    assert retention.cutoff(datetime(2028, 2, 29, 12, tzinfo=UTC), 5) == datetime(2023, 2, 27, 16, tzinfo=UTC)
