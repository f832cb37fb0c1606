"""Data a run needs, made in-process with the benchmark settings: database, course, signed-in learners.

The course is built the way the sandbox builds its demo (``sandbox.platform.create_demo_course``
parses each unit's OLX with the block class). Learners are real accounts, enrolled, each with a
signed-in browser session (a session in the Redis cache and a CSRF cookie) as if they had logged in:
logging in thousands of learners through the password form would benchmark PBKDF2 instead.
"""

from __future__ import annotations

import secrets
import string
from typing import Any

COURSE_KEY = "course-v1:XueshiBench+HB101+2026"
COURSE_TITLE = "学时基准课程 (benchmark)"
# Six lectures of 20 to 45 minutes: the length of a typical continuing-education video.
VIDEO_MINUTES = (20, 25, 30, 35, 40, 45)
_CSRF_ALPHABET = string.ascii_letters + string.digits


def migrate() -> None:
    """Create or update the benchmark database's tables."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def seed_course() -> list[dict[str, Any]]:
    """The benchmark course (idempotent) and edx-completion's switch; return its video blocks."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from waffle.models import Switch

    from sandbox.platform import create_demo_course

    staff, _ = get_user_model().objects.get_or_create(
        username="bench-staff", defaults={"email": "bench-staff@bench.invalid", "is_staff": True}
    )
    media = str(getattr(settings, "XUESHI_DEMO_MEDIA_URL", "/media/xueshi-demo/")).rstrip("/")
    units = []
    for number, minutes in enumerate(VIDEO_MINUTES, start=1):
        title = f"第{number}讲 ({minutes} 分钟)"
        olx = (
            f'<xueshi_video url_name="lecture{number}" display_name="{title}" '
            f'sources=\'["{media}/lesson1.mp4"]\' duration="{minutes * 60}"/>'
        )
        units.append({"title": title, "olx": olx})
    course = create_demo_course(COURSE_KEY, COURSE_TITLE, units, staff.id)
    Switch.objects.update_or_create(name="completion.enable_completion_tracking", defaults={"active": True})
    return [
        {
            "course": course,
            "usage": f"block-v1:XueshiBench+HB101+2026+type@xueshi_video+block@lecture{n}",
            "duration": minutes * 60.0,
        }
        for n, minutes in enumerate(VIDEO_MINUTES, start=1)
    ]


def make_learners(prefix: str, first: int, count: int) -> list[dict[str, Any]]:
    """``count`` enrolled, signed-in learners named ``<prefix>-<n>``; return their browser credentials."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.cache import SessionStore
    from opaque_keys.edx.keys import CourseKey

    from sandbox.lms.models import CourseRun, Enrollment

    user_model = get_user_model()
    names = [f"{prefix}-{n}" for n in range(first, first + count)]
    existing = set(user_model.objects.filter(username__in=names).values_list("username", flat=True))
    user_model.objects.bulk_create(
        [
            user_model(username=name, email=f"{name}@bench.invalid", password="!")
            for name in names
            if name not in existing
        ],
        batch_size=1000,
    )
    users = list(user_model.objects.filter(username__in=names).order_by("id"))
    course = CourseRun.objects.get(course_key=CourseKey.from_string(COURSE_KEY))
    Enrollment.objects.bulk_create(
        [Enrollment(user=user, course=course, mode="verified") for user in users],
        batch_size=1000,
        ignore_conflicts=True,
    )
    learners = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        learners.append(
            {
                "user_id": user.pk,
                "username": user.username,
                "session": session.session_key,
                "csrf": "".join(secrets.choice(_CSRF_ALPHABET) for _ in range(32)),
            }
        )
    return learners
