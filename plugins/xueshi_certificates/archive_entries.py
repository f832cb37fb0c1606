"""The certificates' entries in the learning archive (学习档案, ``xueshi_hours`` ADR 0115).

Named on the AppConfig as ``xueshi_archive_hook``: the archive (in ``xueshi_hours``) calls it
through Django's app registry, so hours never import this app and the spine stays one way.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from . import links, snapshot
from .models import Certificate


def archive_entries(user_id: int, start: date, end: date) -> list[dict[str, Any]]:
    """The learner's certificates of the period starting ``start`` (yearly and per course), as mappings."""
    rows = Certificate.objects.filter(user_id=user_id, period_year=start.year).order_by("-issued_at")
    entries = []
    for cert in rows:
        state = _("Revoked") if cert.is_revoked else _("Valid")
        total = f"{cert.snapshot.get('total', '')} {snapshot.unit_label(cert.snapshot)}"
        entries.append(
            {
                "kind": "certificate",
                "title": snapshot.title(cert.snapshot),
                "day": date.fromisoformat(cert.snapshot["issued_on"])
                if cert.snapshot.get("issued_on")
                else None,
                "url": reverse("xueshi_certificates:download", args=[cert.serial]),
                "public_url": links.verify_url(cert.serial, cert.check_code),
                "detail": f"{cert.serial} · {total} · {state}",
                "ref": cert.serial,
            }
        )
    return entries
