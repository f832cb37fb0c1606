"""Receivers of ``xueshi_core``, connected by the platform through ``plugin_app['signals_config']``."""

from __future__ import annotations

from typing import Any

from .consent import pseudonymise_consents
from .retirement import on_platform_retirement, pseudonymise_audit_views
from .roles import ensure_roles

__all__ = [
    "ensure_roles_after_migrate",
    "freeze_heap_when_warm",
    "on_platform_retirement",
    "pseudonymise_audit_views",
    "pseudonymise_consents",
]


def ensure_roles_after_migrate(sender: Any, app_config: Any = None, **kwargs: Any) -> None:
    """Create the Xueshi role groups after every ``migrate``.

    Django sends ``post_migrate`` only for apps with a models module, so we listen for ``auth``
    (whose table the groups live in) rather than for ourselves.
    """
    if getattr(app_config, "label", None) == "auth":
        ensure_roles()


def freeze_heap_when_warm(sender: Any = None, **kwargs: Any) -> None:
    """``request_started``: ``gc.freeze`` at the configured request numbers (see ``gcfreeze``)."""
    from .gcfreeze import on_request_started

    on_request_started(sender, **kwargs)


def forget_caller_on_user_save(sender: Any, instance: Any = None, **kwargs: Any) -> None:
    """``post_save`` of a user: a new password or a deactivation must reach the caller check at once."""
    from .caller import forget

    if instance is not None and instance.pk is not None:
        forget(int(instance.pk))
