"""Operator pages: queue depth and failures, re-drive, per-learner history, xlsx batches, bad input."""

from __future__ import annotations

import io

import pytest
from django.test import override_settings
from openpyxl import load_workbook

from xueshi_core import roles
from xueshi_reporting import delivery
from xueshi_reporting.models import Delivery, Destination

from ..permkit import account, signed_in
from .conftest import states, write_study


@pytest.fixture
def people(db):
    return {
        "operator": account("rp_op", roles.OPERATOR),
        "auditor": account("rp_aud", roles.AUDITOR),
        "supervisor": account("rp_sup", roles.SUPERVISOR_CITY, regions="350100"),
    }


def test_operator_sees_depth_and_dead_letters_and_redrives(provinces, people) -> None:
    province = provinces("fj", batch_size=3)
    write_study(learners=3, days=2)
    province.platform.controls.reject_ids = ["350102199003070003"]
    delivery.run("fj")
    operator = signed_in(people["operator"])
    page = operator.get("/xueshi/reporting/manage/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-code="fj"' in html and "rejected: 身份证号码未在登记库中" in html
    dead = Delivery.objects.get(state=Delivery.DEAD)
    assert f'data-id="{dead.pk}"' in html
    province.platform.controls.reject_ids = []
    assert (
        operator.post(
            "/xueshi/reporting/manage/act/", {"action": "redrive", "delivery": [dead.pk]}
        ).status_code
        == 302
    )
    delivery.run("fj")
    assert states(province.destination) == {Delivery.DELIVERED: 6}
    history = operator.get("/xueshi/reporting/manage/learner/", {"user": "3"}).content.decode()
    assert history.count('data-state="delivered"') == 2 and "fj 省平台" in history


def test_auditor_reads_but_cannot_act_and_supervisors_are_refused(provinces, people) -> None:
    provinces("fj")
    assert signed_in(people["auditor"]).get("/xueshi/reporting/manage/").status_code == 200
    assert (
        signed_in(people["auditor"])
        .post("/xueshi/reporting/manage/act/", {"action": "drop", "delivery": [1]})
        .status_code
        == 403
    )
    assert signed_in(people["supervisor"]).get("/xueshi/reporting/manage/").status_code == 403


@pytest.mark.parametrize(
    "form",
    [
        {"action": "redrive"},
        {"action": "redrive", "delivery": ["x"]},
        {"action": "explode", "delivery": ["1"]},
    ],
)
def test_bad_actions_are_a_clear_400(provinces, people, form) -> None:
    response = signed_in(people["operator"]).post("/xueshi/reporting/manage/act/", form)
    assert response.status_code == 400 and b'id="rp-error"' in response.content


def test_bad_learner_and_batch_are_4xx(people) -> None:
    operator = signed_in(people["operator"])
    assert operator.get("/xueshi/reporting/manage/learner/", {"user": "1 OR 1=1"}).status_code == 400
    assert operator.get("/xueshi/reporting/manage/batches/fj/" + "0" * 32 + ".xlsx").status_code == 404


def test_an_xlsx_destination_writes_a_batch_the_operator_downloads(people, tmp_path, db) -> None:
    Destination.objects.create(
        code="hn-bureau",
        name="海南厅",
        profile=Destination.XLSX,
        category_map={"course": {"public": "公需科目"}},
    )
    write_study(learners=2, days=1)
    with override_settings(XUESHI_REPORTING_XLSX_DIR=str(tmp_path)):
        delivery.run("hn-bureau")
        batch = Delivery.objects.values_list("batch", flat=True).first()
        response = signed_in(people["operator"]).get(
            f"/xueshi/reporting/manage/batches/hn-bureau/{batch}.xlsx"
        )
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("幂等键", "类型", "序号", "姓名", "证件类型", "证件号码")
    assert [r[3] for r in rows[1:]] == ["学员1", "学员2"] and {r[11] for r in rows[1:]} == {"公需科目"}
    assert Delivery.objects.filter(state=Delivery.DELIVERED).count() == 2
