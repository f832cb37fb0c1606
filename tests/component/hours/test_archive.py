"""The learning archive (学习档案): its figures come from seeded server records, and only the learner
and staff whose scope covers them may open it (staff state why; each opening is audited)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from opaque_keys.edx.keys import CourseKey
from xueshi_questionbank import api as bank

from sandbox.lms.models import CourseRun
from xueshi_core.models import PersonalDataView
from xueshi_hours import accounts, api, archive
from xueshi_hours.models import CourseHoursSetting
from xueshi_identity.models import IdentityProfile

from ...enrolkit import enrol
from ...unit.certificates_pdf.pdftools import pdf_text
from ..permkit import account, full_id_number, signed_in
from .hourkit import COURSE, credit, learner, usage

pytestmark = pytest.mark.django_db
FUJIAN = ("350000", "350100", "350102")
PAGE = "/xueshi/hours/archive/?year=2026"


def _answers(user_id: int, block: str, context: str, round_id: str, results: list[bool]) -> None:
    """Answers judged on the server, as the video and practice blocks record them."""
    where = usage(block=block)
    version = bank.upsert_block_question(
        COURSE, where, "q1", {"type": "truefalse", "stem": "题干", "answer": True}
    )
    for n, correct in enumerate(results):
        key = f"{context}:{user_id}:{block}:{round_id}:{n}"
        bank.record_attempt(user_id, COURSE, where, context, round_id, version, "true", correct, key)


@pytest.fixture
def studied() -> object:
    """A 福州 专技 learner enrolled in one course with two days of credit, checkpoints, practice, exam."""
    me = learner("arc", FUJIAN, "professional_technical")
    CourseRun.objects.create(course_key=CourseKey.from_string(COURSE), title="建筑施工安全")
    CourseHoursSetting.objects.create(course_key=COURSE, title="建筑施工安全", declared_hours=Decimal(4))
    enrol(me, COURSE)
    credit(me, date(2026, 3, 1), 45 * 60)
    credit(me, date(2026, 3, 2), 90 * 60 + 20)
    credit(me, date(2025, 12, 30), 60 * 60)  # another period: not in the 2026 archive
    _answers(me.pk, "v1", "checkpoint", "cp1", [False, True])  # passed at the second try
    _answers(me.pk, "v1", "checkpoint", "cp2", [False])  # not passed
    _answers(me.pk, "practice1", "practice", "round-p", [True, True, True, False])  # 75 %
    _answers(me.pk, "exam1", "exam", "round-e", [True, True, True, True, False])  # 80 %
    return me


def test_the_archive_shows_the_seeded_records(studied: object) -> None:
    page = signed_in(studied).get(PAGE)
    assert page.status_code == 200
    text = page.content.decode()
    course = re.search(r'<details class="xa-course[^>]*data-course="([^"]+)"', text)
    assert course and course.group(1) == COURSE and "建筑施工安全" in text
    days = re.findall(r'data-day="([\d-]+)"><td[^>]*>[\d-]+</td><td class="num"[^>]*>([\d.]+)</td>', text)
    assert days == [("2026-03-01", "45.0"), ("2026-03-02", "90.3")]
    assert 'id="xa-minutes"><span>' in text and ">135.3</strong>" in text
    assert 'data-passed="1" data-answered="2"' in text
    rounds = re.findall(r'data-kind="(practice|exam)" data-percent="(\d+)"', text)
    assert rounds == [("practice", "75"), ("exam", "80")]
    account = api.hour_account(studied.pk, 2026)  # type: ignore[attr-defined]
    assert account.earned_total == Decimal("3.00")  # 45 + 90 min at 45 min a 学时 (national 专技 rule)
    hours = re.search(r'class="xa-course-hours">([\d.]+)<', text)
    assert hours and Decimal(hours.group(1)) == Decimal("3.00")
    assert re.search(r'id="xa-hours"><span>[^<]*</span><strong>3.00</strong>', text)
    record = archive.build_archive(studied, 2026)
    assert [(c.course_key, c.enrolled_on) for c in record.courses] == [(COURSE, accounts.today())]
    assert 'href="/xueshi/hours/archive/hours.pdf?year=2026"' in text


def test_a_learner_without_records_or_rule_sees_an_empty_archive() -> None:
    nobody = account("fresh")
    page = signed_in(nobody).get("/xueshi/hours/archive/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="xa-no-courses"' in text and 'data-code="no_profile"' in text and 'id="xa-pdf"' not in text
    assert signed_in(nobody).get("/xueshi/hours/archive/?year=19999").status_code == 400
    assert signed_in(nobody).get("/xueshi/hours/archive/hours.pdf").status_code == 404


def test_other_learners_and_staff_outside_scope_are_refused(studied: object) -> None:
    url = f"/xueshi/hours/staff/learners/{studied.pk}/archive/"  # type: ignore[attr-defined]
    other = signed_in(learner("peer", FUJIAN, "professional_technical"))
    assert other.get(url).status_code == 403
    assert other.post(url, {"purpose": "好奇"}).status_code == 403
    assert signed_in(account("anon-like")).get(url).status_code == 403
    beijing = signed_in(account("jg-bj", "xueshi_supervisor_city", regions="110100"))
    assert beijing.get(url).status_code == 404
    assert beijing.post(url, {"purpose": "检查"}).status_code == 404
    assert beijing.post(url.replace("archive/", "archive/hours.pdf"), {"purpose": "检查"}).status_code == 404
    assert (
        signed_in(account("op", "xueshi_operator"))
        .get("/xueshi/hours/staff/learners/999999/archive/")
        .status_code
        == 404
    )
    assert not PersonalDataView.objects.exists()


def test_staff_in_scope_state_why_and_the_view_is_audited(studied: object) -> None:
    url = f"/xueshi/hours/staff/learners/{studied.pk}/archive/"  # type: ignore[attr-defined]
    fuzhou = signed_in(account("jg-fz", "xueshi_supervisor_city", regions="350100"))
    form = fuzhou.get(url)
    assert form.status_code == 200 and 'id="xa-purpose-form"' in form.content.decode()
    assert fuzhou.post(url, {"purpose": "  "}).status_code == 400
    assert not PersonalDataView.objects.exists()
    page = fuzhou.post(url, {"purpose": "年度继续教育核查", "year": "2026"})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-passed="1" data-answered="2"' in text and ">135.3</strong>" in text
    profile = IdentityProfile.objects.get(user=studied)
    assert full_id_number(profile) not in text and profile.id_number_masked in text
    row = PersonalDataView.objects.get()
    assert (row.actor_username, row.subject_user_id, row.field, row.purpose) == (
        "jg-fz",
        studied.pk,  # type: ignore[attr-defined]
        "learning_archive",
        "年度继续教育核查",
    )
    assert fuzhou.post(url, {"purpose": "x", "year": "abc"}).status_code == 400


def broken_hook(user_id: int, start: date, end: date) -> list[dict[str, object]]:
    """An app's archive hook that fails (its database is away, say)."""
    raise RuntimeError("the certificates table is locked")


def listing_hook(user_id: int, start: date, end: date) -> list[dict[str, object]]:
    """An app's archive hook with one entry for the period it is asked about."""
    return [
        {"kind": "certificate", "title": f"{start.year}年度证明", "day": start, "ref": "SN-1", "url": "/x"}
    ]


def test_other_apps_entries_show_and_a_failing_hook_is_named_not_a_500(
    studied: object, monkeypatch: object
) -> None:
    from django.apps import apps

    config = apps.get_app_config("xueshi_hours")
    monkeypatch.setattr(config, "xueshi_archive_hook", f"{__name__}.listing_hook", raising=False)  # type: ignore[attr-defined]
    text = signed_in(studied).get(PAGE).content.decode()
    assert 'data-ref="SN-1"' in text and "2026年度证明" in text and 'id="xa-unavailable"' not in text
    monkeypatch.setattr(config, "xueshi_archive_hook", f"{__name__}.broken_hook", raising=False)  # type: ignore[attr-defined]
    page = signed_in(studied).get(PAGE)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="xa-unavailable"' in text and 'data-passed="1"' in text and 'id="xa-no-entries"' in text


def test_the_hours_list_pdf_reads_back_with_every_line_and_a_masked_id(
    studied: object, tmp_path: Path
) -> None:
    answer = signed_in(studied).get("/xueshi/hours/archive/hours.pdf?year=2026")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text = pdf_text(answer.content, tmp_path)
    profile = IdentityProfile.objects.get(user=studied)
    assert "继续教育学时明细" in "".join(text.split()) and profile.real_name in text
    assert profile.id_number_masked in text and full_id_number(profile) not in text
    assert "2026-03-01" in text and "2026-03-02" in text and "2025-12-30" not in text
    assert "建筑施工安全" in text and "cn-zj-2015" in text
    assert "合计" in text and "专业科目" in text
    joined = "".join(text.split())  # the reason wraps in its column, beside the source's name
    assert (
        joined.count("未计入：您适用的") == 3 and joined.count("规则不计此类学时") == 3
    )  # exam, practice, completion


def test_staff_print_the_hours_list_with_a_purpose_and_it_is_audited(studied: object, tmp_path: Path) -> None:
    url = f"/xueshi/hours/staff/learners/{studied.pk}/archive/hours.pdf"  # type: ignore[attr-defined]
    operator = signed_in(account("op-pdf", "xueshi_operator"))
    assert operator.get(url).status_code == 405
    assert operator.post(url, {"year": "2026"}).status_code == 400 and not PersonalDataView.objects.exists()
    answer = operator.post(url, {"year": "2026", "purpose": "单位人事存档"})
    assert answer.status_code == 200 and "2026-03-02" in pdf_text(answer.content, tmp_path)
    row = PersonalDataView.objects.get()
    assert (row.field, row.purpose, row.subject_user_id) == ("hours_list", "单位人事存档", studied.pk)  # type: ignore[attr-defined]
