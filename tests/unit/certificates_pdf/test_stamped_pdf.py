"""Stamped certificates (ADR 0360) read back like the full rendering: text, QR code, and the page."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PIL import Image, ImageChops, ImageFilter

from xueshi_certificates.pdf.certificate import CertificateRenderer
from xueshi_certificates.pdf.conf import default_template

from .pdftools import make_doc, page_image, pdf_info, pdf_text, qr_codes

INK = 64  # grey levels: a pixel differs when it is this much darker or lighter than any neighbour


@pytest.fixture(scope="module")
def renderer():
    return CertificateRenderer(default_template())


def stamped(renderer, doc) -> bytes:
    pdf = renderer.stamper.render(doc)
    assert pdf is not None, "the built-in template must be stamped, not rendered in full"
    return pdf


def off_pixels(first: Image.Image, second: Image.Image) -> int:
    """Pixels of either page darker or lighter by ``INK`` than every pixel around the same place in the other.

    Within one pixel of each other is the same drawing: the overlay positions text to a hundredth
    of a point, and anti-aliasing of a glyph a fraction of a pixel away differs in its edges only.
    """
    off = 0
    for one, other in ((first, second), (second, first)):
        darker = ImageChops.subtract(other.filter(ImageFilter.MinFilter(3)), one)
        lighter = ImageChops.subtract(one, other.filter(ImageFilter.MaxFilter(3)))
        off += sum(sum(image.histogram()[INK:]) for image in (darker, lighter))
    return off


def test_stamped_text_is_searchable_with_this_certificates_name_and_serial(renderer, tmp_path):
    renderer.stamper.render(make_doc())  # the shape's static page comes from another holder
    doc = make_doc(holder_name="欧阳晓梅", serial="ZJ330100-2026-004711-3", check_code="Q9W8E7")
    flat = " ".join(pdf_text(stamped(renderer, doc), tmp_path).split())
    for expected in (
        "证书编号：ZJ330100-2026-004711-3",
        "欧阳晓梅",
        "查验码：Q9W8E7",
        "合计 92.5",
        "2027年1月5日",
    ):
        assert expected in flat
    assert "张晓梅 " not in flat and "K7P2QX" not in flat  # nothing of the probe's holder is left


def test_stamped_qr_code_scans_to_this_certificates_verification_url(renderer, tmp_path):
    doc = make_doc(verify_url="https://xueshi.example.cn/verify/ZJ330100-2026-000777-1?c=M3N4P5")
    assert qr_codes(stamped(renderer, doc), tmp_path) == [doc.verify_url]


def test_stamped_page_looks_like_the_full_rendering(renderer, tmp_path):
    renderer.stamper.render(make_doc(holder_name="李四"))
    doc = make_doc(courses=12, holder_name="司马相如", total=make_doc().total + 1)
    full_pdf, stamped_pdf = renderer.render_full(doc), stamped(renderer, doc)
    full = page_image(full_pdf, tmp_path / "full")
    assert off_pixels(page_image(stamped_pdf, tmp_path / "stamp"), full) == 0
    claims = ("PDF version", "Title", "Author", "CreationDate", "Page size", "Tagged")
    assert {k: pdf_info(stamped_pdf, tmp_path)[k] for k in claims} == {
        k: pdf_info(full_pdf, tmp_path)[k] for k in claims
    }
    other = page_image(renderer.render_full(replace(doc, holder_name="司马相")), tmp_path / "other")
    assert off_pixels(other, full) > 30  # the comparison does see one character less


def test_templates_and_names_the_overlay_cannot_print_fall_back_to_the_full_rendering(renderer, tmp_path):
    doc = make_doc(holder_name="王喆")  # 喆 is not in the compact font
    assert renderer.stamper.render(doc) is None
    assert renderer.render(doc) == renderer.render_full(doc)
    off = CertificateRenderer(replace(default_template(), stamping=False))
    assert off.stamper is None and off.render(make_doc()) == off.render_full(make_doc())
    css = tmp_path / "auto.css"  # columns sized by their content: the page moves with each name
    css.write_text(".holder { table-layout: auto; }", encoding="utf-8")
    auto = CertificateRenderer(replace(default_template(), stylesheet=css))
    assert auto.stamper.render(make_doc()) is None and auto.render(make_doc()) == auto.render_full(make_doc())
