"""Certificate and hours-list PDFs: rendering only (no models, no URLs).

The certificates app builds a ``CertificateDocument`` from its row and calls
``render_certificate_pdf`` (a download) or ``render_many`` (a batch); the learning archive builds
an ``HoursListing`` and calls ``render_hours_list_pdf``. Design: ADR 0128 (WeasyPrint + Noto CJK,
reproducible output) and ADR 0129 (batches reuse fonts and CSS).
"""

from __future__ import annotations

from .certificate import render_certificate_pdf, render_many
from .data import CertificateDocument, CertificateTemplate, HoursListing, HoursRow
from .errors import PdfTemplateError
from .hours_list import render_hours_list_pdf, rows_from_lines
from .qr import qr_png, qr_svg

__all__ = [
    "CertificateDocument",
    "CertificateTemplate",
    "HoursListing",
    "HoursRow",
    "PdfTemplateError",
    "qr_png",
    "qr_svg",
    "render_certificate_pdf",
    "render_hours_list_pdf",
    "render_many",
    "rows_from_lines",
]
