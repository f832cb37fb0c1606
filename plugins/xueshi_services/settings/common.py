"""Common settings for ``xueshi_services``: defaults an operator may override."""

from __future__ import annotations

from typing import Any


def plugin_settings(settings: Any) -> None:
    """Set this app's defaults where the deployment has not set them."""
