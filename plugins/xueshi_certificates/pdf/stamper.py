"""The overlay path: static pages per template and layout shape, stamped per certificate (ADR 0360).

A *shape* is what decides the layout apart from the stamped values: the texts shared by a batch
(title, period, unit, issuer, category names), how many course rows print, which stamped values
are blank, and how many lines the sentence citing the rule takes. Each shape is laid out by
WeasyPrint once (two probes, ``overlay.analyse``) and its static page written once; every other
certificate of that shape is the static page plus its text and QR code (``stamp.stamp``). A shape
the overlay cannot express, a value that would not fit, or a character the compact font lacks
sends that certificate to the full WeasyPrint rendering, so the output is always right.
"""

from __future__ import annotations

import io
import logging
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

import pikepdf

from .cidfont import FontMetrics, metrics
from .engine import TRIM_EVERY, release_freed_memory
from .errors import PdfTemplateError
from .fonts import compact_font
from .marks import STAMPED_FIELDS, Marker
from .overlay import NotExpressible, Recipe, analyse, page_text, split_lines, strip
from .stamp import TooWide, stamp

if TYPE_CHECKING:
    from .certificate import CertificateRenderer
    from .data import CertificateDocument

log = logging.getLogger(__name__)

KEEP_SHAPES = 64  # static pages kept per template (≈ 50 KB each)
INFO_KEYS = ("/Title", "/Author", "/Subject", "/Keywords")
MISSING: Any = object()  # not in a cache yet (``None`` there means: render in full)


class _Lru(OrderedDict):  # type: ignore[type-arg]
    def remember(self, key: Any, value: Any) -> Any:
        self[key] = value
        if len(self) > KEEP_SHAPES:
            self.popitem(last=False)
        return value


class Stamper:
    """Stamped certificates for one ``CertificateRenderer`` (its template, fonts and lock)."""

    def __init__(self, owner: CertificateRenderer) -> None:
        """No compact font (no HarfBuzz subsetter): nothing is stamped, everything renders in full."""
        self.owner = owner
        path = compact_font()
        self.font: FontMetrics | None = metrics(path) if path else None
        self.plans = _Lru()  # base shape → course rows that fit, or None (not expressible)
        self.geometry = _Lru()  # base shape → {paragraph key: (style, width, indent)}
        self.recipes = _Lru()  # base shape + paragraph line counts → Recipe, or None
        self.stamped = 0

    def base_shape(self, doc: CertificateDocument) -> tuple[Any, ...]:
        """Everything but the stamped values and the paragraph's line count that shapes the page."""
        most = max(self.owner.choice.max_courses, 0)
        return (
            doc.title,
            doc.period_label,
            doc.unit_label,
            doc.issuer_name,
            tuple(name for name, _ in doc.by_category),
            min(len(doc.courses), most),
            len(doc.courses) > most,
            tuple(bool(getattr(doc, name)) for name in STAMPED_FIELDS),
            tuple(bool(title) for title, _ in doc.courses[:most]),
        )

    def render(self, doc: CertificateDocument) -> bytes | None:
        """The stamped PDF of ``doc``, or ``None`` when it must be rendered in full."""
        if self.font is None:
            return None
        base = self.base_shape(doc)
        limit, plain = self.plans.get(base, MISSING), None
        if limit is MISSING:
            limit, plain = self._plan(doc)
            self.plans.remember(base, limit)
        if limit is None:
            return None
        marker = Marker()
        self.owner.context(doc, limit, marker)
        lines: dict[str, list[str]]
        geometry = self.geometry.get(base)
        if geometry is not None:
            with self.owner.renderer.lock:
                lines = {
                    key: split_lines(marker.values[key], style, width, indent)
                    for key, (style, width, indent) in geometry.items()
                }
            shape = (base, tuple(len(lines[key]) for key in sorted(lines)))
            recipe = self.recipes.get(shape, MISSING)
            if recipe is MISSING:
                recipe = self._build(doc, limit, shape, plain)
        else:
            recipe = self._build(doc, limit, None, plain)
            if recipe is None:  # the shape's first certificate: the whole shape renders in full
                self.plans.remember(base, None)
                return None
            self.geometry.remember(base, {p.key: (p.style, p.width, p.indent) for p in recipe.paragraphs})
            with self.owner.renderer.lock:
                lines = {
                    p.key: split_lines(marker.values[p.key], p.style, p.width, p.indent)
                    for p in recipe.paragraphs
                }
            self.recipes.remember((base, tuple(len(lines[key]) for key in sorted(lines))), recipe)
        if recipe is None:
            return None
        try:
            pdf = stamp(recipe, self.font, marker.values, lines, doc.verify_url, doc.issued_on)
        except (KeyError, TooWide):  # a character outside the compact font, or a value too wide
            return None
        self.stamped += 1
        if self.stamped % TRIM_EVERY == 0:  # as the full path does: keeps the resident set flat
            release_freed_memory()
        return pdf

    def _plan(self, doc: CertificateDocument) -> tuple[int | None, Any]:
        """How many course rows fit for this shape (the full layout's halving), and that layout."""
        try:
            document, limit = self.owner.layout(doc)
        except PdfTemplateError:  # does not fit: the full rendering reports it with its reason
            return None, None
        return limit, document

    def _build(self, doc: CertificateDocument, limit: int, shape: Any, plain: Any) -> Recipe | None:
        """Lay ``doc`` out as printed and twice marked, read the recipe, write the static page.

        ``None`` when the overlay cannot express the shape. ``plain`` is the layout as printed
        (the plan's, for a shape's first certificate): marked, the page must read the same, which
        catches a template that transforms a value (a filter would cut into the mark instead).
        """
        renderer, base_url = self.owner.renderer, self.owner.resolved.roots[0]
        if plain is None:
            plain = renderer.layout(self.owner.html(doc, limit), base_url)
        probe_a, probe_b = Marker(wrap=True), Marker(wrap=True, shorten=True)
        layout_a = renderer.layout(self.owner.html(doc, limit, probe_a), base_url)
        layout_b = renderer.layout(self.owner.html(doc, limit, probe_b), base_url)
        try:
            assert self.font is not None
            if page_text(plain) != page_text(layout_a):
                raise NotExpressible("the page reads differently with marked values (a template filter?)")
            recipe, drop = analyse(layout_a, layout_b, probe_a.values, self.font)
        except NotExpressible as reason:
            log.info(
                "certificate template %r rendered in full for this shape: %s", self.owner.choice.html, reason
            )
            if shape is not None:
                self.recipes.remember(shape, None)
            return None
        strip(drop)
        recipe.static_pdf = renderer.write(layout_a)
        with pikepdf.open(io.BytesIO(recipe.static_pdf)) as pdf:
            recipe.info = {key: str(pdf.docinfo[key]) for key in INFO_KEYS if key in pdf.docinfo}
        if shape is not None:
            self.recipes.remember(shape, recipe)
        return recipe
