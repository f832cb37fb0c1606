"""Data a path run needs, made in-process with the benchmark settings: the demo course and learners.

The course is the sandbox's own demo course (``xueshi_demo``): lessons with quiz checkpoints, a
lesson with 1.25×/1.5×, a lesson with a "still there?" prompt every minute, a practice set and a
mock exam over the demo question bank. Learners are real accounts with a usable password (they
sign in through the login form, so PBKDF2 and the one-device and real-name checks are paid as in
production), enrolled, each with a complete real-name profile so the identity gate lets them study.
"""

from __future__ import annotations

import io
from typing import Any

PASSWORD = "bench-path-2026"
#: Units of the demo course a learner visits, by what the journey does there.
UNITS = {
    "checkpoint_video": ("xueshi_video", "video_lesson1"),
    "study_videos": [("xueshi_video", "video_rates"), ("xueshi_video", "video_still_here")],
    "practice": ("xueshi_practice", "practice_electrician"),
    "exam": ("xueshi_practice", "exam_safety"),
}
#: The demo checkpoint the journey answers, and the text of its right option (options are shuffled).
CHECKPOINT = ("cp-l1-duty", 30.0, "全面负责")


def seed_demo() -> dict[str, Any]:
    """Create the demo course and its question bank (idempotent); return what the journey needs."""
    from django.conf import settings
    from django.core.management import call_command

    from sandbox.demo_media import ensure_demo_media
    from xueshi_core.demo import DEMO_COURSE_KEY

    quiet = io.StringIO()
    call_command("xueshi_init", stdout=quiet)
    ensure_demo_media(settings.MEDIA_ROOT / "xueshi-demo")
    call_command("xueshi_demo", force=True, stdout=quiet)
    course = DEMO_COURSE_KEY
    base = course.replace("course-v1:", "block-v1:")

    def usage(kind_and_name: tuple[str, str]) -> str:
        kind, name = kind_and_name
        return f"{base}+type@{kind}+block@{name}"

    return {
        "course": course,
        "checkpoint_video": usage(UNITS["checkpoint_video"]),  # type: ignore[arg-type]
        "study_videos": [usage(u) for u in UNITS["study_videos"]],  # type: ignore[union-attr]
        "practice": usage(UNITS["practice"]),  # type: ignore[arg-type]
        "exam": usage(UNITS["exam"]),  # type: ignore[arg-type]
        "checkpoint": list(CHECKPOINT),
    }


def make_learners(prefix: str, count: int, course_key: str) -> list[dict[str, str]]:
    """``count`` enrolled learners ``<prefix>-<n>`` with real-name profiles and the shared password."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from opaque_keys.edx.keys import CourseKey

    from benchmarks.heartbeat.prepare import give_profiles
    from sandbox.lms.models import CourseRun, Enrollment

    user_model = get_user_model()
    hashed = make_password(PASSWORD)  # one hash: the server still verifies it per sign-in
    names = [f"{prefix}-{n}" for n in range(count)]
    existing = set(user_model.objects.filter(username__in=names).values_list("username", flat=True))
    user_model.objects.bulk_create(
        [
            user_model(username=name, email=f"{name}@bench.invalid", password=hashed)
            for name in names
            if name not in existing
        ],
        batch_size=1000,
    )
    users = list(user_model.objects.filter(username__in=names).order_by("id"))
    course = CourseRun.objects.get(course_key=CourseKey.from_string(course_key))
    Enrollment.objects.bulk_create(
        [Enrollment(user=user, course=course, mode="audit") for user in users],
        batch_size=1000,
        ignore_conflicts=True,
    )
    give_profiles(users)
    return [{"username": user.username, "password": PASSWORD} for user in users]
