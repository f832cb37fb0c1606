"""Fixtures of the hours tests: the shipped rules are loaded by the app's data migration."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fresh_rule_cache() -> Any:
    """Parsed rule versions and accounts are remembered per process; a test's database starts over."""
    from xueshi_hours import accountcache, rulestore

    rulestore._parsed.cache_clear()
    accountcache.forget_local()
    yield
    rulestore._parsed.cache_clear()
    accountcache.forget_local()
