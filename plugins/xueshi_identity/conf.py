"""Settings of ``xueshi_identity``, read at access time (``override_settings`` and late layers work)."""

from __future__ import annotations

import datetime
import re
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from . import idnumbers

PROFILE_PATH = "/xueshi/identity/profile/"
#: Where a learner studies: pages and APIs that need a complete real-name profile.
DEFAULT_PROTECTED_PATHS = (
    r"^/$",  # the LMS home of a signed-in learner (the sandbox's course list)
    r"^/dashboard",
    r"^/courses/",
    r"^/xblock/",
    r"^/learning/",
    r"^/api/courseware/",
    r"^/api/course_home/",
    r"^/api/mobile/",
    r"^/api/xueshi/studytime/",
)


def _get(name: str, default: Any) -> Any:
    return getattr(settings, f"XUESHI_IDENTITY_{name}", default)


def profile_required() -> bool:
    """Learners must complete the real-name profile before studying (需求 002: 实名制)."""
    return bool(_get("REQUIRED", True))


def protected_paths() -> tuple[re.Pattern[str], ...]:
    """Path patterns that need a complete profile (``XUESHI_IDENTITY_PROTECTED_PATHS``)."""
    return _compiled(tuple(_get("PROTECTED_PATHS", DEFAULT_PROTECTED_PATHS)))


@lru_cache(maxsize=8)
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """Compile once per distinct setting value (the middleware asks on every request)."""
    return tuple(re.compile(p) for p in patterns)


def is_protected(path: str) -> bool:
    """Whether ``path`` needs a complete profile: one match of all the patterns joined (ADR 0708).

    Every request asks; trying the patterns one by one cost about four times as much.
    """
    return _joined(tuple(_get("PROTECTED_PATHS", DEFAULT_PROTECTED_PATHS))).match(path) is not None


@lru_cache(maxsize=8)
def _joined(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation of the patterns (each in its own group, so their anchors keep their meaning)."""
    return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!)")


def id_types() -> list[str]:
    """Document types learners may choose, in the order shown (all by default)."""
    allowed = _get("ID_TYPES", None) or list(idnumbers.ID_TYPES)
    return [t for t in allowed if t in idnumbers.ID_TYPES]


def min_age() -> int:
    """Youngest learner accepted, in years (0 = no limit; vocational training often needs 16)."""
    return int(_get("MIN_AGE", 0))


def today() -> datetime.date:
    """Today in China (ages and birth dates are judged on Asia/Shanghai days)."""
    zone = ZoneInfo(str(getattr(settings, "XUESHI_TIME_ZONE", "Asia/Shanghai")))
    return datetime.datetime.now(zone).date()


def learner_may_edit_identity() -> bool:
    """Whether a learner may change name, ID type and number once saved (default no: staff corrects)."""
    return bool(_get("LEARNER_MAY_EDIT_IDENTITY", False))
