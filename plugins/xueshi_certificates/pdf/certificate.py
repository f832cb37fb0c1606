"""One-page A4 certificates: the document's fields into the operator's template, then PDF.

The page must hold any number of courses: the template prints at most
``CertificateTemplate.max_courses`` rows and "等 N 门课程"; if the operator's layout still spills
onto a second page, fewer rows are tried (halving) until it fits, and an error names the
template when even none fit. Output is reproducible: the PDF's dates come from ``issued_on`` and
its identifier from its content (ADR 0128).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Any

from django.template import Context
from django.utils.safestring import mark_safe

from .conf import default_template
from .data import CertificateDocument, CertificateTemplate
from .engine import Renderer, pdf_dates
from .errors import PdfTemplateError
from .qr import qr_svg
from .templates import ResolvedTemplate, resolve
from .text import capped_courses, chinese_date, hours_text, pairs

DEFAULT_CSS = "certificate.css"


class CertificateRenderer:
    """Renders certificates with one template; keeps fonts, CSS and images between documents."""

    def __init__(self, template: CertificateTemplate) -> None:
        """Check the template's files now, so a bad path fails before the first certificate."""
        self.choice = template
        self.resolved: ResolvedTemplate = resolve(template, DEFAULT_CSS)
        self.renderer = Renderer(self.resolved.stylesheets, self.resolved.roots, self.resolved.css)

    def html(self, doc: CertificateDocument, course_limit: int) -> str:
        """The certificate's HTML with at most ``course_limit`` course rows."""
        courses, course_count = capped_courses(doc.courses, course_limit)
        context: dict[str, Any] = {
            "doc": doc,
            "labels": self.choice.all_labels(),
            "head_meta": mark_safe(pdf_dates(doc.issued_on)),  # noqa: S308 — our own ISO date
            "total": hours_text(doc.total),
            "by_category": [{"name": name, "hours": hours_text(hours)} for name, hours in doc.by_category],
            "course_rows": pairs(courses),
            "course_count": course_count,
            "courses_hidden": course_count - len(courses),
            "issued_on": chinese_date(doc.issued_on),
            # Vector, not a PNG: a pixelated 41-pixel image scaled to 26 mm no longer decodes when a
            # viewer shows it at 100-150 dpi (uneven module widths); the SVG decodes at any size.
            "qr": mark_safe(qr_svg(doc.verify_url)),  # noqa: S308 — segno's SVG of a checked URL
            "logo": self.resolved.logo_uri,
            "seal": self.resolved.seal_uri,
        }
        return str(self.resolved.template.render(Context(context, autoescape=True)))

    def render(self, doc: CertificateDocument) -> bytes:
        """The certificate as PDF bytes, always one page."""
        limit = max(self.choice.max_courses, 0)
        base = self.resolved.roots[0]
        while True:
            document = self.renderer.layout(self.html(doc, limit), base)
            if len(document.pages) == 1:
                return self.renderer.write(document)
            if limit == 0:
                raise PdfTemplateError(
                    "does_not_fit",
                    f"certificate {doc.serial} does not fit one page with template {self.choice.html!r}",
                )
            limit //= 2


@functools.lru_cache(maxsize=8)
def renderer_for(template: CertificateTemplate) -> CertificateRenderer:
    """One renderer per template per process, so single downloads also skip the set-up."""
    return CertificateRenderer(template)


def render_certificate_pdf(doc: CertificateDocument, template: CertificateTemplate | None = None) -> bytes:
    """One A4 page of PDF for ``doc`` with ``template`` (default: the operator's settings)."""
    return renderer_for(template or default_template()).render(doc)


def render_many(
    docs: Iterable[CertificateDocument], template: CertificateTemplate | None = None
) -> Iterator[tuple[str, bytes]]:
    """``(serial, pdf)`` for each document, lazily, with one renderer for the whole batch."""
    renderer = renderer_for(template or default_template())
    for doc in docs:
        yield doc.serial, renderer.render(doc)
