"""Settings of the certificate PDFs, read at call time so ``override_settings`` and operators win.

``XUESHI_CERTIFICATES_PDF_TEMPLATE`` is a dict of ``CertificateTemplate`` fields, e.g.::

    XUESHI_CERTIFICATES_PDF_TEMPLATE = {
        "directory": "/openedx/data/xueshi/certificates",   # holds certificate.html (optional)
        "logo": "/openedx/data/xueshi/certificates/logo.png",
        "seal": "/openedx/data/xueshi/certificates/seal.svg",
        "primary_color": "#8b0000",
        "labels": {"issuer": "发证机构"},
        "stamping": False,  # lay every certificate out in full (default True: ADR 0360)
    }

Unset keys keep the built-in design (our own SVG logo and seal).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

from .data import CertificateTemplate
from .errors import PdfTemplateError

PATH_FIELDS = ("directory", "stylesheet", "logo", "seal")
TEXT_FIELDS = ("html", "primary_color", "text_color")


def template_from_dict(values: dict[str, Any]) -> CertificateTemplate:
    """A ``CertificateTemplate`` from a settings dict; unknown keys are a configuration error."""
    known = {*PATH_FIELDS, *TEXT_FIELDS, "labels", "max_courses", "stamping"}
    unknown = sorted(set(values) - known)
    if unknown:
        raise PdfTemplateError("bad_setting", f"unknown certificate template settings: {', '.join(unknown)}")
    kwargs: dict[str, Any] = {name: Path(values[name]) for name in PATH_FIELDS if values.get(name)}
    kwargs.update({name: str(values[name]) for name in TEXT_FIELDS if values.get(name)})
    if "labels" in values:
        kwargs["labels"] = tuple(sorted((str(k), str(v)) for k, v in dict(values["labels"]).items()))
    if "max_courses" in values:
        kwargs["max_courses"] = int(values["max_courses"])
    if "stamping" in values:
        kwargs["stamping"] = bool(values["stamping"])
    return CertificateTemplate(**kwargs)


def default_template() -> CertificateTemplate:
    """The operator's template from ``XUESHI_CERTIFICATES_PDF_TEMPLATE``, else the built-in one."""
    return template_from_dict(dict(getattr(settings, "XUESHI_CERTIFICATES_PDF_TEMPLATE", {}) or {}))
