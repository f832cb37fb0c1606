"""The sandbox loads Xueshi exactly as the LMS does: entry points → apps, settings, URLs, receivers."""

from importlib.metadata import entry_points

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import resolve

from xueshi_core.api import installed_components
from xueshi_core.roles import ROLES

OURS = "openedx-xueshi"


def our_entry_points(group):
    return [ep for ep in entry_points(group=group) if ep.dist and ep.dist.metadata["Name"] == OURS]


def test_every_lms_entry_point_of_ours_is_an_installed_app():
    names = {ep.name for ep in our_entry_points("lms.djangoapp")}
    assert {"xueshi_core", "xueshi_studytime"} <= names
    for name in names:
        assert apps.is_installed(name), f"{name} not in INSTALLED_APPS"


def test_the_studio_entry_points_name_the_same_app_configs():
    lms = {ep.name: ep.value for ep in our_entry_points("lms.djangoapp")}
    cms = {ep.name: ep.value for ep in our_entry_points("cms.djangoapp")}
    assert cms.items() <= lms.items()


def test_plugin_settings_were_applied_common_then_test_layer():
    assert settings.XUESHI_TIME_ZONE == "Asia/Shanghai"
    assert settings.XUESHI_PLATFORM_SHIM == "sandbox.platform"


def test_plugin_urls_are_mounted_where_plugin_app_says():
    assert resolve("/xueshi/status/").namespace == "xueshi_core"
    assert resolve("/xueshi/api/v1/status").url_name == "status-json"


@pytest.mark.django_db
def test_the_post_migrate_receiver_created_every_role_group():
    # The test database was built by migrate, which fires post_migrate → ensure_roles_after_migrate.
    assert set(Group.objects.values_list("name", flat=True)) >= {r.group for r in ROLES}


def test_installed_components_reports_apps_and_xblocks_as_loaded():
    components = installed_components()
    kinds = {(c.group, c.name) for c in components}
    assert ("lms.djangoapp", "xueshi_core") in kinds
    assert ("xblock.v1", "xueshi_video") in kinds
    assert all(c.loaded for c in components), [c for c in components if not c.loaded]


@pytest.mark.django_db
def test_status_json_requires_staff_and_lists_components(client, django_user_model):
    assert client.get("/xueshi/api/v1/status").status_code == 401  # JSON for monitoring, not a login page
    staff = django_user_model.objects.create_user("运维", password="口令-123456", is_staff=True)
    client.force_login(staff)
    body = client.get("/xueshi/api/v1/status").json()
    assert body["all_loaded"] is True
    assert body["project_type"] == "lms.djangoapp"
    assert {c["name"] for c in body["components"]} >= {"xueshi_core", "xueshi_studytime", "xueshi_video"}


@pytest.mark.django_db
def test_status_page_speaks_chinese_to_a_zh_cn_browser(client, django_user_model):
    staff = django_user_model.objects.create_user("运维乙", password="口令-123456", is_staff=True)
    client.force_login(staff)
    html = client.get("/xueshi/status/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
    assert "学时平台状态" in html and "已加载" in html
    english = client.get("/xueshi/status/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Xueshi status" in english
