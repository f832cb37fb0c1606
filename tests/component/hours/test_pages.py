"""Pages: the learner's 我的学时, external hours, operators' rule pages and the course settings page.

Bad input answers 4xx with the reason and stores nothing; roles come from the one permission model.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from xueshi_hours.models import CourseHoursSetting, ExternalHours, RuleVersion
from xueshi_hours.signals import HOURS_CHANGED

from ..permkit import account, signed_in
from .hourkit import COURSE, credit, learner

pytestmark = pytest.mark.django_db
FUJIAN = ("350000", "350100", "350102")
PDF = b"%PDF-1.4\n%%EOF\n"


def _rule_file(**change: Any) -> bytes:
    body = RuleVersion.objects.get(rule_id="gs-kj", version=1).body
    return json.dumps({"format": "xueshi-hours-rule/1", "rules": [{**body, **change}]}).encode()


def test_my_hours_page_and_api() -> None:
    me = learner("page", FUJIAN, "professional_technical")
    credit(me, date(2026, 3, 1), 45 * 60)
    client = signed_in(me)
    page = client.get("/xueshi/hours/?year=2026")
    assert page.status_code == 200
    text = page.content.decode()
    assert "cn-zj-2015" in text and 'data-source="video"' in text and 'data-reason="counted"' in text
    body = client.get("/xueshi/hours/api/v1/account?year=2026").json()
    assert body["earned_total"] == "1.00" and body["rule"] == {
        "id": "cn-zj-2015",
        "version": 1,
        "title": "专业技术人员继续教育（全国）",
    }
    assert client.get("/xueshi/hours/?year=abc").status_code == 400
    assert client.get("/xueshi/hours/api/v1/account?year=1900").status_code == 400
    assert signed_in(account("noprofile")).get("/xueshi/hours/api/v1/account").status_code == 404


def test_external_hours_submitted_decided_and_counted(django_capture_on_commit_callbacks: Any) -> None:
    me = learner("ext", FUJIAN, "professional_technical")
    client = signed_in(me)
    form = {
        "title": "行业年会",
        "kind": "conference",
        "category": "public",
        "hours": "6",
        "activity_day": "2026-05-01",
    }
    bad = client.post(
        "/xueshi/hours/external/", {**form, "attachment": SimpleUploadedFile("x.pdf", b"MZ\x90\x00")}
    )
    assert bad.status_code == 400 and ExternalHours.objects.count() == 0
    too_many = {**form, "hours": "900", "attachment": SimpleUploadedFile("x.pdf", PDF)}
    assert client.post("/xueshi/hours/external/", too_many).status_code == 400
    ok = client.post("/xueshi/hours/external/", {**form, "attachment": SimpleUploadedFile("p.pdf", PDF)})
    assert ok.status_code == 302
    row = ExternalHours.objects.get()
    assert client.get(f"/xueshi/hours/external/{row.pk}/proof").status_code == 200
    stranger = signed_in(learner("other", FUJIAN, "professional_technical"))
    assert stranger.get(f"/xueshi/hours/external/{row.pk}/proof").status_code == 404
    assert (
        stranger.post(f"/xueshi/hours/staff/external/{row.pk}/decide", {"action": "approve"}).status_code
        == 403
    )

    beijing_operator = signed_in(account("op-bj", "xueshi_operator", regions="110000"))
    assert (
        beijing_operator.post(
            f"/xueshi/hours/staff/external/{row.pk}/decide", {"action": "approve"}
        ).status_code
        == 404
    )
    operator = signed_in(account("op", "xueshi_operator"))
    assert "行业年会" in operator.get("/xueshi/hours/staff/external/").content.decode()
    assert (
        operator.post(f"/xueshi/hours/staff/external/{row.pk}/decide", {"action": "reject"}).status_code
        == 400
    )
    assert (
        operator.post(f"/xueshi/hours/staff/external/{row.pk}/decide", {"action": "burn"}).status_code == 400
    )
    sent: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        sent.append(kwargs)

    HOURS_CHANGED.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            approved = operator.post(f"/xueshi/hours/staff/external/{row.pk}/decide", {"action": "approve"})
    finally:
        HOURS_CHANGED.disconnect(receiver)
    assert approved.status_code == 302
    assert [s["user_id"] for s in sent] == [me.pk]
    again = operator.post(
        f"/xueshi/hours/staff/external/{row.pk}/decide", {"action": "reject", "reason": "x"}
    )
    assert again.status_code == 409
    body = client.get("/xueshi/hours/api/v1/account").json()
    lines = [x for x in body["lines"] if x["source"] == "external"]
    assert [(x["hours"], x["category"], x["reason"]) for x in lines] == [("6.00", "public", "counted")]


def test_rule_pages_for_operators_only() -> None:
    assert signed_in(learner("lrn", FUJIAN, "accounting")).get("/xueshi/hours/rules/").status_code == 403
    operator = signed_in(account("op2", "xueshi_operator"))
    listing = operator.get("/xueshi/hours/rules/").content.decode()
    assert all(f'data-rule="{i}"' in listing for i in ("cn-zj-2015", "hi-kj", "fj-gq"))
    assert "gs-kj" in operator.get("/xueshi/hours/rules/gs-kj/").content.decode()
    assert operator.get("/xueshi/hours/rules/nope/").status_code == 404
    exported = json.loads(operator.get("/xueshi/hours/rules/export.json").content)
    assert exported["format"] == "xueshi-hours-rule/1" and len(exported["rules"]) == 8
    assert operator.get("/xueshi/hours/rules/nope/export.json").status_code == 404


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"{not json", "JSON："),  # 不是有效的 JSON：… (the site speaks zh-cn by default)
        (b'{"format": "other"}', "format: the file must be"),
        (None, "unit: must be one of"),
    ],
)
def test_a_bad_rule_file_is_refused_with_its_problems_and_stores_nothing(
    content: bytes | None, problem: str
) -> None:
    operator = signed_in(account("op3", "xueshi_operator"))
    data = content if content is not None else _rule_file(unit="hours", title="改")
    answer = operator.post("/xueshi/hours/rules/import/", {"file": SimpleUploadedFile("r.json", data)})
    assert (
        answer.status_code == 400
        and problem in answer.content.decode()
        and 'id="xh-problems"' in answer.content.decode()
    )
    assert RuleVersion.objects.filter(rule_id="gs-kj").count() == 1
    assert operator.post("/xueshi/hours/rules/import/", {}).status_code == 400


def test_import_and_edit_add_versions() -> None:
    operator = signed_in(account("op4", "xueshi_operator"))
    answer = operator.post(
        "/xueshi/hours/rules/import/", {"file": SimpleUploadedFile("r.json", _rule_file(required_total="96"))}
    )
    assert answer.status_code == 302 and "imported=1" in answer["Location"]
    assert RuleVersion.objects.get(rule_id="gs-kj", version=2).body["required_total"] == "96"
    body = RuleVersion.objects.get(rule_id="gs-kj", version=2).body
    edit = "/xueshi/hours/rules/gs-kj/edit/"
    assert operator.get(edit).status_code == 200
    renamed = operator.post(edit, {"body": json.dumps({**body, "id": "gs-kj2"}), "note": "x"})
    assert renamed.status_code == 400 and "gs-kj" in renamed.content.decode()
    broken = operator.post(edit, {"body": json.dumps({**body, "daily_cap_units": "0"}), "note": "x"})
    assert broken.status_code == 400 and "daily_cap_units" in broken.content.decode()
    assert operator.post(edit, {"body": "[", "note": "x"}).status_code == 400
    assert operator.post(edit, {"body": json.dumps(body)}).status_code == 400  # no note
    saved = operator.post(edit, {"body": json.dumps({**body, "daily_cap_units": "10"}), "note": "日上限"})
    assert saved.status_code == 302 and saved["Location"].endswith("?version=3")
    assert RuleVersion.objects.get(rule_id="gs-kj", version=3).note == "日上限"
    assert RuleVersion.objects.get(rule_id="gs-kj", version=1).body["required_total"] == "90"  # untouched


def test_course_settings_for_the_course_team() -> None:
    page = f"/xueshi/hours/course/{COURSE}/"
    teacher = account("teacher")
    teacher.groups.add(Group.objects.get_or_create(name=f"course_staff:{COURSE}")[0])
    other = account("teacher2")
    other.groups.add(Group.objects.get_or_create(name="course_staff:course-v1:Else+E1+2026")[0])
    assert signed_in(other).get(page).status_code == 403
    assert signed_in(learner("l9", FUJIAN, "accounting")).get(page).status_code == 403
    client = signed_in(teacher)
    assert client.get(page).status_code == 200
    values = {
        "title": "建筑新技术",
        "declared_hours": "8",
        "category": "professional",
        "counts_for_categories": "professional_technical",
        "counts_for_regions": "350000, 450000",
        "video_minutes": "120",
        "min_video_share": "0.9",
        "exam_pass_percent": "60",
    }
    for bad in (
        {"min_video_share": "1.5"},
        {"counts_for_regions": "35"},
        {"declared_hours": "-1"},
        {"category": "x"},
    ):
        assert client.post(page, {**values, **bad}).status_code == 400
    assert not CourseHoursSetting.objects.exists()
    assert client.post(page, values).status_code == 200
    row = CourseHoursSetting.objects.get()
    assert (row.declared_hours, row.counts_for_regions) == (Decimal(8), "350000,450000")
    assert signed_in(account("op5", "xueshi_operator")).get(page).status_code == 200
    assert client.get("/xueshi/hours/course/not-a-key/").status_code == 404
