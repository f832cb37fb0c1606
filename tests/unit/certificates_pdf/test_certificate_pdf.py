"""A certificate read back as a person and a phone read it: its text, one A4 page, its QR code."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from django.test import override_settings

from xueshi_certificates.pdf import PdfTemplateError, render_certificate_pdf, render_many
from xueshi_certificates.pdf.conf import default_template
from xueshi_certificates.pdf.fonts import gb2312_characters

from .pdftools import make_doc, pdf_info, pdf_text, qr_codes


def test_certificate_prints_name_masked_id_serial_and_hours_by_category(tmp_path):
    text = pdf_text(render_certificate_pdf(make_doc()), tmp_path)
    flat = " ".join(text.split())
    for expected in (
        "张晓梅",
        "330106********1234",
        "ZJ330100-2026-000123-7",
        "2026年度专业技术人员继续教育学时证明",
    ):
        assert expected in flat
    assert "公需科目 30" in flat and "专业科目 62.5" in flat and "合计 92.5" in flat  # no trailing zeros
    assert "扫码查验真伪" in flat and "K7P2QX" in flat and "2027年1月5日" in flat
    assert "安全生产法律法规与典型事故案例分析（第6讲）" in flat


def test_qr_code_scanned_from_the_rendered_page_is_the_verification_url(tmp_path):
    doc = make_doc()
    assert qr_codes(render_certificate_pdf(doc), tmp_path) == [doc.verify_url]


def test_two_hundred_courses_stay_on_one_a4_page_ending_with_the_count(tmp_path):
    pdf = render_certificate_pdf(make_doc(courses=200))
    info = pdf_info(pdf, tmp_path)
    assert info["Pages"] == "1" and info["Page size"].startswith("595.")  # A4: 595.28 x 841.89 pt
    flat = " ".join(pdf_text(pdf, tmp_path).split())
    assert "等 200 门课程" in flat
    assert "安全生产法律法规与典型事故案例分析（… 1.5学时" in flat  # two columns: titles cut to one line each


def test_same_certificate_renders_to_the_same_bytes_dated_by_its_issue_day(tmp_path):
    first, second = render_certificate_pdf(make_doc()), render_certificate_pdf(make_doc())
    assert first == second
    assert "2027" in pdf_info(first, tmp_path)["CreationDate"]
    assert render_certificate_pdf(make_doc(holder_name="李四")) != first


def test_rare_character_outside_gb2312_prints_through_the_full_font(tmp_path):
    rare = "喆"
    assert ord(rare) not in set(gb2312_characters())  # the compact font lacks it: the fallback must print it
    text = pdf_text(render_certificate_pdf(make_doc(holder_name=f"王{rare}")), tmp_path)
    assert f"王{rare}" in "".join(text.split())


def test_render_many_yields_each_serial_with_its_own_pdf(tmp_path):
    docs = [make_doc(serial=f"ZJ-2026-{i:06d}", holder_name=f"学员{i}") for i in range(3)]
    out = list(render_many(docs))
    assert [serial for serial, _ in out] == ["ZJ-2026-000000", "ZJ-2026-000001", "ZJ-2026-000002"]
    assert "学员2" in pdf_text(out[2][1], tmp_path)


def test_operator_labels_and_colours_come_from_settings(tmp_path):
    with override_settings(
        XUESHI_CERTIFICATES_PDF_TEMPLATE={"labels": {"issuer": "发证机构"}, "primary_color": "#123456"}
    ):
        template = default_template()
        text = pdf_text(render_certificate_pdf(make_doc(), template), tmp_path)
    assert "发证机构" in text and "发证单位" not in text


@pytest.mark.parametrize(
    ("setting", "reason", "named"),
    [
        (
            {"directory": "/nonexistent/xueshi-templates"},
            "template_not_found",
            "/nonexistent/xueshi-templates",
        ),
        ({"html": "no-such-certificate.html"}, "template_not_found", "no-such-certificate.html"),
        ({"seal": "/nonexistent/seal.png"}, "image_not_found", "/nonexistent/seal.png"),
        ({"logo": "/etc/hostname"}, "image_type_not_allowed", "/etc/hostname"),
        ({"stylesheet": "/nonexistent/extra.css"}, "template_not_found", "/nonexistent/extra.css"),
        ({"primary_color": "red; } body { display: none"}, "bad_colour", "red"),
        ({"sael": "/typo"}, "bad_setting", "sael"),
    ],
)
def test_bad_template_setting_is_a_clear_error_naming_the_path(setting, reason, named):
    with (
        override_settings(XUESHI_CERTIFICATES_PDF_TEMPLATE=setting),
        pytest.raises(PdfTemplateError) as caught,
    ):
        render_certificate_pdf(make_doc())
    assert caught.value.reason == reason and named in str(caught.value)


def test_operator_template_cannot_fetch_from_the_network(tmp_path):
    (tmp_path / "certificate.html").write_text(
        '<html><body><img src="http://203.0.113.9/track.png">{{ doc.holder_name }}</body></html>',
        encoding="utf-8",
    )
    setting = {"directory": str(tmp_path)}
    with (
        override_settings(XUESHI_CERTIFICATES_PDF_TEMPLATE=setting),
        pytest.raises(PdfTemplateError) as caught,
    ):
        render_certificate_pdf(make_doc())
    assert caught.value.reason == "resource_outside_template" and "203.0.113.9" in str(caught.value)


def test_operator_template_in_its_directory_replaces_the_builtin_one(tmp_path):
    (tmp_path / "certificate.html").write_text(
        "<html><body><p>本单位证书 {{ doc.serial }} {{ doc.holder_name }}</p>{{ qr }}</body></html>",
        encoding="utf-8",
    )
    with override_settings(XUESHI_CERTIFICATES_PDF_TEMPLATE={"directory": str(tmp_path)}):
        pdf = render_certificate_pdf(make_doc())
    assert "本单位证书 ZJ330100-2026-000123-7 张晓梅" in pdf_text(pdf, tmp_path)


def test_qr_refuses_anything_but_a_short_http_url():
    with pytest.raises(ValueError, match="http"):
        render_certificate_pdf(make_doc(verify_url="javascript:alert(1)"))
    with pytest.raises(ValueError):
        render_certificate_pdf(make_doc(verify_url="https://x.cn/" + "a" * 300))


def test_hours_print_without_exponent_or_trailing_zeros():
    from xueshi_certificates.pdf.text import hours_text

    assert [hours_text(v) for v in (Decimal("100"), Decimal("90.00"), Decimal("0.50"), 3)] == [
        "100",
        "90",
        "0.5",
        "3",
    ]
    assert replace(make_doc(), total=Decimal("1E+2")).total == Decimal(100)
