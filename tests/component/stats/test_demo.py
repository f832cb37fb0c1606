"""The sandbox's demo: the city supervisor ``jianguan`` finds 福州市's figures in the menu."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from ..permkit import signed_in

pytestmark = [pytest.mark.component, pytest.mark.django_db]


def test_jianguan_sees_fuzhou_figures_in_the_demo(seeded_demo: dict[str, Any]) -> None:
    client = signed_in(get_user_model().objects.get(username="jianguan"))
    page = client.get("/xueshi/stats/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="menu-statistics"' in html and "福州市" in html
    data = client.get("/api/xueshi/stats/figures/", {"period": "year"}).json()
    # the demo enrols zhangsan (福州市鼓楼区) and lisi (北京) in its courses: only zhangsan is jianguan's
    zhangsan = get_user_model().objects.get(username="zhangsan").id
    listed = client.get(data["links"]["enrolled"]).json()
    assert data["figures"]["enrolled"] == listed["total"] >= 1 and data["level"] == "county_code"
    assert {row["learner_id"] for row in listed["learners"]} == {zhangsan}
    assert [row["key"] for row in data["children"]] == ["350102"]
    assert client.get("/api/xueshi/stats/figures/", {"region": "110000"}).status_code == 403
