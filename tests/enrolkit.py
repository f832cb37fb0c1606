"""Enrolment for tests: learners study only when enrolled (ADR 0094), so fixtures enrol them.

The demo leaves ``DEMO_UNENROLLED`` learners out to show the gate; fixtures that drive every demo
learner (``demo_site``, ``seeded_live_server``) enrol them all with ``enrol_demo_learners``. Tests
of the gate itself use the demo as seeded (``seeded_demo``, ``demo_live_server``).
"""

from __future__ import annotations

from typing import Any

from xueshi_core.demo import DEMO_COURSE_KEY, DEMO_USERS


def enrol(user: Any, course_key: Any = DEMO_COURSE_KEY, mode: str | None = None) -> None:
    """Enrol ``user`` the way the LMS does (filters and events run); nothing when already enrolled."""
    from sandbox.lms import enrollment

    if not enrollment.is_enrolled(user, course_key):
        enrollment.enroll(user, course_key, mode)


def enrol_demo_learners(course_key: Any = DEMO_COURSE_KEY) -> None:
    """Enrol every demo learner (staff excepted), including those the demo leaves out."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(username__in=[d.username for d in DEMO_USERS if not d.staff])
    for user in users:
        enrol(user, course_key)
