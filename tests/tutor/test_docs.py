"""The operator guide documents every configuration key the plugin defines."""

from __future__ import annotations

import re

import pytest

from tutorxueshi import config as xconfig

from .conftest import REPO_ROOT

pytestmark = pytest.mark.tutor

GUIDE = REPO_ROOT / "docs" / "operators" / "tutor.md"


def _table_rows() -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    section = GUIDE.read_text(encoding="utf-8").split("## 8. Every configuration key")[1]
    for line in section.split("\n## ")[0].splitlines():
        match = re.match(r"^\| `(XUESHI_[A-Z0-9_]+)` \|(.*)\|$", line)
        if match:
            rows[match.group(1)] = [cell.strip() for cell in match.group(2).split(" | ")]
    return rows


def test_every_key_is_in_the_guide_table_with_its_secrecy() -> None:
    rows = _table_rows()
    assert set(rows) == set(xconfig.KEYS_BY_NAME)
    for name, cells in rows.items():
        secret = cells[-1]
        assert (secret == "yes") is xconfig.is_secret(name), name


def test_guide_has_a_chinese_summary_and_both_deployments() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    assert "## 中文摘要" in text.split("## 1.")[0]
    assert "tutor local launch" in text and "tutor k8s launch" in text
    assert (REPO_ROOT / "docs" / "decisions" / "0101-tutor-plugin-own-distribution.md").exists()
