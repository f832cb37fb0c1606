"""Under ``zh-cn`` the pages Django and DRF draw (login form, admin, "not authorized") speak Chinese.

Django ships its Chinese as ``zh_Hans``; before sandbox/locale_alias.py the sandbox looked only in
``zh_CN`` folders and these pages came out in English (issue 16).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-cn"}


def test_login_form_labels_and_errors_are_chinese(client: Any) -> None:
    page = client.get("/login/", **ZH).content.decode()
    assert "用户名" in page and "密码" in page  # AuthenticationForm's labels, Django's own strings

    refused = client.post("/login/", {"username": "nobody", "password": "wrong"}, **ZH).content.decode()
    assert "请输入一个正确的" in refused  # "Please enter a correct username and password"
    assert "Please enter a correct" not in refused


def test_admin_index_is_chinese(client: Any) -> None:
    staff = get_user_model().objects.create_superuser("i18n-admin", "a@example.invalid", "pw-i18n-admin")
    client.force_login(staff)
    page = client.get("/admin/", **ZH).content.decode()
    assert "站点管理" in page  # "Site administration"
    assert "Site administration" not in page
    assert "播放会话" in page and "播放会话s" not in page  # our model names, plural = singular in Chinese


def test_not_authorized_message_is_chinese(client: Any) -> None:
    """DRF's refusal and Django's admin refusal, for an anonymous caller and a learner."""
    anonymous = client.get("/api/xueshi/identity/v1/me", **ZH)
    assert anonymous.status_code in (401, 403)
    assert (
        "身份认证信息未提供" in anonymous.json()["detail"]
    )  # "Authentication credentials were not provided."

    learner = get_user_model().objects.create_user("i18n-learner", password="pw-i18n-learner")
    client.force_login(learner)
    admin_login = client.get("/admin/", follow=True, **ZH).content.decode()
    assert "您当前以i18n-learner登录，但是没有这个页面的访问权限" in admin_login  # "… but are not authorized"
