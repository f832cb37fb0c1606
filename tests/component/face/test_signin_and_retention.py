"""The sign-in check (a setting): after login the learner is held and sent to the check page until
a check passes. Retention: a real Celery worker purges old frames and keeps every record."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

from tests.component.conftest import celery_worker
from xueshi_face import tokens
from xueshi_face.models import FaceCheck
from xueshi_face.tasks import purge_expired_images
from xueshi_studytime import api as ledger

from .conftest import answer_check, enrol_approved, post_check

pytestmark = [pytest.mark.component]


def sign_in(username):
    client = Client()
    assert client.post("/login/", {"username": username, "password": "pw"}).status_code == 302
    return client


@pytest.mark.django_db
def test_without_the_setting_sign_in_asks_nothing(learner, enrolled):
    client = sign_in(learner.username)
    assert ledger.active_holds(learner.id) == []
    assert client.get("/", HTTP_ACCEPT="text/html").status_code == 200


@pytest.mark.django_db
@override_settings(XUESHI_FACE_CHECK_AT_SIGNIN=True)
def test_sign_in_check_holds_and_redirects_until_passed(learner, enrolled, django_user_model):
    client = sign_in(learner.username)
    (hold,) = ledger.active_holds(learner.id)
    assert hold.kind == "face_signin" and hold.url.startswith("/xueshi/face/check/?t=")
    page = client.get("/", HTTP_ACCEPT="text/html")
    assert page.status_code == 302 and page["Location"].startswith("/xueshi/face/check/?t=")
    assert page["Location"].endswith("&next=%2F")
    assert client.get(page["Location"]).status_code == 200  # the check page itself is not redirected
    api = client.get("/api/xueshi/studytime/v1/me/summary", {"course_key": "course-v1:X+Y+Z"})
    assert api.status_code != 302  # APIs are not redirected; the hold stops crediting instead
    token = page["Location"].split("t=", 1)[1].split("&", 1)[0]
    failed = post_check(client, ["person_c", "person_c"], token).json()
    assert failed["passed"] is False
    assert client.get("/", HTTP_ACCEPT="text/html").status_code == 302
    passed = answer_check(client, token).json()
    assert passed["passed"] is True and passed["hold_kind"] == "face_signin" and passed["hold_released"]
    assert ledger.active_holds(learner.id) == []
    assert client.get("/", HTTP_ACCEPT="text/html").status_code == 200
    contexts = list(FaceCheck.objects.values_list("context", "decision").order_by("id"))
    assert contexts == [("signin", "failed"), ("signin", "passed")]
    staff = django_user_model.objects.create_user("trainer", password="pw", is_staff=True)
    sign_in(staff.username)
    assert ledger.active_holds(staff.id) == []  # staff are exempt
    assert tokens.read(token, learner.id).kind == "signin"


def _old_checks(learner, enrolled, http):
    token = tokens.make(learner.id, tokens.CheckContext("manual"))
    for _ in range(3):
        post_check(http, ["person_a_probe", "person_a_turned"], token)
    old = timezone.now() - timedelta(days=31)
    ids = list(FaceCheck.objects.order_by("id").values_list("id", flat=True))
    FaceCheck.objects.filter(id__in=ids[:2]).update(checked_at=old)
    return ids


@pytest.mark.django_db
def test_purge_deletes_only_expired_frames_and_keeps_the_records(learner, enrolled, http):
    ids = _old_checks(learner, enrolled, http)
    assert purge_expired_images() == 2
    assert purge_expired_images() == 0  # idempotent
    kept = {row.id: row for row in FaceCheck.objects.all()}
    assert all(kept[i].image is None and kept[i].image_purged_at for i in ids[:2])
    assert kept[ids[2]].image.token.startswith("xs1.") and kept[ids[2]].image_purged_at is None
    assert all(kept[i].image_digest and kept[i].score is not None for i in ids)  # the evidence stays
    with override_settings(XUESHI_FACE_IMAGE_RETENTION_DAYS=0):
        assert purge_expired_images() == 1


@pytest.fixture
def worker(transactional_db):
    db = settings.DATABASES["default"]
    url = f"mysql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    with celery_worker("face-purge-test", XUESHI_DB_URL=url) as client:
        yield client


def test_the_beat_task_purges_in_a_real_celery_worker(worker, django_user_model):
    learner = django_user_model.objects.create_user("学员-人脸", password="pw")
    enrolled = enrol_approved(learner)
    http = Client()
    http.force_login(learner)
    ids = _old_checks(learner, enrolled, http)
    assert "xueshi-face-purge-check-images" in settings.CELERYBEAT_SCHEDULE
    worker.send_task("xueshi_face.tasks.purge_check_images", queue="face-purge-test")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and FaceCheck.objects.filter(image_purged_at__isnull=False).count() < 2:
        time.sleep(0.5)
    purged = set(FaceCheck.objects.filter(image__isnull=True).values_list("id", flat=True))
    assert purged == set(ids[:2])
