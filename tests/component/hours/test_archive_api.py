"""The archive JSON API: the learner's own, and staff in scope with a purpose (audited, masked)."""

from __future__ import annotations

import json

import pytest

from xueshi_core.models import PersonalDataView
from xueshi_identity.models import IdentityProfile

from ..permkit import account, full_id_number, signed_in
from .test_archive import studied  # noqa: F401 — the seeded learner fixture

pytestmark = pytest.mark.django_db
MINE = "/xueshi/hours/api/v1/archive"


def test_the_learner_reads_the_same_figures_as_the_page(studied: object) -> None:  # noqa: F811
    client = signed_in(studied)
    body = client.get(f"{MINE}?year=2026").json()
    (course,) = [c for c in body["courses"] if c["days"]]
    assert [d["day"] for d in course["days"]] == ["2026-03-01", "2026-03-02"]
    assert [d["minutes"] for d in course["days"]] == ["45.0", "90.3"]  # decimal strings, never floats
    assert course["checkpoints"] == {"answered": 2, "passed": 1}  # cp1 passed at the 2nd try, cp2 not
    assert sorted((r["kind"], r["percent"], r["passed"]) for r in course["rounds"]) == [
        ("exam", 80, True),
        ("practice", 75, None),
    ]
    assert body["account"]["rule"]["id"] and body["start"] == "2026-01-01"
    profile = IdentityProfile.objects.get(user=studied)
    assert full_id_number(profile) not in json.dumps(body, ensure_ascii=False)
    assert body["learner"]["id_number_masked"] == profile.id_number_masked
    assert client.get(f"{MINE}?year=19x").json()["error_code"] == "bad_year"
    assert client.get(f"{MINE}?year=1999").status_code == 400


def test_staff_need_scope_and_a_purpose_and_each_read_is_audited(studied: object) -> None:  # noqa: F811
    url = f"/xueshi/hours/api/v1/learners/{studied.pk}/archive"  # type: ignore[attr-defined]
    post = {"content_type": "application/json"}
    assert signed_in(account("plain")).post(url, "{}", **post).status_code == 403
    beijing = signed_in(account("api-bj", "xueshi_supervisor_city", regions="110100"))
    assert beijing.post(url, json.dumps({"purpose": "核查"}), **post).status_code == 404  # as if absent
    fuzhou = signed_in(account("api-fz", "xueshi_supervisor_city", regions="350100"))
    refused = fuzhou.post(url, json.dumps({"year": 2026}), **post)
    assert refused.status_code == 400 and refused.json()["error_code"] == "purpose_required"
    assert fuzhou.post(url, "{not json", **post).status_code == 400
    assert not PersonalDataView.objects.filter(subject_user_id=studied.pk).exists()  # type: ignore[attr-defined]
    body = fuzhou.post(url, json.dumps({"purpose": "年度学时核验", "year": 2026}), **post).json()
    profile = IdentityProfile.objects.get(user=studied)
    text = json.dumps(body, ensure_ascii=False)
    assert profile.real_name not in text and full_id_number(profile) not in text
    assert body["learner"]["real_name_masked"].startswith(profile.real_name[0])
    assert any(c["days"] for c in body["courses"])
    (view,) = PersonalDataView.objects.filter(subject_user_id=studied.pk)  # type: ignore[attr-defined]
    assert view.field == "learning_archive" and view.purpose == "年度学时核验"
