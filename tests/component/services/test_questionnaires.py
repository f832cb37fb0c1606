"""Questionnaires: one answer per learner (also two submits racing), audience and window refusals with
clear 4xx, and results confined to the viewer's scope (a county supervisor counts only their county)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from xueshi_core import roles
from xueshi_services import questionnaire_answers as answering
from xueshi_services import questionnaire_results as results
from xueshi_services import questionnaires
from xueshi_services.models import Answer, Participation, Questionnaire, Response

from ..permkit import account, signed_in
from ..racekit import race

SOURCE = (
    "总体评价 [单选] *\n- 满意\n- 不满意\n有用的内容 [多选]\n- 政策\n- 案例\n实用性 [1-5] *\n意见 [文本]\n"
)


def build(author: User, **form: Any) -> Questionnaire:
    now = timezone.localtime(timezone.now(), timezone.get_fixed_timezone(480))
    values = {
        "title": "培训满意度调查",
        "starts_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "source": SOURCE,
        **form,
    }
    row = questionnaires.save(author, values)
    return questionnaires.move(author, row, Questionnaire.PUBLISHED)


def answers(row: Questionnaire, first: int = 0, scale: int = 4, text: str = "") -> dict[str, Any]:
    q = list(row.questions.prefetch_related("options"))
    return {
        str(q[0].pk): str(list(q[0].options.all())[first].pk),
        str(q[1].pk): [str(o.pk) for o in q[1].options.all()],
        str(q[2].pk): str(scale),
        str(q[3].pk): text,
    }


@pytest.fixture
def operator(demo_site: dict[str, Any]) -> User:
    return User.objects.get(username="operator")


@pytest.mark.django_db(transaction=True)
def test_one_answer_per_learner_even_when_two_submits_race(operator: User) -> None:
    row = build(operator)
    zhangsan = User.objects.get(username="zhangsan")
    done, refused = race(lambda: answering.submit(row, zhangsan, answers(row)))
    assert len(done) == 1 and [getattr(e, "code", e) for e in refused] == ["already_answered"]
    assert Participation.objects.filter(questionnaire=row).count() == 1
    assert Response.objects.filter(questionnaire=row).count() == 1

    client = signed_in(zhangsan)
    again = client.get(f"/xueshi/services/q/{row.slug}/")
    assert again.status_code == 409 and "已经填写过" in again.content.decode()
    post = client.post(f"/xueshi/services/q/{row.slug}/", {f"q{row.questions.first().pk}": "1"})
    assert post.status_code == 409 and Response.objects.filter(questionnaire=row).count() == 1


def test_bad_answers_audience_and_window_are_clear_4xx(operator: User) -> None:
    row = build(operator, audience_regions="350100", anonymous="on")
    zhangsan, lisi = User.objects.get(username="zhangsan"), User.objects.get(username="lisi")
    q = list(row.questions.prefetch_related("options"))
    bad = [
        ({**answers(row), str(q[0].pk): "999999"}, "unknown_option"),
        ({**answers(row), "424242": "x"}, "unknown_question"),
        ({k: v for k, v in answers(row).items() if k != str(q[2].pk)}, "missing_answer"),
        ({**answers(row), str(q[2].pk): "6"}, "invalid_scale"),
        ({**answers(row), str(q[3].pk): "长" * 2001}, "text_too_long"),
    ]
    for given, code in bad:
        with pytest.raises(answering.BadInput) as refused:
            answering.submit(row, zhangsan, given)
        assert (refused.value.code, refused.value.status) == (code, 400)
    page = signed_in(lisi).get(f"/xueshi/services/q/{row.slug}/")  # 李四 is in Beijing
    assert page.status_code == 403 and "其他学员" in page.content.decode()

    client = signed_in(zhangsan)
    missing = client.post(f"/xueshi/services/q/{row.slug}/", {f"q{q[0].pk}": str(q[0].options.first().pk)})
    assert missing.status_code == 400 and Response.objects.count() == 0
    Questionnaire.objects.filter(pk=row.pk).update(ends_at=timezone.now() - timedelta(minutes=1))
    assert client.get(f"/xueshi/services/q/{row.slug}/").status_code == 409
    Questionnaire.objects.filter(pk=row.pk).update(ends_at=timezone.now() + timedelta(days=1), state="closed")
    closed = client.post(f"/xueshi/services/q/{row.slug}/", {})
    assert closed.status_code == 409 and "已关闭" in closed.content.decode()
    assert signed_in(zhangsan).get("/xueshi/services/q/nosuch/").status_code == 404


def test_results_are_confined_to_the_supervisors_county(operator: User) -> None:
    row = build(operator)
    zhangsan, lisi = User.objects.get(username="zhangsan"), User.objects.get(username="lisi")
    answering.submit(row, zhangsan, answers(row, first=0, scale=5, text="希望多些案例"))
    answering.submit(row, lisi, answers(row, first=1, scale=2, text="=SUM(A1)"))
    county = account("gulou", roles.SUPERVISOR_COUNTY, regions="350102")

    total, figures = results.results(county, row)
    assert total == 1 and [b[1] for b in figures[0].bars] == [1, 0] and figures[2].average == 5.0
    assert figures[3].texts == [("张*", "希望多些案例")]  # real-name: the name masked
    total, figures = results.results(operator, row)
    assert total == 2 and figures[2].average == 3.5 and [b[1] for b in figures[0].bars] == [1, 1]

    page = signed_in(county).get(f"/xueshi/services/staff/questionnaires/{row.pk}/")
    assert page.status_code == 200 and 'data-total="1"' in page.content.decode()
    export = signed_in(county).get(f"/xueshi/services/staff/questionnaires/{row.pk}/export.xlsx")
    assert export.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == "张*" and rows[1][1] == "350102"
    from xueshi_core.models import PersonalDataExport

    assert PersonalDataExport.objects.filter(actor_id=county.pk, rows=1, scope="regions=350102").exists()
    # A county supervisor cannot build for another county; a learner cannot open staff pages.
    with pytest.raises(answering.BadInput) as refused:
        build(county, audience_regions="110101")
    assert refused.value.code == "audience_outside_scope"
    assert build(county).audience_regions == "350102"
    # The builder in a browser: textarea lines come with CRLF; saving unchanged questions after
    # answers is fine, changing them is refused, and a bad line is named.
    staff = signed_in(operator)
    form = {
        "title": "培训满意度调查（修订）",
        "starts_at": "2026-01-01T09:00",
        "ends_at": "2099-01-01T09:00:00",
        "source": SOURCE.replace("\n", "\r\n"),
    }
    assert staff.post(f"/xueshi/services/staff/questionnaires/{row.pk}/edit/", form).status_code == 302
    changed = staff.post(
        f"/xueshi/services/staff/questionnaires/{row.pk}/edit/", {**form, "source": "新题 [文本]"}
    )
    assert changed.status_code == 409
    bad = staff.post("/xueshi/services/staff/questionnaires/new/", {**form, "source": "意见 [文本]\n- 选项"})
    assert bad.status_code == 400 and "题目第 2 行：选项" in bad.content.decode()
    assert signed_in(zhangsan).get("/xueshi/services/staff/questionnaires/").status_code == 403
    assert Answer.objects.filter(response__user=None).count() == 0
    # Retirement erases what the learner wrote and keeps what is counted.
    from types import SimpleNamespace

    from xueshi_services.retirement import retire_account

    retire_account(None, SimpleNamespace(user_id=zhangsan.pk))
    assert not Answer.objects.filter(text__contains="案例").exists()
    assert results.results(county, row)[1][2].average == 5.0
