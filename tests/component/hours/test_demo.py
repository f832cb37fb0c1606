"""``make sandbox`` shows 我的学时 for zhangsan: the demo hook's rules, course hours and external hours."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_zhangsan_sees_his_hours_in_chinese(seeded_demo: dict[str, Any]) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-cn")
    assert client.login(username="zhangsan", password=seeded_demo["password"])
    page = client.get("/xueshi/hours/")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="menu-my-hours"' in text and "我的学时" in text
    assert "cn-zj-2015" in text and "2026年度专业技术人员公需科目讲座" in text and "已计入" in text
    assert "福建省建筑行业新技术培训班" in text and "待审核" in text  # the pending one: listed, not counted
    operator = Client()
    assert operator.login(username="operator", password=seeded_demo["password"])
    assert "福建省建筑行业新技术培训班" in operator.get("/xueshi/hours/staff/external/").content.decode()


def test_zhangsan_finds_his_learning_archive_in_the_menu(seeded_demo: dict[str, Any]) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-cn")
    assert client.login(username="zhangsan", password=seeded_demo["password"])
    text = client.get("/xueshi/hours/archive/").content.decode()
    assert 'id="menu-learning-archive"' in text and "学习档案" in text
    assert 'data-course="course-v1:' in text  # enrolled in the demo course
    assert "2026年度专业技术人员公需科目讲座" in text  # approved external hours
