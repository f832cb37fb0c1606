"""Reviewing registered photos goes through the one permission model: ``manage_face`` and the scope.

A region-bound operator sees and decides only the photos of learners in their regions (others are
404, as if absent), an auditor (who may view images but change nothing) cannot review, and the
official-photo import refuses an actor without the role and learners outside the actor's scope.
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.unit.face.faces import photo
from xueshi_face import approval, enrolment
from xueshi_face.models import FaceEnrolment, FaceEnrolmentEvent, OfficialPhoto

from ..permkit import account, learner_in, signed_in
from .conftest import consent_to_face

pytestmark = [pytest.mark.component, pytest.mark.django_db]

QUEUE = "/xueshi/face/staff/enrolments/"
BEIJING = ("110000", "", "110101")
NANJING = ("320000", "320100", "320102")


def _review(client, user_id: int, decision: str, reason: str = ""):
    body = json.dumps({"decision": decision, "reason": reason})
    url = f"/xueshi/face/api/v1/staff/users/{user_id}/enrolment/review"
    return client.post(url, body, content_type="application/json")


@pytest.fixture
def two_pending(db):
    """A Beijing and a Nanjing learner, each with a pending registered photo."""
    beijing = learner_in("bj-review", BEIJING, "北京东城会计所", 971)
    nanjing = learner_in("nj-review", NANJING, "南京玄武会计所", 972)
    for profile in (beijing, nanjing):
        consent_to_face(profile.user)
        enrolment.enrol(profile.user, photo("person_a_enrol"))
    return beijing.user, nanjing.user


def _status(user) -> str:
    return str(FaceEnrolment.objects.get(user=user).status)


def test_a_region_bound_reviewer_sees_and_decides_only_learners_of_the_scope(two_pending):
    beijing, nanjing = two_pending
    nj_operator = account("nj-face-op", "xueshi_operator", regions="320100")
    client = signed_in(nj_operator)
    queue = client.get(QUEUE).content.decode()
    assert f"{QUEUE}{nanjing.id}/" in queue and f"{QUEUE}{beijing.id}/" not in queue
    assert client.get(f"{QUEUE}{beijing.id}/").status_code == 404
    page_post = client.post(f"{QUEUE}{beijing.id}/", {"action": "approve", "reason": "越权"})
    assert page_post.status_code == 404
    refused = _review(client, beijing.id, "approve")
    assert refused.status_code == 404 and refused.json()["error"] == "not_found"
    shown = client.post(f"{QUEUE}{beijing.id}/", {"action": "show", "purpose": "核对"})
    assert shown.status_code == 404 and b"data:image" not in shown.content
    with pytest.raises(PermissionError):
        approval.approve(beijing.id, actor=nj_operator)
    assert _status(beijing) == "pending"
    assert not FaceEnrolmentEvent.objects.filter(user=beijing, action="approved").exists()
    approved = _review(client, nanjing.id, "approve", "本人")
    assert approved.json() == {"user_id": nanjing.id, "status": "approved"}
    national = signed_in(account("face-op", "xueshi_operator")).get(QUEUE).content.decode()
    assert f"{QUEUE}{beijing.id}/" in national and f"{QUEUE}{nanjing.id}/" not in national  # decided


def test_roles_that_do_not_grant_manage_face_cannot_review(two_pending):
    beijing, _ = two_pending
    for user in (
        account("face-aud", "xueshi_auditor"),  # views images, changes nothing
        account("face-sup", "xueshi_supervisor_province", regions="110000"),
        account("face-admin", is_staff=True, is_superuser=True),  # the system administrator
    ):
        client = signed_in(user)
        assert client.get(QUEUE).status_code == 403
        assert client.get(f"{QUEUE}{beijing.id}/").status_code == 403
        assert _review(client, beijing.id, "approve").status_code == 403
        with pytest.raises(PermissionError):
            approval.approve(beijing.id, actor=user)
    assert _status(beijing) == "pending"
    assert _review(Client(), beijing.id, "approve").status_code == 401  # anonymous: sign in first


def test_the_import_needs_manage_face_and_skips_learners_outside_the_actor_scope(two_pending, tmp_path):
    beijing, nanjing = two_pending
    for user in (beijing, nanjing):
        (tmp_path / f"{user.username}.jpg").write_bytes(photo("person_a_probe"))
    account("face-admin", is_staff=True, is_superuser=True)
    for actor in ("face-admin", nanjing.username):
        with pytest.raises(CommandError, match="manage_face"):
            call_command("xueshi_face_import_official_photos", str(tmp_path), actor=actor, stdout=StringIO())
    assert OfficialPhoto.objects.count() == 0
    account("nj-importer", "xueshi_operator", regions="320100")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 file"):
        call_command(
            "xueshi_face_import_official_photos", str(tmp_path), actor="nj-importer", stdout=out, stderr=err
        )
    assert "bj-review.jpg: learner 'bj-review' is outside 'nj-importer'" in err.getvalue()
    assert "nj-review.jpg: imported; registered photo: matched" in out.getvalue()
    assert list(OfficialPhoto.objects.values_list("user_id", flat=True)) == [nanjing.id]
    assert (_status(beijing), _status(nanjing)) == ("pending", "matched")
