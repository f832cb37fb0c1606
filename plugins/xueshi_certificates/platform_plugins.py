"""What the platform's ``openedx.course_tab`` / ``openedx.course_app`` entry points name (ADR 0181).

The classes subclass the platform's, so they are built only when the platform asks for them
(a module ``__getattr__``): importing this module never imports edx-platform.
"""

from __future__ import annotations

from xueshi_core import coursetabs

_PLUGINS = {
    "CertificatesCourseTab": ("tab", "xueshi_certificates"),
}


def __getattr__(name: str) -> type:
    kind, key = _PLUGINS.get(name, ("", ""))
    if kind == "tab":
        return coursetabs.tab_plugin(key)
    if kind == "app":
        return coursetabs.app_plugin(key)
    raise AttributeError(name)
