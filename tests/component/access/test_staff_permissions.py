"""The sign-in audit and the suspicious-IP report under the one permission model."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings
from openpyxl import load_workbook

from xueshi_access.models import AccessEvent

from ..permkit import account, learner_in, signed_in

pytestmark = pytest.mark.django_db
AUDIT, SUSPICIOUS = "/xueshi/access/audit/", "/xueshi/access/suspicious/"


def _signed_in_event(username: str, user_id: int, ip: str | None = None, hours_ago: int = 0) -> None:
    at = datetime.now(UTC) - timedelta(hours=hours_ago + 1) if ip else datetime(2026, 5, 1, 2, tzinfo=UTC)
    AccessEvent.objects.create(
        at=at, event="sign_in", user_id=user_id, username=username, ip=ip, region_code="32" if ip else ""
    )


def test_auditors_and_operators_read_the_audit_and_others_get_403(db) -> None:
    for who in (account("aud", "xueshi_auditor"), account("op", "xueshi_operator")):
        client = signed_in(who)
        assert client.get(AUDIT).status_code == 200 and client.get(SUSPICIOUS).status_code == 200
        assert client.get(f"{AUDIT}export.xlsx").status_code == 200
    for who in (
        account("sup", "xueshi_supervisor_city", regions="320100"),
        account("hr", "xueshi_employer_contact", employers="南京建工集团"),
        account("admin", is_staff=True, is_superuser=True),
    ):
        client = signed_in(who)
        for url in (AUDIT, f"{AUDIT}export.xlsx"):
            assert client.get(url).status_code == 403, (who.username, url)
        expected = 200 if who.username == "sup" else 403  # supervisors get the report of their scope
        for url in (SUSPICIOUS, f"{SUSPICIOUS}export.xlsx"):
            assert client.get(url).status_code == expected, (who.username, url)


def test_a_regional_auditor_sees_their_region_only(db) -> None:
    nanjing = learner_in("nj-learner", ("320000", "320100", "320102"), "南京建工集团", 984)
    beijing = learner_in("bj-learner", ("110000", "", "110101"), "北京东城会计所", 985)
    _signed_in_event("nj-learner", nanjing.user_id)
    _signed_in_event("bj-learner", beijing.user_id)
    client = signed_in(account("nj-aud", "xueshi_auditor", regions="320000"))
    rows = client.get(AUDIT).context["page"].object_list
    assert [row.username for row in rows] == ["nj-learner"]
    assert client.get(SUSPICIOUS).status_code == 200  # confined to the region (test below)
    national = signed_in(account("aud", "xueshi_auditor"))
    seen = {row.username for row in national.get(AUDIT).context["page"].object_list}
    assert {"nj-learner", "bj-learner", "nj-aud"} <= seen  # staff sign-ins too


@override_settings(XUESHI_ACCESS_SUSPICIOUS_ACCOUNTS_PER_IP=2, XUESHI_ACCESS_SUSPICIOUS_IPS_PER_ACCOUNT=2)
def test_the_suspicious_ip_report_of_a_supervisor_covers_its_learners_only(db) -> None:
    cafe = "202.96.128.86"
    fuzhou = learner_in("fz-learner", ("350000", "350100", "350102"), "福州会计所", 986)
    nanjing = learner_in("nj-learner", ("320000", "320100", "320102"), "南京建工集团", 987)
    for profile, home in ((fuzhou, "58.22.0.1"), (nanjing, "121.229.0.1")):
        _signed_in_event(profile.user.username, profile.user_id, cafe, hours_ago=2)  # one cafe
        _signed_in_event(profile.user.username, profile.user_id, home)  # and each one's home
    in_scope = signed_in(account("fz-sup", "xueshi_supervisor_city", regions="350100"))
    report = in_scope.get(SUSPICIOUS).context["report"]
    assert [(s.ip, s.accounts, s.usernames) for s in report.shared_ips] == [
        ("202.96.128.*", 2, ("fz-learner",))  # every account counted, its own learners named, IP masked
    ]
    assert [r.username for r in report.roaming] == ["fz-learner"]
    book = load_workbook(io.BytesIO(in_scope.get(f"{SUSPICIOUS}export.xlsx").content))
    cells = str([list(sheet.values) for sheet in book.worksheets])
    assert "fz-learner" in cells and "nj-learner" not in cells and "202.96.128.*" in cells
    out_of_scope = signed_in(account("bj-sup", "xueshi_supervisor_city", regions="110100"))
    report = out_of_scope.get(SUSPICIOUS).context["report"]
    assert report.shared_ips == [] and report.roaming == [] and report.by_region == []
    national = signed_in(account("aud", "xueshi_auditor")).get(SUSPICIOUS).context["report"]
    assert [(s.ip, s.usernames) for s in national.shared_ips] == [(cafe, ("fz-learner", "nj-learner"))]
