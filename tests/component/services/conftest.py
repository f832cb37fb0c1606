"""Fixtures of the learner-services tests: a course run, learners who studied it or not, staff."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from opaque_keys.edx.keys import CourseKey

from sandbox.lms.models import CourseRun
from tests.enrolkit import enrol
from xueshi_core import roles

from ..hours.hourkit import credit, watched
from ..permkit import account

COURSE = "course-v1:SvcOrg+S101+2026"
OTHER = "course-v1:SvcOrg+S202+2026"


@pytest.fixture
def course(db: Any) -> str:
    CourseRun.objects.create(course_key=CourseKey.from_string(COURSE), title="会计职业道德")
    CourseRun.objects.create(course_key=CourseKey.from_string(OTHER), title="税收政策解读")
    return COURSE


@pytest.fixture
def studied(course: str) -> User:
    """A learner with credited study time in ``COURSE``."""
    from datetime import date

    user = account("xueyuan1")
    enrol(user, COURSE)
    credit(user, date(2026, 12, 1), 600, course=COURSE)
    watched(user, 600, 1200, course=COURSE)
    return user


@pytest.fixture
def operator(db: Any) -> User:
    roles.ensure_roles()
    return account("caozuo", roles.OPERATOR, is_staff=True)
