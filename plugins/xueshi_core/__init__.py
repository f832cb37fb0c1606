"""Xueshi core: what every Xueshi app shares (roles, China days, the platform shim, the status page)."""

__version__ = "0.1.0"
