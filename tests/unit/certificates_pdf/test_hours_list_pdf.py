"""The printable list of all hours: many pages, the column header on each, totals at the end."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from xueshi_certificates.pdf import HoursListing, render_hours_list_pdf, rows_from_lines

from .pdftools import pdf_info, pdf_text

REASONS = ("counted", "counted", "daily_cap", "counted", "wrong_category")


def listing(rows: int) -> HoursListing:
    lines = [
        SimpleNamespace(
            day=date(2026, 1, 1) + timedelta(days=i % 365),
            title=f"课程{i:03d} 职业道德与法律法规",
            source="video" if i % 3 else "course_completion",
            category="professional" if i % 2 else "public",
            hours=Decimal("0.5") if REASONS[i % 5] == "counted" else Decimal(0),
            reason=REASONS[i % 5],
        )
        for i in range(rows)
    ]
    return HoursListing(
        learner_name="张晓梅",
        holder_id_masked="330106********1234",
        period_label="2026年",
        unit_label="学时",
        rows=rows_from_lines(lines),
        rule_title="浙江省专业技术人员继续教育学时规定（2015）",
        generated_on=date(2027, 1, 5),
        totals=(("公需科目", Decimal("30")), ("合计", Decimal("150"))),
    )


def test_five_hundred_rows_span_pages_each_with_the_column_header(tmp_path):
    pdf = render_hours_list_pdf(listing(500))
    pages = [page for page in pdf_text(pdf, tmp_path).split("\f") if page.strip()]
    assert len(pages) == int(pdf_info(pdf, tmp_path)["Pages"]) > 5
    with_rows = [page for page in pages if "职业道德与法律法规" in page]
    assert len(with_rows) >= len(pages) - 1  # the totals may run onto a last page of their own
    for page in with_rows:
        assert "是否计入 / 原因" in page and "序号" in page
    for number, page in enumerate(pages, start=1):
        assert f"第 {number} 页" in page and f"共 {len(pages)} 页" in page
    flat = " ".join("".join(pages).split())
    assert "课程000" in flat and "课程499" in flat and "超出每日上限" in flat and "合计 150 学时" in flat


def test_empty_period_prints_one_page_saying_so(tmp_path):
    pdf = render_hours_list_pdf(listing(0))
    assert pdf_info(pdf, tmp_path)["Pages"] == "1"
    assert "本周期暂无学时记录" in pdf_text(pdf, tmp_path)
