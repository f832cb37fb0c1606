"""Browser tests of the real-name app run with the gate on, as deployed."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def gate_on(settings: Any) -> None:
    """The live server shares this process's settings, so this reaches it too."""
    settings.XUESHI_IDENTITY_REQUIRED = True
