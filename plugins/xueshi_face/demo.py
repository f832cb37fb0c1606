"""Demo data of the face app: random face checks on in the face-check demo course only.

About one check a minute of study (never sooner than the minimum gap after playback opens), so a
newcomer sees one within minutes; the main demo course keeps the platform default (off), so its
quizzes and rules can be tried without a camera. Idempotent, and an operator's later change of
the rate in the admin is kept.
"""

from __future__ import annotations

from opaque_keys.edx.keys import CourseKey

from xueshi_core.demo import DEMO_FACE_COURSE_KEY

from .models import CourseFaceSettings

DEMO_CHECK_MINUTES = 1.0


def seed_demo_face_checks() -> list[str]:
    """Turn random face checks on in the face-check demo course; return a line for the demo output."""
    row, _ = CourseFaceSettings.objects.get_or_create(
        course_key=CourseKey.from_string(DEMO_FACE_COURSE_KEY),
        defaults={"mean_minutes_between_checks": DEMO_CHECK_MINUTES},
    )
    return [
        f"face checks: about every {row.mean_minutes_between_checks:g} min of study in {DEMO_FACE_COURSE_KEY}"
    ]
