"""Fixtures shared by every test layer.

Layers are markers (unit, component, browser, tutor, celery). Each test directory's conftest
applies its layer's marker, so ``pytest -m unit`` and friends select by layer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

LAYER_BY_DIR = {
    "unit": "unit",
    "quality": "unit",
    "component": "component",
    "browser": "browser",
    "tutor": "tutor",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test with the layer named by its top directory under tests/."""
    for item in items:
        parts = Path(str(item.fspath)).relative_to(REPO / "tests").parts
        layer = LAYER_BY_DIR.get(parts[0]) if parts else None
        if layer:
            item.add_marker(getattr(pytest.mark, layer))


@pytest.fixture
def repo() -> Path:
    """The repository root."""
    return REPO
