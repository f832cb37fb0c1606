"""The printable document of a certificate (``pdf.CertificateDocument``), built from its snapshot only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from . import links, snapshot
from .models import Certificate


def document_fields(cert: Certificate) -> dict[str, Any]:
    """The ``CertificateDocument`` fields (CONTRACTS.md), as a dict: testable without the renderer."""
    snap = cert.snapshot
    return {
        "serial": cert.serial,
        "title": snapshot.title(snap),
        "holder_name": snap["holder"]["name"],
        "holder_id_masked": snap["holder"]["id_masked"],
        "body": snapshot.body(snap),
        "period_label": snap["period"]["label"],
        "unit_label": snapshot.unit_label(snap),
        "total": Decimal(snap["total"]),
        "by_category": snapshot.by_category_labelled(snap),
        "courses": [(title, Decimal(hours)) for title, hours in snap.get("courses", [])],
        "issuer_name": snap["issuer"]["name"],
        "issued_on": date.fromisoformat(snap["issued_on"]),
        "verify_url": links.verify_url(cert.serial, cert.check_code),
        "check_code": cert.check_code,
    }


def render_pdf(cert: Certificate) -> bytes:
    """The certificate's PDF, by the ``pdf`` subpackage (rendering only; imported when needed)."""
    from .pdf import CertificateDocument, render_certificate_pdf

    return bytes(render_certificate_pdf(CertificateDocument(**document_fields(cert))))
