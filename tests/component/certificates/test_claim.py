"""The learner claims the year's certificate from 我的证书 once the hours app says the year is met.

The hours app is read through ``xueshi_hours.api.hour_account`` (CONTRACTS.md). Here it answers
with accounts built as values: the real module's function is replaced when the hours app is
installed, and a module with the contract's two names stands in while it is not merged yet.
"""

from __future__ import annotations

import sys
import types

import pytest
from django.test import Client

from xueshi_certificates.models import Certificate

from .conftest import make_account


class HoursError(Exception):
    def __init__(self, code: str, reason: str = "") -> None:
        super().__init__(code)
        self.code, self.reason = code, reason or code


@pytest.fixture
def hours_says(monkeypatch):
    """``hours_says(met=...)`` makes ``hour_account`` answer for every learner."""
    try:
        import xueshi_hours.api as module
    except ImportError:
        module = types.ModuleType("xueshi_hours.api")
        module.HoursError = HoursError
        monkeypatch.setitem(sys.modules, "xueshi_hours.api", module)
        import xueshi_hours

        monkeypatch.setattr(xueshi_hours, "api", module, raising=False)

    def configure(*, met: bool = True, error: str = "") -> None:
        def hour_account(user_id: int, year: int | None = None):
            if error:
                raise module.HoursError(error, "refused")
            return make_account(user_id, met=met)

        monkeypatch.setattr(module, "hour_account", hour_account, raising=False)

    return configure


def test_a_met_year_is_claimed_once_from_the_page(learner, hours_says):
    hours_says(met=True)
    client = Client()
    client.force_login(learner)
    page = client.get("/xueshi/certificates/").content.decode()
    assert 'id="claim"' in page and 'id="none-yet"' in page
    for _ in range(2):
        assert client.post("/xueshi/certificates/claim/").status_code == 302
    cert = Certificate.objects.get(user=learner)
    assert cert.issued_by_id == learner.pk
    page = client.get("/xueshi/certificates/").content.decode()
    assert cert.serial in page and 'id="claim"' not in page


@pytest.mark.parametrize(
    ("met", "error", "shown"), [(False, "", "尚未达标"), (True, "no_rule", "暂无适用的学时规则")]
)
def test_an_unmet_year_or_no_rule_offers_no_certificate(learner, hours_says, met, error, shown):
    hours_says(met=met, error=error)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-cn")
    client.force_login(learner)
    page = client.get("/xueshi/certificates/").content.decode()
    assert 'id="claim"' not in page and shown in page
    client.post("/xueshi/certificates/claim/")
    assert not Certificate.objects.exists()


def test_a_completed_course_gets_its_own_certificate_where_enabled(
    learner, hours_says, monkeypatch, settings
):
    from datetime import date
    from decimal import Decimal
    from types import SimpleNamespace

    import xueshi_hours.api as module

    course = "course-v1:XS+GX01+2026"
    hours_says(met=False)
    monkeypatch.setattr(module, "course_completed", lambda uid, key: date(2026, 3, 2), raising=False)
    info = SimpleNamespace(title="新时代法治建设（公需）", declared_hours=Decimal("30"), category="public")
    monkeypatch.setattr(module, "course_hours", lambda key: info if key == course else None, raising=False)
    client = Client()
    client.force_login(learner)
    assert 'class="claim-course"' not in client.get("/xueshi/certificates/").content.decode()
    settings.XUESHI_CERTIFICATES_PER_COURSE = True
    assert 'class="claim-course"' in client.get("/xueshi/certificates/").content.decode()
    for _ in range(2):
        client.post("/xueshi/certificates/claim/course/", {"course_key": course})
    client.post("/xueshi/certificates/claim/course/", {"course_key": "course-v1:XS+NONE+2026"})
    cert = Certificate.objects.get(user=learner)
    assert (cert.kind, cert.course_key, cert.serial[0], cert.snapshot["total"]) == (
        "course",
        course,
        "K",
        "30",
    )
    assert cert.snapshot["by_category"] == {"public": "30"}
    assert 'class="claim-course"' not in client.get("/xueshi/certificates/").content.decode()
