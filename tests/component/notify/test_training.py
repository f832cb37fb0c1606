"""Training arrangements (ADR 0340): an approved or moved project tells its target learners once each,
in their own language, through Celery batches; a real worker sends them once to the SMS sandbox."""

from __future__ import annotations

import json
import time
from datetime import date

import pytest
from django.conf import settings
from django.core import mail

from tests.component.conftest import celery_worker
from tests.component.permkit import learner_in, signed_in
from xueshi_notify import tasks
from xueshi_notify.models import Notification
from xueshi_notify.preferences import save_choices
from xueshi_stats import projects, rollup, signals
from xueshi_stats.models import TrainingProject

FUZHOU, XIAMEN = ("350000", "350100", "350102"), ("350000", "350200", "350203")
QUEUE = "xueshi-notify-training-test"


def _project(code: str) -> TrainingProject:
    return TrainingProject.objects.create(
        code=code,
        name="福州市2026年安全生产继续教育",
        organiser="福州市人社局",
        start=date(2026, 12, 10),
        end=date(2027, 1, 31),
        courses=["course-v1:Xueshi+SAFE101+2026"],
        regions=["350100"],
        required_hours="24.00",
    )


def _audience() -> tuple:
    """Two learners in 福州 (one reads English), one in 厦门 whom the project does not target."""
    english, chinese = (learner_in(f"trn_{n}", FUZHOU, "福州某医院", 780 + i) for i, n in enumerate("ab"))
    learner_in("trn_other", XIAMEN, "厦门某医院", 789)
    switched = signed_in(english.user).post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert switched.status_code == 302  # the header's switcher: the LMS saves it as pref-lang
    rollup.run()  # the dated regions projects read
    return english.user, chinese.user


@pytest.mark.django_db
def test_approval_and_new_dates_tell_each_target_learner_once_in_their_language(
    settings, django_capture_on_commit_callbacks
) -> None:
    settings.XUESHI_NOTIFY_BATCH_SIZE = 1  # one learner per batch task: paging is exercised
    english, chinese = _audience()
    project = _project("fz-safety")
    for _ in range(2):  # approving twice, and the fact announced again, tell nobody twice
        with django_capture_on_commit_callbacks(execute=True):
            projects.approve(project.code, "operator")
            signals.announce_on_commit(project.code, "approved")
    sent = {n.user_id: n for n in Notification.objects.filter(kind="training_arrangement")}
    assert set(sent) == {english.pk, chinese.pk}
    assert (sent[english.pk].language, sent[chinese.pk].language) == ("en", "zh-cn")
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        "Training arrangement: 福州市2026年安全生产继续教育",
        "培训安排：福州市2026年安全生产继续教育",
    ]
    assert "24 hours required" in next(m.body for m in mail.outbox if m.to == [english.email])

    project.refresh_from_db()
    project.end = date(2027, 2, 28)
    with django_capture_on_commit_callbacks(execute=True):
        projects.save_plan(project)
    moved = Notification.objects.filter(dedupe_key__startswith="training:fz-safety:dates:")
    assert moved.count() == 2 and "The dates have changed" in moved.get(user=english).context["details"]
    assert "2027-02-28" in moved.get(user=chinese).context["when"]


@pytest.mark.django_db
def test_a_learner_who_moves_into_an_open_project_hears_of_it_once(
    settings, django_capture_on_commit_callbacks
) -> None:
    """ADR 0345: the roll-up's move tells the newcomer (revision ``joined``); nobody twice."""
    from datetime import timedelta

    from django.utils import timezone

    from xueshi_identity.models import IdentityProfile

    english, _chinese = _audience()
    project = _project("fz-newcomers")
    project.start, project.end = timezone.localdate(), timezone.localdate() + timedelta(days=60)
    project.save()
    with django_capture_on_commit_callbacks(execute=True):
        projects.approve(project.code, "operator")
    newcomer = IdentityProfile.objects.get(user__username="trn_other")
    assert not Notification.objects.filter(user_id=newcomer.user_id).exists()

    for run in range(2):  # the second move (employer only) tells nobody again
        newcomer.province_code, newcomer.city_code, newcomer.county_code = FUZHOU
        newcomer.employer = "福州某医院" if run == 0 else "福州另一医院"
        newcomer.save()
        told = IdentityProfile.objects.get(user=english)
        told.employer = f"福州某医院{run}"  # already told of the project: a move tells them nothing new
        told.save()
        with django_capture_on_commit_callbacks(execute=True):
            assert rollup.roll_up_profiles() == 2
    joined = Notification.objects.filter(kind="training_arrangement", dedupe_key__contains=":joined:")
    assert [(n.user_id, n.dedupe_key) for n in joined] == [
        (newcomer.user_id, f"training:fz-newcomers:joined:{newcomer.user_id}")
    ]
    told_english = Notification.objects.filter(user=english, dedupe_key__startswith="training:fz-newcomers:")
    assert told_english.count() == 1

    # An ended project is not news: a later arrival hears nothing of it.
    TrainingProject.objects.filter(code="fz-newcomers").update(end=timezone.localdate() - timedelta(days=1))
    late = learner_in("trn_late", FUZHOU, "福州某医院", 790)
    with django_capture_on_commit_callbacks(execute=True):
        rollup.roll_up_profiles()
    assert not Notification.objects.filter(user_id=late.user_id).exists()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_tells_the_project_once_through_sms(tencent_sms, monkeypatch) -> None:
    server, options = tencent_sms
    options = {**options, "TEMPLATES": {**options["TEMPLATES"], "training_arrangement": "2400009"}}
    english, chinese = _audience()
    for user in (english, chinese):
        save_choices(user, {"training_arrangement": ["sms"]})
    project = _project("fz-worker")
    monkeypatch.setattr(tasks.announce_project, "apply_async", lambda *a, **k: None)  # the worker announces
    projects.approve(project.code, "operator")
    db = settings.DATABASES["default"]
    env = {
        "XUESHI_DB_URL": f"mysql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "XUESHI_NOTIFY_SMS": json.dumps(options),
        "XUESHI_NOTIFY_CELERY_QUEUE": QUEUE,
        "XUESHI_NOTIFY_BATCH_SIZE": "1",
    }
    with celery_worker(QUEUE, **env) as client:
        for _ in range(2):  # the announcement delivered twice
            client.send_task(tasks.ANNOUNCE_TASK, args=(project.code, "approved"), queue=QUEUE)
        deadline = time.monotonic() + 90
        while len(server.inbox.messages) < 2 and time.monotonic() < deadline:
            time.sleep(0.3)
        time.sleep(2.0)  # a stray second message would land now
    assert sorted(m["template"] for m in server.inbox.messages) == ["2400009", "2400009"]
    assert Notification.objects.filter(kind="training_arrangement").count() == 2
