"""Read-only admin for certificates and batches: evidence, changed only through revoking (staff page)."""

from __future__ import annotations

from django.contrib import admin

from xueshi_core.readonly_admin import ReadOnlyAdmin

from .models import Certificate, IssueBatch


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    """Search by serial; the snapshot holds only masked and hashed identity."""

    list_display = ("serial", "kind", "period_label", "rule_id", "rule_version", "status", "issued_at")
    list_filter = ("kind", "status", "period_year")
    search_fields = ("serial",)
    exclude = ("credential",)


@admin.register(IssueBatch)
class IssueBatchAdmin(ReadOnlyAdmin):
    """Batch runs and their counts."""

    list_display = ("period_year", "region_prefix", "state", "total", "issued", "existing", "failed")
