"""Training projects (ADR 0157): recorded by an operator, figures within each reader's scope, export.

The province of ``conftest``: A, C, D, E in 鼓楼区 (C unenrolled, D completed, A studied 4 min),
B moved from 台江区 to 思明区 (厦门). The project targets 福州市 and the course.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from xueshi_core import roles
from xueshi_core.models import RefusedAccess
from xueshi_stats.models import TrainingProject

from ..permkit import account, signed_in
from .conftest import COURSE

pytestmark = [pytest.mark.component, pytest.mark.django_db]


def _form(today: Any, **changes: str) -> dict[str, str]:
    form = {
        "code": "fz-2026-safety",
        "name": "福州市2026年安全生产继续教育",
        "organiser": "福州市人力资源和社会保障局",
        "start": (today - timedelta(days=40)).isoformat(),
        "end": (today + timedelta(days=30)).isoformat(),
        "required_hours": "0.05",
        "course_keys": COURSE,
        "region_codes": "350100",
    }
    return {**form, **changes}


def test_a_project_recorded_approved_and_followed_within_each_scope(province: dict[str, Any]) -> None:
    today = province["today"]
    operator = signed_in(account("proj_op", roles.OPERATOR))
    bad = operator.post(reverse("xueshi_stats:project-new"), _form(today, region_codes="359999"))
    assert bad.status_code == 400 and 'data-field="region_codes"' in bad.content.decode()
    late = _form(today, end=(today - timedelta(days=41)).isoformat(), course_keys="not a key")
    page = operator.post(reverse("xueshi_stats:project-new"), late).content.decode()
    assert 'data-field="end"' in page and 'data-field="course_keys"' in page
    assert not TrainingProject.objects.exists()
    made = operator.post(reverse("xueshi_stats:project-new"), _form(today))
    assert made.status_code == 302
    assert (
        operator.get(reverse("xueshi_stats:api-project", args=["fz-2026-safety"])).json()["project"]["phase"]
        == "draft"
    )
    operator.post(reverse("xueshi_stats:project-approve", args=["fz-2026-safety"]))

    whole = operator.get(reverse("xueshi_stats:api-project", args=["fz-2026-safety"])).json()
    assert whole["project"]["phase"] == "running"
    # A, D, E (C unenrolled, B now in 厦门); A studied 240 s; D completed; A reached 0.05 h.
    expected = {"enrolled": 3, "studying": 1, "completed": 1, "hours": 0.1, "met_hours": 1, "certified": 0}
    assert whole["figures"] == expected
    assert {r["learner_id"] for r in whole["learners"]} == {province["users"][k].id for k in ("A", "D", "E")}

    taijiang = signed_in(account("proj_tj", roles.SUPERVISOR_COUNTY, regions="350103"))
    assert (
        taijiang.get(reverse("xueshi_stats:api-project", args=["fz-2026-safety"])).json()["figures"][
            "enrolled"
        ]
        == 0
    ), "B left 台江 before the count"
    siming = signed_in(account("proj_sm", roles.SUPERVISOR_COUNTY, regions="350203"))
    assert siming.get(reverse("xueshi_stats:api-projects")).json()["projects"] == []
    refused = siming.get(reverse("xueshi_stats:project", args=["fz-2026-safety"]))
    assert refused.status_code == 403
    (row,) = RefusedAccess.objects.all()
    assert row.target == "project=fz-2026-safety" and row.actor_username == "proj_sm"
    assert siming.post(reverse("xueshi_stats:project-new"), _form(today)).status_code == 403
    assert operator.get(reverse("xueshi_stats:api-project", args=["nope"])).status_code == 404

    gulou = signed_in(account("proj_gl", roles.SUPERVISOR_COUNTY, regions="350102"))
    page = gulou.get(reverse("xueshi_stats:project", args=["fz-2026-safety"])).content.decode()
    assert 'data-figure="enrolled"><td>' in page and 'id="stats-export"' in page
    form = {"source": "project", "project": "fz-2026-safety", "format": "csv"}
    job = gulou.post(reverse("xueshi_stats:export-start"), form, HTTP_ACCEPT="application/json").json()["job"]
    assert (job["state"], job["total"]) == ("done", 3)
    content = b"".join(gulou.get(reverse("xueshi_stats:export-file", args=[job["token"]])).streaming_content)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) == 4 and all("*" in r[2] for r in rows[1:])
    assert (
        siming.post(reverse("xueshi_stats:export-start"), form, HTTP_ACCEPT="application/json").status_code
        == 403
    )
