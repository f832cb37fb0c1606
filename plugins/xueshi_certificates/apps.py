"""Django app config for ``xueshi_certificates``, wired into the LMS and Studio by ``plugin_app``."""

from __future__ import annotations

from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    """Certificates: serials, PDFs, signed credentials, revocation and public verification."""

    name = "xueshi_certificates"
    label = "xueshi_certificates"
    verbose_name = "Xueshi certificates (学时·证书)"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app: dict[str, object] = {}
