"""In Chromium on a phone: a county supervisor signs in, drills down, exports, downloads; the file opens.

The demo's learner zhangsan studies in 福州市鼓楼区 (350102); the supervisor of that county sees the
county's figures and charts, drills to zhangsan's employer, opens the learners behind "enrolled",
exports them as xlsx and downloads the file, which openpyxl opens with exactly those rows, masked.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group, User
from openpyxl import load_workbook

from xueshi_core import roles
from xueshi_core.models import AccountScope
from xueshi_identity.demo import DEMO_PROFILES

from ..conftest import sign_in

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
}


def test_a_county_supervisor_drills_down_exports_and_opens_the_file(
    browser: Any, seeded_live_server: Any
) -> None:
    supervisor = User.objects.create_user("gulou_county", "gulou@example.invalid", "xueshi-demo-2026")
    supervisor.groups.add(Group.objects.get_or_create(name=roles.SUPERVISOR_COUNTY)[0])
    AccountScope.objects.create(user=supervisor, region_codes="350102")
    zhangsan = User.objects.get(username="zhangsan")
    employer = DEMO_PROFILES["zhangsan"][4]
    base = seeded_live_server.url
    context = browser.new_context(locale="zh-CN", accept_downloads=True, **PHONE)
    page = sign_in(context, base, "gulou_county")

    page.goto(f"{base}/xueshi/stats/")
    page.wait_for_selector("#stats-dashboard")
    page.select_option("select[name=period]", "year")
    page.click("#stats-filters button[type=submit]")
    page.wait_for_selector("#stats-chart-regions svg")  # ECharts drew the bars (SVG renderer)
    chart = page.locator("#stats-chart-regions").bounding_box()
    assert chart is not None and chart["width"] <= 390, "the chart fits the phone"
    assert page.locator("#stats-chart-days svg").count() == 1
    page.click(f"#stats-children tr[data-key='{employer}'] a")  # drill down: county → employer
    page.wait_for_selector("#stats-dashboard[data-level='learner']")
    page.click("#stats-figures tr[data-figure='enrolled'] a")
    page.wait_for_selector("#stats-learner-list")
    listed = page.locator("#stats-learner-list tbody tr[data-learner]")
    shown = listed.count()  # one row per course zhangsan is enrolled in
    assert shown >= 1
    assert {listed.nth(i).get_attribute("data-learner") for i in range(shown)} == {str(zhangsan.id)}

    page.click("#stats-export-button")
    page.wait_for_selector("#stats-export-job[data-state='done']")
    with page.expect_download() as download:
        page.click("#stats-export-download")
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()), read_only=True).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert len(rows) == 1 + shown
    assert {r[0] for r in rows[1:]} == {zhangsan.id}
    assert all("*" in r[2] and r[4] == employer for r in rows[1:]), "masked ID numbers, the employer"
    context.close()
