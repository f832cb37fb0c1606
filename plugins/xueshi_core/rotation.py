"""Re-encrypt every stored personal-data token with the newest key (after a key is added).

Rotation steps for operators (docs/operators/personal-data.md): put a new key first in
``XUESHI_DATA_KEYS`` and keep the old ones, restart, run ``manage.py lms xueshi_rotate_data_keys``,
then remove the old keys. Each row is updated with a compare-and-set on its old token, so a row a
learner changes meanwhile is never overwritten with stale data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.db.models.functions import Cast

from . import crypto
from .fields import Sealed, encrypted_fields


@dataclass
class RotationReport:
    """What one encrypted column went through."""

    model: str
    field: str
    rotated: int = 0
    skipped: int = 0  # changed concurrently: the new value is already under the new key
    failed: list[tuple[object, str]] = field(default_factory=list)  # (pk, reason): tampered or unknown key


def _pending(model: type[models.Model], name: str, prefix: str) -> models.QuerySet[models.Model]:
    return (
        model._default_manager.exclude(**{f"{name}__isnull": True})
        .exclude(**{f"{name}__startswith": prefix})
        .annotate(_xueshi_raw=Cast(models.F(name), output_field=models.TextField()))
    )


def rotate_column(
    model: type[models.Model], name: str, *, batch_size: int = 500, dry_run: bool = False
) -> RotationReport:
    """Re-encrypt one column, ``batch_size`` rows per query, in primary-key order."""
    report = RotationReport(model._meta.label, name)
    prefix = f"{crypto.VERSION}.{crypto.current_key_id()}."
    last_pk: object = None
    while True:
        queryset = _pending(model, name, prefix).order_by("pk")
        if last_pk is not None:
            queryset = queryset.filter(pk__gt=last_pk)
        rows = list(queryset.values_list("pk", "_xueshi_raw")[:batch_size])
        if not rows:
            return report
        for pk, token in rows:
            last_pk = pk
            try:
                new_token = crypto.rotate(token)
            except crypto.CryptoError as exc:
                report.failed.append((pk, f"{type(exc).__name__}: {exc}"))
                continue
            if dry_run:
                report.rotated += 1
                continue
            updated = model._default_manager.filter(pk=pk, **{name: Sealed(token)}).update(
                **{name: Sealed(new_token)}
            )
            if updated:
                report.rotated += 1
            else:
                report.skipped += 1


def rotate_all(*, batch_size: int = 500, dry_run: bool = False) -> list[RotationReport]:
    """Rotate every encrypted column of every installed model."""
    return [
        rotate_column(model, fld.name, batch_size=batch_size, dry_run=dry_run)
        for model, fld in encrypted_fields()
    ]
