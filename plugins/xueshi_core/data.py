"""Plain data types of ``xueshi_core`` (never models or querysets, per OEP-49)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Component:
    """One Xueshi entry point and whether this process actually loaded it."""

    group: str  # entry-point group: lms.djangoapp, cms.djangoapp or xblock.v1
    name: str  # entry-point name, which is also the app label or XBlock type
    target: str  # dotted ``module:attr`` the entry point names
    loaded: bool
    detail: str  # verbose name, class name, or why it did not load


#: Xueshi's own account-retirement signal, by dotted path (``plugin_app`` connects by path; ADR 0060).
ACCOUNT_RETIRING_PATH = "xueshi_core.retirement.ACCOUNT_RETIRING"


RETENTION_DUE_PATH = "xueshi_core.retention.RETENTION_DUE"


def retention_receiver(app_label: str, func: str = "purge_past_retention") -> dict[str, str]:
    """A ``plugin_app["signals_config"]`` receiver entry connecting ``func`` to the retention purge."""
    return {
        "receiver_func_name": func,
        "signal_path": RETENTION_DUE_PATH,
        "dispatch_uid": f"{app_label}.{func}",
    }


def retirement_receiver(app_label: str, func: str = "retire_account") -> dict[str, str]:
    """A ``plugin_app["signals_config"]`` receiver entry connecting ``func`` to account retirement."""
    return {
        "receiver_func_name": func,
        "signal_path": ACCOUNT_RETIRING_PATH,
        "dispatch_uid": f"{app_label}.{func}",
    }
