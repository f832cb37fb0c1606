"""The gate matches every protected pattern in one expression (ADR 0708): same answers as one by one."""

from __future__ import annotations

import pytest

from xueshi_identity import conf

pytestmark = pytest.mark.unit

PATHS = [
    "/",
    "/x",
    "/dashboard",
    "/dashboard/progress",
    "/courses/course-v1:a+b+c/courseware",
    "/xblock/block-v1:a+b+c+type@video+block@v",
    "/api/xueshi/studytime/v1/heartbeats",
    "/api/xueshi/identity/v1/me",
    "/login/",
    "/bench/floor",
    "/x/courses/",
]


def test_the_joined_patterns_answer_as_each_pattern_would() -> None:
    for path in PATHS:
        assert conf.is_protected(path) == any(p.match(path) for p in conf.protected_paths()), path
    assert conf.is_protected("/api/xueshi/studytime/v1/heartbeats") and not conf.is_protected("/x")


def test_an_anchored_pattern_keeps_its_anchor_inside_the_join(settings) -> None:  # type: ignore[no-untyped-def]
    settings.XUESHI_IDENTITY_PROTECTED_PATHS = [r"^/$", r"^/learn"]
    assert conf.is_protected("/") and conf.is_protected("/learning/x")
    assert not conf.is_protected("/dashboard") and not conf.is_protected("/x/")
    settings.XUESHI_IDENTITY_PROTECTED_PATHS = []
    assert not conf.is_protected("/")
