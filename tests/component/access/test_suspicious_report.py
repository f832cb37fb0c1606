"""Suspicious-IP statistics on seeded sign-in traffic; the xlsx exports; the retention purge."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from openpyxl import load_workbook

from xueshi_access import audit
from xueshi_access.data import Client as Caller
from xueshi_access.models import AccessEvent
from xueshi_access.tasks import purge_audit

NOW = datetime.now(UTC)
GUANGZHOU, BEIJING, SHANGHAI, URUMQI, USA = (
    "202.96.128.86",
    "61.135.169.121",
    "222.66.0.1",
    "61.128.101.1",
    "8.8.8.8",
)


def sign_in(username: str, ip: str, minutes_ago: int, event: str = AccessEvent.SIGN_IN) -> None:
    user = get_user_model().objects.filter(username=username).first()
    audit.record(
        event,
        Caller(ip, "Mozilla/5.0", "pc"),
        user=user,
        username=username,
        at=NOW - timedelta(minutes=minutes_ago),
    )


def seed(demo_site: Any) -> None:
    model = get_user_model()
    for i in range(6):
        model.objects.get_or_create(username=f"shared{i}", defaults={"email": f"shared{i}@example.com"})
    for i in range(6):  # six accounts from one internet cafe in Guangzhou
        sign_in(f"shared{i}", GUANGZHOU, 300 + i)
    for i, ip in enumerate(["121.229.0.1", "58.60.0.1", "218.30.118.6", "114.114.114.114", "222.66.0.9"]):
        sign_in("lisi", ip, 2000 + i * 240)  # one account, five networks, hours apart
    sign_in("zhangsan", BEIJING, 50)  # Beijing, then Urumqi 40 minutes later: ~2400 km
    sign_in("zhangsan", URUMQI, 10)
    sign_in("wangwu", SHANGHAI, 100)  # Shanghai, then abroad
    sign_in("wangwu", USA, 90)
    sign_in("operator", SHANGHAI, 30)  # Shanghai then Hangzhou-ish within an hour: near, not flagged
    sign_in("operator", "60.191.0.1", 20)


def staff() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="operator"))
    return client


def test_report_flags_shared_ips_roaming_accounts_and_region_jumps(demo_site: Any) -> None:
    seed(demo_site)
    page = staff().get("/xueshi/access/suspicious/?days=7")
    assert page.status_code == 200
    report = page.context["report"]
    assert [(s.ip, s.accounts) for s in report.shared_ips] == [(GUANGZHOU, 6)]
    assert [(r.username, r.ips) for r in report.roaming] == [("lisi", 5)]
    jumps = {(j.username, j.km is None) for j in report.jumps}
    assert jumps == {("zhangsan", False), ("wangwu", True)}
    km = next(j.km for j in report.jumps if j.username == "zhangsan")
    assert 2000 < km < 2700 and next(j.minutes for j in report.jumps if j.username == "zhangsan") == 40
    regions = {code: (n, flagged) for code, _name, n, flagged in report.by_region}
    assert regions["44"][0] >= 6 and regions["65"] == (1, 1)
    # lisi, zhangsan, wangwu in the main course (the fixture enrols all); the demo enrols zhangsan
    # and lisi in the face-check course as well (wangwu is left to enrol himself, ADR 0094)
    by_course = {"course-v1:XueshiDemo+AQ101+2026": 3, "course-v1:XueshiDemo+FACE101+2026": 2}
    assert dict(report.by_course) == by_course
    html = page.content.decode()
    assert "同一IP登录多个账号" in html and "2024-02-28" in html


def test_report_for_one_course_and_thresholds_from_settings(demo_site: Any) -> None:
    seed(demo_site)
    one_course = staff().get("/xueshi/access/suspicious/?course=course-v1:XueshiDemo%2BAQ101%2B2026")
    assert one_course.context["report"].shared_ips == []  # the cafe accounts are not enrolled
    with override_settings(XUESHI_ACCESS_SUSPICIOUS_ACCOUNTS_PER_IP=7, XUESHI_ACCESS_JUMP_MIN_KM=3000):
        report = staff().get("/xueshi/access/suspicious/").context["report"]
    assert report.shared_ips == [] and [j.username for j in report.jumps] == ["wangwu"]


def test_suspicious_export_is_xlsx_with_masked_ips(demo_site: Any) -> None:
    seed(demo_site)
    reply = staff().get("/xueshi/access/suspicious/export.xlsx?days=7")
    assert reply.status_code == 200
    book = load_workbook(io.BytesIO(reply.content))
    shared = list(book.worksheets[0].values)
    assert shared[1][0] == "202.96.128.*" and shared[1][2] == 6
    assert GUANGZHOU not in str([list(ws.values) for ws in book.worksheets])


def test_audit_search_and_masked_export(demo_site: Any) -> None:
    seed(demo_site)
    client = staff()
    page = client.get("/xueshi/access/audit/?q=zhangsan")
    assert page.status_code == 200
    assert {row.username for row in page.context["page"]} == {"zhangsan"}
    by_ip = client.get(f"/xueshi/access/audit/?ip={GUANGZHOU}&event=sign_in")
    assert len(by_ip.context["page"]) == 6
    export = client.get("/xueshi/access/audit/export.xlsx?q=zhangsan")
    rows = list(load_workbook(io.BytesIO(export.content)).worksheets[0].values)
    assert rows[0][0] == "时间（北京时间）" and len(rows) == 3
    assert {r[4] for r in rows[1:]} == {"61.135.169.*", "61.128.101.*"}


@override_settings(XUESHI_ACCESS_AUDIT_RETENTION_DAYS=30)
def test_purge_task_keeps_the_retention_period(demo_site: Any) -> None:
    sign_in("zhangsan", BEIJING, 60 * 24 * 31)
    sign_in("zhangsan", BEIJING, 60 * 24 * 29)
    result = purge_audit.apply().get()
    assert result["purged"] == 1
    assert AccessEvent.objects.count() == 1


def test_default_retention_is_five_years() -> None:
    from xueshi_access import conf

    assert conf.retention_days() >= 5 * 365
