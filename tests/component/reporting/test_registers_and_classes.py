"""Register checks and class approval against the provincial sandbox, with real holds on the ledger.

A complete profile saved is asked about at the province's real-name register after commit (a
Celery task, eager here); a timeout is asked again with backoff; the answer lands beside the
profile with its time and source, and in the learner record. With the hold setting on, the
heartbeat refuses credit until the register confirms. A class declared for approval holds study
in its course only, until the authority approves; a rejection keeps it held.
"""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from xueshi_core import roles
from xueshi_identity import api as identity
from xueshi_identity.models import IdentityProfile, PersonnelCategory
from xueshi_identity.testing import make_resident_id
from xueshi_reporting import classes, schema
from xueshi_reporting.models import ClassDeclaration, Exchange, OutboxRecord
from xueshi_studytime.api import active_holds, open_session
from xueshi_studytime.models import StudyHold

from ..permkit import account, learner_in, signed_in
from ..stats.conftest import COURSE, GULOU, HEARTBEATS, POLICY, USAGE, clock, ledger_env  # noqa: F401 (fixtures)
from .conftest import payload

OTHER_USAGE = "block-v1:Xueshi+OT201+2026+type@xueshi_video+block@intro"


def person(username: str, sequence: int, category: str = "other") -> IdentityProfile:
    """A learner whose profile becomes complete (the category is the last field given)."""
    profile = learner_in(username, GULOU, "鼓楼电力公司", sequence)
    profile.category = PersonnelCategory.objects.get_or_create(code=category, defaults={"name": category})[0]
    profile.save()
    return profile


def credited(user: Any, clock: Any, usage: str = USAGE) -> str:  # noqa: F811
    """The refusal reason (or "") of a real heartbeat 30 s into a fresh playback of ``usage``."""
    http = signed_in(user)
    grant = open_session(user=user, usage_key=usage, policy=POLICY)
    reasons = []
    for seq, event in ((1, "play"), (2, "tick")):
        body = {"token": grant.token, "seq": seq, "position": 30.0 * (seq - 1), "playing": True}
        body.update(visible=True, rate=1.0, event=event)
        reply = http.post(HEARTBEATS, json.dumps(body), "application/json").json()
        reasons.append(reply.get("reason") or "")
        clock.advance(30)
    return reasons[-1]


def test_register_checks_confirm_refuse_retry_and_hold_study(
    provinces,
    clock,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
) -> None:
    settings.XUESHI_REPORTING_HOLD_UNTIL_CONFIRMED = True
    province = provinces("fj", checks=["learner", "accountant"], kinds=[schema.LEARNER], timeout_seconds=0.5)
    province.platform.controls.hang = 1.0
    province.platform.controls.register_timeout = 1  # the first question times out, the retry is answered
    with django_capture_on_commit_callbacks(execute=True):
        a = person("rc_a", 401)
    check = identity.register_checks(a.user_id)["learner"]
    assert (check.status, check.attempts, check.source) == ("confirmed", 2, "fj")
    assert [e.outcome for e in Exchange.objects.filter(keys=[f"learner:{a.user_id}"]).order_by("id")] == [
        "timeout",
        "answered",
    ]
    hold = StudyHold.objects.get(user_id=a.user_id, kind="register-learner")
    assert hold.released_at is not None and hold.release_reason == "confirmed by fj"
    assert credited(a.user, clock) == ""
    newest = payload(OutboxRecord.objects.filter(subject=f"learner:{a.user_id}").latest("id"))
    assert newest["kind"] == schema.LEARNER and newest["learner"]["id_number"] == str(a.id_number)
    assert newest["data"]["register_checks"]["learner"]["status"] == "confirmed"

    # An accountant is asked at the finance register too; the unchanged name and ID are not asked again.
    a.category = PersonnelCategory.objects.get_or_create(code="accounting", defaults={"name": "会计"})[0]
    with django_capture_on_commit_callbacks(execute=True):
        a.save()
    assert {c.register: c.status for c in identity.register_checks(a.user_id).values()} == {
        "learner": "confirmed",
        "accountant": "confirmed",
    }
    assert Exchange.objects.filter(keys=[f"learner:{a.user_id}"]).count() == 2

    # A mismatch keeps the learner's study held, and the hold page says why in Chinese.
    b_number = make_resident_id("350102", "19900307", 402)
    province.platform.controls.register_answers = {b_number: "mismatch"}
    with django_capture_on_commit_callbacks(execute=True):
        b = person("rc_b", 402)
    assert str(b.id_number) == b_number
    assert identity.register_checks(b.user_id)["learner"].status == "mismatch"
    assert [h.kind for h in active_holds(b.user_id)] == ["register-learner"]
    assert credited(b.user, clock) == "hold"
    page = signed_in(b.user).get("/xueshi/reporting/hold/?why=learner", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert page.status_code == 200 and "姓名与身份证号码不一致" in page.content.decode()

    # Corrected at the register: saving the profile again does not re-ask (same facts); an operator's
    # change of the name does, and the confirmation releases the hold.
    province.platform.controls.register_answers = {}
    with django_capture_on_commit_callbacks(execute=True):
        IdentityProfile.objects.get(user_id=b.user_id).save()
    assert identity.register_checks(b.user_id)["learner"].status == "mismatch"
    with django_capture_on_commit_callbacks(execute=True):
        profile = IdentityProfile.objects.get(user_id=b.user_id)
        profile.real_name = "学员四零二"
        profile.save()
    assert identity.register_checks(b.user_id)["learner"].status == "confirmed"
    assert active_holds(b.user_id) == [] and credited(b.user, clock) == ""


def test_a_class_holds_study_in_its_course_until_approved(
    provinces,
    clock,  # noqa: F811
    django_capture_on_commit_callbacks,
) -> None:
    province = provinces("fj", approval=True)
    ops = signed_in(account("rc_ops", roles.OPERATOR))
    learners = [person(f"rc_{n}", 410 + n) for n in range(2)]
    ids = " ".join(str(p.user_id) for p in learners)
    form = {"destination": "fj", "name": "2026年第一期", "course_key": COURSE, "starts_on": "2026-12-08"}
    with django_capture_on_commit_callbacks(execute=True):
        assert ops.post("/xueshi/reporting/manage/classes/", {**form, "learners": ids}).status_code == 302
    row = ClassDeclaration.objects.get()
    assert row.state == ClassDeclaration.PENDING and row.remote_id == "BJ000001"
    declared = province.platform.classes["BJ000001"]["class"]
    assert declared["course"]["code"] == COURSE and len(declared["learners"]) == 2
    held = learners[0].user
    assert credited(held, clock) == "hold"
    assert credited(held, clock, OTHER_USAGE) == ""  # another course is not held
    assert ops.get("/xueshi/reporting/manage/classes/").content.decode().count('data-state="pending"') == 1

    # Still pending at the authority: asking changes nothing; approved: the holds go.
    classes.poll(row)
    assert row.state == ClassDeclaration.PENDING
    province.sandbox.platform.classes["BJ000001"]["status"] = "approved"
    assert ops.post(f"/xueshi/reporting/manage/classes/{row.pk}/ask/").status_code == 302
    row.refresh_from_db()
    assert row.state == ClassDeclaration.APPROVED and row.decided_at is not None
    assert all(active_holds(p.user_id) == [] for p in learners)
    assert credited(held, clock) == ""

    # A rejected class keeps its learners held, with the authority's reason.
    province.platform.controls.class_decision = "rejected"
    with django_capture_on_commit_callbacks(execute=True):
        ops.post("/xueshi/reporting/manage/classes/", {**form, "name": "第二期", "learners": ids})
    second = ClassDeclaration.objects.latest("id")
    assert second.state == ClassDeclaration.REJECTED
    assert [h.kind for h in active_holds(held.pk)] == [second.hold_kind]
    assert credited(held, clock) == "hold"


def test_bad_declarations_and_questions_are_4xx(provinces) -> None:
    provinces("fj", approval=True)
    staff = account("rc_ops2", roles.OPERATOR)
    ops = signed_in(staff)
    good = {"destination": "fj", "name": "班", "course_key": COURSE, "starts_on": "2026-12-08"}
    bad = [
        {**good, "learners": "12 abc"},
        {**good, "learners": str(staff.pk), "starts_on": "8 Dec"},
        {**good, "learners": str(staff.pk), "course_key": "not a key"},
        {**good, "learners": str(staff.pk), "destination": "nowhere"},
        {**good, "learners": "99999999"},
        {**good, "learners": ""},
    ]
    for form in bad:
        assert ops.post("/xueshi/reporting/manage/classes/", form).status_code == 400, form
    assert ops.post("/xueshi/reporting/manage/classes/999/ask/").status_code == 404
    assert Client().get("/xueshi/reporting/hold/").status_code == 302  # sign in first
    learner = signed_in(person("rc_l", 421).user)
    assert learner.post("/xueshi/reporting/manage/classes/", {**good, "learners": "1"}).status_code == 403
    assert ClassDeclaration.objects.count() == 0


def test_failed_and_stalled_checks_are_asked_again_by_the_recheck(
    provinces, settings, django_capture_on_commit_callbacks
) -> None:
    """A check out of attempts, or whose question was lost, is asked again two hours on (ADR 0334)."""
    from datetime import timedelta

    from django.utils import timezone

    from xueshi_reporting import registers

    settings.XUESHI_REPORTING_HOLD_UNTIL_CONFIRMED = True
    province = provinces("fj", checks=["learner"], timeout_seconds=0.5, max_attempts=1)
    province.platform.controls.hang = 1.0
    province.platform.controls.register_timeout = 1  # the only attempt times out: error, study held
    with django_capture_on_commit_callbacks(execute=True):
        failed = person("rc_f", 411)
    assert identity.register_checks(failed.user_id)["learner"].status == "error"
    assert [h.kind for h in active_holds(failed.user_id)] == ["register-learner"]

    # A question lost with its worker: the pending mark committed, the task never ran.
    stalled = person("rc_s", 412)
    with django_capture_on_commit_callbacks(execute=False):
        assert registers.start(stalled.user_id) == 1
    assert identity.register_checks(stalled.user_id)["learner"].status == "pending"

    def asked(user_id: int) -> int:
        return Exchange.objects.filter(keys=[f"learner:{user_id}"]).count()

    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert registers.recheck(now + timedelta(hours=1)) == 0  # too soon for either
    assert (asked(failed.user_id), asked(stalled.user_id)) == (1, 0)

    with django_capture_on_commit_callbacks(execute=True):
        assert registers.recheck(now + timedelta(hours=2, seconds=5)) == 2
    for user_id in (failed.user_id, stalled.user_id):
        assert identity.register_checks(user_id)["learner"].status == "confirmed"
        assert active_holds(user_id) == []
    assert (asked(failed.user_id), asked(stalled.user_id)) == (2, 1)

    # Answered checks are never asked again by the recheck.
    with django_capture_on_commit_callbacks(execute=True):
        assert registers.recheck(now + timedelta(days=3)) == 0
