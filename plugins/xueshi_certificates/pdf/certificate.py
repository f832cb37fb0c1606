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
from types import SimpleNamespace
from typing import Any

from django.template import Context
from django.utils.safestring import mark_safe

from .conf import default_template
from .data import CertificateDocument, CertificateTemplate
from .engine import Renderer, pdf_dates
from .errors import PdfTemplateError
from .marks import STAMPED_FIELDS, Marker
from .qr import qr_svg
from .stamper import Stamper
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
        self.stamper = Stamper(self) if template.stamping else None

    def context(
        self, doc: CertificateDocument, course_limit: int, mark: Marker | None = None
    ) -> dict[str, Any]:
        """The template's context; ``mark`` receives every value that differs between certificates.

        The overlay (ADR 0360) passes a ``Marker`` that wraps those values so that it can find them
        in the layout, and reads them back from it for each certificate.
        """
        mark = mark or Marker()
        courses, course_count = capped_courses(doc.courses, course_limit)
        rows = [
            {"title": mark(f"c{n}.t", row["title"]), "hours": mark(f"c{n}.h", row["hours"])}
            for n, row in enumerate(courses)
        ]
        fields = {name: getattr(doc, name) for name in doc.__dataclass_fields__}
        fields.update({name: mark(name, fields[name]) for name in STAMPED_FIELDS})
        return {
            "doc": SimpleNamespace(**fields),
            "labels": self.choice.all_labels(),
            "head_meta": mark_safe(pdf_dates(doc.issued_on)),  # noqa: S308 — our own ISO date
            "total": mark("total", hours_text(doc.total)),
            "by_category": [
                {"name": name, "hours": mark(f"cat{n}", hours_text(hours))}
                for n, (name, hours) in enumerate(doc.by_category)
            ],
            "course_rows": pairs(rows),
            "course_count": mark("course_count", course_count) if course_count else 0,
            "courses_hidden": course_count - len(courses),
            "issued_on": mark("issued_on", chinese_date(doc.issued_on)),
            # Vector, not a PNG: a pixelated 41-pixel image scaled to 26 mm no longer decodes when a
            # viewer shows it at 100-150 dpi (uneven module widths); the SVG decodes at any size.
            # Called by the template when it prints it: the stamped path draws its own (ADR 0360).
            "qr": functools.partial(_qr_element, mark.qr_url(doc.verify_url)),
            "logo": self.resolved.logo_uri,
            "seal": self.resolved.seal_uri,
        }

    def html(self, doc: CertificateDocument, course_limit: int, mark: Marker | None = None) -> str:
        """The certificate's HTML with at most ``course_limit`` course rows."""
        context = self.context(doc, course_limit, mark)
        return str(self.resolved.template.render(Context(context, autoescape=True)))

    def render(self, doc: CertificateDocument) -> bytes:
        """The certificate as PDF bytes, always one page: stamped when the template allows it."""
        if self.stamper is not None:
            pdf = self.stamper.render(doc)
            if pdf is not None:
                return pdf
        return self.render_full(doc)

    def layout(self, doc: CertificateDocument, mark: Marker | None = None) -> tuple[Any, int]:
        """WeasyPrint's one-page layout of ``doc`` and the course rows it holds (halved until it fits)."""
        limit = max(self.choice.max_courses, 0)
        base = self.resolved.roots[0]
        while True:
            document = self.renderer.layout(self.html(doc, limit, mark), base)
            if len(document.pages) == 1:
                return document, limit
            if limit == 0:
                raise PdfTemplateError(
                    "does_not_fit",
                    f"certificate {doc.serial} does not fit one page with template {self.choice.html!r}",
                )
            limit //= 2

    def render_full(self, doc: CertificateDocument) -> bytes:
        """The certificate laid out and written by WeasyPrint alone (ADR 0128)."""
        return self.renderer.write(self.layout(doc)[0])


def _qr_element(url: str) -> str:
    return str(mark_safe(qr_svg(url)))  # noqa: S308 — segno's SVG of a checked URL


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
