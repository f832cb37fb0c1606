"""Route a ``compat`` function to a stand-in for edx-platform when one is configured.

Only ``compat.py`` modules import edx-platform. Where there is no platform (the sandbox site,
the tests), ``settings.XUESHI_PLATFORM_SHIM`` names a module with functions of the same names;
``@platform_function`` sends calls there. In the LMS the setting is ``None`` and the real body runs.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any, cast


def platform_function[F: Callable[..., Any]](func: F) -> F:
    """Decorate a compat function so a configured shim module may supply it instead."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        shim_path = getattr(settings, "XUESHI_PLATFORM_SHIM", None)
        if shim_path:
            shim = importlib.import_module(shim_path)
            replacement = getattr(shim, func.__name__, None)
            if replacement is None:
                raise ImproperlyConfigured(f"platform shim {shim_path} lacks {func.__name__}()")
            return replacement(*args, **kwargs)
        return func(*args, **kwargs)

    return cast(F, wrapper)
