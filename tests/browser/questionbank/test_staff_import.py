"""In Chromium: a staff member imports a bad file, reads the per-row report, then imports a good one."""

from __future__ import annotations

from typing import Any

import pytest
from xueshi_questionbank import tabular
from xueshi_questionbank.demo import demo_rows
from xueshi_questionbank.models import Question

from tests.browser.conftest import sign_in
from xueshi_core.demo import DEMO_COURSE_KEY

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(rows: list[list[Any]]) -> dict[str, Any]:
    """A file for the upload input."""
    return {"name": "新题.xlsx", "mimeType": XLSX, "buffer": tabular.write_xlsx(rows)}


@pytest.fixture
def staff_page(browser: Any, seeded_live_server: Any) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = sign_in(context, seeded_live_server.url, "operator")
    yield page
    context.close()


def test_staff_imports_a_file_and_sees_the_report(staff_page: Any, seeded_live_server: Any) -> None:
    page = staff_page
    base = f"{seeded_live_server.url}/xueshi/questionbank/{DEMO_COURSE_KEY}/"
    page.goto(base)
    assert page.locator("h1").inner_text().startswith("试题")
    before = Question.objects.count()
    rows = [list(r) for r in demo_rows()[:40]]
    for r in rows:
        r[1] = "新题：" + r[1]
    rows[6][0] = "论述题"
    rows[20][8] = "Z"
    page.click("text=导入")
    page.set_input_files("input[name=file]", files=[upload(rows)])
    page.click("form >> button[type=submit]")
    report = page.locator(".import-report")
    report.wait_for()
    assert "未导入任何试题" in report.inner_text()
    cells = page.locator(".import-errors tbody tr").all_inner_texts()
    assert len(cells) == 2
    assert cells[0].split("\t")[:2] == ["8", "题型"] and "论述题" in cells[0]
    assert cells[1].split("\t")[:2] == ["22", "答案"]
    assert Question.objects.count() == before
    rows[6][0], rows[20][8] = "单选题", "A"
    rows[6][8] = rows[6][8] if rows[6][2] else "A"
    good = [r for i, r in enumerate(rows) if i != 6]
    page.set_input_files("input[name=file]", files=[upload(good)])
    page.click("form >> button[type=submit]")
    page.locator(".import-report.ok").wait_for()
    assert "新增 39 道" in page.locator(".import-report").inner_text()
    assert Question.objects.count() == before + 39
    page.goto(base + "?q=新题")
    assert page.locator("table.questions tbody tr").count() == 39
    with page.expect_download() as download:
        page.click("text=导出（xlsx）")
    assert download.value.suggested_filename.endswith(".xlsx")
