"""Test settings for ``xueshi_identity``.

The gate is off by default under test: other apps' tests create learners without real-name
profiles and exercise their own capability. The identity tests switch it on
(``tests/component/identity``, ``tests/browser/identity``), so the gate is tested as deployed.
"""

from __future__ import annotations

from typing import Any


def plugin_settings(settings: Any) -> None:
    """Gate off unless a test turns it on."""
    settings.XUESHI_IDENTITY_REQUIRED = False
