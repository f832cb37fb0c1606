"""Account retirement end to end: the sandbox's stand-in of Open edX's pipeline (``retire_user``)
sends ``USER_RETIRE_LMS_CRITICAL``; every Xueshi app erases or pseudonymises, the study record stays."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client, RequestFactory

from xueshi_access.models import AccessEvent, SignInDevice
from xueshi_core import audit, retirement
from xueshi_core.models import PersonalDataView, RetiredAccount
from xueshi_core.roles import OPERATOR
from xueshi_face import tokens as face_tokens
from xueshi_face.data import CheckContext
from xueshi_face.models import FaceCheck, FaceEnrolment
from xueshi_identity.models import IdentityProfile, PersonnelCategory, RetainedIdentity
from xueshi_notify import api as notify_api
from xueshi_notify.models import WechatBinding
from xueshi_studytime import api as ledger
from xueshi_studytime.data import VideoPolicy
from xueshi_studytime.flusher import flush
from xueshi_studytime.models import DailyStudyTotal, LedgerEntry, PlaybackSession

from ..face.conftest import COURSE, HEARTBEATS, USAGE, answer_check, enrol_approved
from ..ledgerkit import ManualClock, isolated_ledger
from ..permkit import account, signed_in

PASSWORD = "retire-me-2026"
IP, UA = "202.96.128.86", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0"
ID_NUMBER, PHONE, NAME = "35010219880512002X", "13812345678", "王小明"


@pytest.fixture
def clock():
    return ManualClock()


@pytest.fixture(autouse=True)
def env(clock):
    with isolated_ledger(
        "retire",
        clock,
        XUESHI_STUDYTIME_TOKEN_KEYS=["retire-test-key"],
        XUESHI_FACE_ENGINE="local",
        XUESHI_FACE_LIVENESS="off",
        XUESHI_FACE_STUDY_CHECK_MINUTES=0,
        LANGUAGE_CODE="en",
    ) as prefix:
        yield prefix


@pytest.fixture
def retiree(db, clock):
    """A learner with everything Xueshi keeps: profile, photo, a check, sign-ins, credited study."""
    user = get_user_model().objects.create_user("retiree", "retiree@example.com", PASSWORD)
    browser = Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=UA)
    assert browser.post("/login/", {"username": "retiree", "password": "wrong"}).status_code != 500
    assert browser.post("/login/", {"username": "retiree", "password": PASSWORD}).status_code in (200, 302)
    profile = IdentityProfile(
        user=user,
        real_name=NAME,
        id_type="resident_id",
        province_code="350000",
        city_code="350100",
        county_code="350102",
        employer="福州某单位",
        category=PersonnelCategory.objects.get(code="professional_technical"),
    )
    profile.id_number, profile.phone = ID_NUMBER, PHONE
    profile.save()
    enrol_approved(user)
    token = face_tokens.make(user.id, CheckContext("study", COURSE, USAGE))
    assert answer_check(browser, token).json()["passed"] is True
    grant = ledger.open_session(
        user=user,
        usage_key=USAGE,
        policy=VideoPolicy(duration=1200.0, anti_idle_seconds=0),
        ip=IP,
        user_agent=UA,
    )
    for seq, position in enumerate(range(0, 181, 30), start=1):
        body = {"token": grant.token, "seq": seq, "position": position, "playing": True, "visible": True}
        body.update(rate=1.0, event="play" if seq == 1 else "tick")
        assert browser.post(HEARTBEATS, json.dumps(body), content_type="application/json").status_code == 200
        clock.advance(30)
    flush(claim_idle_ms=0)
    request = RequestFactory().get("/me", REMOTE_ADDR=IP, HTTP_USER_AGENT=UA)
    audit.record_view(user, user.id, audit.ID_NUMBER, "my own profile", request)
    return user, browser


def credited(user_id: int) -> tuple[int, int]:
    entries = LedgerEntry.objects.filter(user_id=user_id).aggregate(s=Sum("credited_ms"))["s"] or 0
    totals = DailyStudyTotal.objects.filter(user_id=user_id).aggregate(s=Sum("credited_ms"))["s"] or 0
    return int(entries), int(totals)


def test_retiring_erases_personal_data_and_keeps_the_study_record_pseudonymised(retiree):
    user, browser = retiree
    # A nationwide operator looks retired learners up (ADR 0010: Django's superuser flag alone sees none).
    admin_client = signed_in(account("privacy-operator", OPERATOR, is_staff=True))
    before = credited(user.id)
    assert before[0] > 0 and before[0] == before[1]
    assert AccessEvent.objects.filter(user=user).exists() and SignInDevice.objects.filter(user=user).exists()
    id_hash = IdentityProfile.hash_id_number("resident_id", ID_NUMBER)
    notify_api.bind_wechat(user, "o" + "r" * 27)

    call_command("retire_user", "retiree", stdout=open("/dev/null", "w"))  # noqa: SIM115

    user.refresh_from_db()
    assert user.username.startswith("retired__user_") and not user.is_active
    assert not IdentityProfile.objects.filter(user_id=user.id).exists()
    kept = RetainedIdentity.objects.get(user_id=user.id)
    assert kept.id_number_hash == id_hash and kept.county_code == "350102"
    assert kept.category_code == "professional_technical"
    lookup = "/admin/xueshi_identity/retainedidentity/?q="
    found = admin_client.get(lookup + ID_NUMBER.lower()).context["cl"]  # a regulator's lookup
    assert [row.user_id for row in found.result_list] == [user.id]
    assert not admin_client.get(lookup + "350102198805120011").context["cl"].result_list
    assert not FaceEnrolment.objects.filter(user_id=user.id).exists()
    check = FaceCheck.objects.get(user_id=user.id)
    assert check.decision == "passed" and check.image_purged_at is not None
    assert not check.image and check.ip is None and check.user_agent == ""
    assert not SignInDevice.objects.filter(user_id=user.id).exists()
    assert not WechatBinding.objects.filter(user_id=user.id).exists()  # the openid goes (ADR 0341)
    events = AccessEvent.objects.filter(username=user.username)
    assert {e.event for e in events} >= {AccessEvent.SIGN_IN, AccessEvent.FAILED, AccessEvent.ENDED}
    assert {e.ip for e in events} == {"202.96.128.0"} and {e.user_agent for e in events} == {""}
    assert not AccessEvent.objects.filter(username__in=["retiree", "retiree@example.com"]).exists()
    assert not AccessEvent.objects.filter(ip=IP).exists()
    sessions = PlaybackSession.objects.filter(user_id=user.id)
    assert (
        sessions.exists() and not sessions.exclude(ip=None).exists() and not sessions.exclude(user_agent="")
    )
    view = PersonalDataView.objects.get(actor_id=user.id)
    assert view.actor_username == user.username and view.ip == "202.96.128.0" and view.user_agent == ""
    assert RetiredAccount.objects.get(user_id=user.id).pseudonym == user.username
    assert credited(user.id) == before
    assert browser.get("/xueshi/face/check/").status_code == 302  # the session was ended
    assert NAME not in _everything_kept(user.id) and PHONE not in _everything_kept(user.id)

    call_command("retire_user", "--user-id", str(user.id), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert RetainedIdentity.objects.filter(user_id=user.id).count() == 1
    assert RetiredAccount.objects.filter(user_id=user.id).count() == 1
    assert credited(user.id) == before
    assert AccessEvent.objects.filter(username=user.username).count() == events.count()


def test_an_interrupted_retirement_changes_nothing_and_the_retry_completes(retiree):
    user, _browser = retiree

    def dies(sender, retiree, **kwargs):
        raise RuntimeError("process killed half-way")

    retirement.ACCOUNT_RETIRING.connect(dies, dispatch_uid="test.dies")
    try:
        with pytest.raises(RuntimeError):
            retirement.retire(user)
    finally:
        retirement.ACCOUNT_RETIRING.disconnect(dispatch_uid="test.dies")
    assert IdentityProfile.objects.filter(user_id=user.id).exists()
    assert FaceEnrolment.objects.filter(user_id=user.id).exists()
    assert not RetiredAccount.objects.filter(user_id=user.id).exists()
    assert AccessEvent.objects.filter(ip=IP).exists()

    retirement.retire(user)
    assert not IdentityProfile.objects.filter(user_id=user.id).exists()
    assert RetiredAccount.objects.get(user_id=user.id).pseudonym == retirement.pseudonym_of(user.id)


def _everything_kept(user_id: int) -> str:
    """Every retained row of the retiree, as text (to look for a name or number in it)."""
    rows = [
        *RetainedIdentity.objects.filter(user_id=user_id).values(),
        *FaceCheck.objects.filter(user_id=user_id).values(),
        *AccessEvent.objects.filter(user_id=user_id).values(),
        *PlaybackSession.objects.filter(user_id=user_id).values(),
    ]
    return json.dumps(rows, default=str, ensure_ascii=False)
