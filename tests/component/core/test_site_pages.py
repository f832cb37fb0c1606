"""The sandbox as a first visitor meets it: no debug pages by default, styled Chinese error pages
with a way back, static files served with DEBUG off, and Django's language switch at /i18n/."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.views import defaults

REPO = Path(__file__).resolve().parents[3]


def test_debug_is_off_unless_asked_for_even_on_the_devstack_layer() -> None:
    env = {k: v for k, v in os.environ.items() if k != "XUESHI_DEBUG"}
    env |= {"XUESHI_SETTINGS_TYPE": "devstack", "DJANGO_SETTINGS_MODULE": "sandbox.settings"}
    code = "import django;django.setup();from django.conf import settings;print(settings.DEBUG)"
    run = lambda extra: subprocess.run(  # noqa: E731
        [sys.executable, "-c", code], env=env | extra, cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert run({}) == "False"
    assert run({"XUESHI_DEBUG": "1"}) == "True"


@pytest.mark.django_db
def test_404_is_styled_chinese_with_the_header_and_a_way_home(settings) -> None:
    assert not settings.DEBUG
    response = Client(HTTP_ACCEPT_LANGUAGE="zh-cn").get("/no/such/page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "此页面不存在" in html and 'id="error-home" href="/"' in html and "返回首页" in html
    assert 'id="xueshi-header"' in html and "xueshi_core/paragon/core.min.css" in html


def test_500_renders_without_a_request_or_a_database_in_chinese() -> None:
    from django.utils import translation

    with translation.override("zh-cn"):
        response = defaults.server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错了" in html and 'id="error-home"' in html and 'id="xueshi-menu"' not in html


@pytest.mark.django_db
def test_403_page_is_styled_chinese(settings) -> None:
    from django.core.exceptions import PermissionDenied
    from django.utils import translation

    with translation.override("zh-cn"):
        response = defaults.permission_denied(RequestFactory().get("/"), PermissionDenied())
    assert response.status_code == 403 and "您无权打开此页面" in response.content.decode()


@pytest.mark.django_db
def test_static_files_are_served_with_debug_off(settings) -> None:
    assert not settings.DEBUG
    response = Client().get("/static/xueshi_core/xueshi.css")
    assert response.status_code == 200
    assert b".xueshi-header" in b"".join(response.streaming_content)


@pytest.mark.django_db
def test_set_language_switches_to_english_and_back() -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-cn")
    assert "此页面不存在" in client.get("/missing/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/missing/"})
    assert response.status_code == 302 and response["Location"] == "/missing/"
    assert "This page does not exist" in client.get("/missing/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-cn", "next": "/"})
    assert "此页面不存在" in client.get("/missing/").content.decode()


def test_503_page_is_styled_and_reads_neither_session_nor_roles() -> None:
    from django.utils import translation
    from django.utils.functional import SimpleLazyObject

    from xueshi_core import outage

    def redis_down() -> None:
        raise ConnectionError("the session store is down")

    request = RequestFactory().get("/xueshi/face/enrol/", HTTP_ACCEPT="text/html")
    request.user = SimpleLazyObject(redis_down)
    with translation.override("zh-cn"):
        response = outage.unavailable_response(request)
    html = response.content.decode()
    assert response.status_code == 503 and 'id="xueshi-unavailable-message"' in html
    assert "xueshi_core/paragon/core.min.css" in html and 'id="error-home"' in html
