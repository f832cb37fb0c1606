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
