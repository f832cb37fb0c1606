"""Provider adapters (Nuonuo, Baiwang); ``client()`` is the one the settings choose (ADR 0370)."""

from __future__ import annotations

from .. import conf
from .common import Client, ProviderError


def client() -> Client:
    """The configured provider's client (``XUESHI_INVOICES_PROVIDER``, Nuonuo by default)."""
    name = conf.provider()
    if name == "baiwang":
        from .baiwang import BaiwangClient

        return BaiwangClient()
    if name == "nuonuo":
        from .nuonuo import NuonuoClient

        return NuonuoClient()
    raise ProviderError("not_configured", f"unknown XUESHI_INVOICES_PROVIDER {name!r}", retryable=False)
