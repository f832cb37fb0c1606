"""Masked xlsx export of real-name profiles: what leaves the platform never carries full values.

Cells are written by ``xueshi_core.spreadsheets`` (an employer like ``=HYPERLINK(...)`` stays text).
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from xueshi_core.masking import mask_name
from xueshi_core.spreadsheets import append_row

from . import divisions, idnumbers
from .models import IdentityProfile


def export_rows(profiles: Iterable[IdentityProfile]) -> list[list[str]]:
    """One masked row per profile (name, ID number and phone masked; codes and names of regions)."""
    rows = []
    for p in profiles:
        region = [c for c in (p.province_code, p.city_code, p.county_code) if c]
        rows.append(
            [
                p.user.username,
                mask_name(p.real_name),
                idnumbers.ID_TYPES.get(p.id_type, p.id_type),
                p.id_number_masked,
                p.phone_masked,
                " / ".join(region),
                " ".join(divisions.name_of(c) for c in region),
                p.employer,
                p.category.name if p.category_id else "",
                _("complete") if p.completed_at else _("incomplete"),
            ]
        )
    return rows


def export_workbook(profiles: Iterable[IdentityProfile]) -> bytes:
    """The masked rows as an xlsx workbook."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "profiles"
    append_row(
        sheet,
        [
            _("Username"),
            _("Real name"),
            _("ID type"),
            _("ID number"),
            _("Mobile phone"),
            _("Region codes"),
            _("Region"),
            _("Employer"),
            _("Personnel category"),
            _("Status"),
        ],
    )
    for row in export_rows(profiles):
        append_row(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
