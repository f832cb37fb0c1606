"""Common settings for ``xueshi_livestream``: every ``XUESHI_LIVE_*`` is optional (``conf.py``)."""

from __future__ import annotations

from typing import Any


def plugin_settings(settings: Any) -> None:
    """Defaults an operator may override: no provider (live lessons off) until one is configured.

    Module-level reads of settings would see only defaults (plugin apps load before settings),
    so ``conf.py`` reads them when used; nothing else is needed here.
    """
    if not hasattr(settings, "XUESHI_LIVE_PROVIDER"):
        settings.XUESHI_LIVE_PROVIDER = ""
