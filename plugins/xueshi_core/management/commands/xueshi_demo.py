"""``manage.py lms xueshi_demo``: seed the demo organisation, course and logins (on request only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from xueshi_core import compat
from xueshi_core.demo import (
    DEMO_COURSE_KEY,
    DEMO_COURSE_TITLE,
    DEMO_PASSWORD,
    demo_units,
    ensure_demo_users,
    run_demo_hooks,
)


class Command(BaseCommand):
    """Create demo users and the demo course from the Xueshi blocks' scenarios; print the logins."""

    help = "Seed Xueshi demo data (users, course). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        """Seed, then print what a newcomer needs to sign in."""
        users = ensure_demo_users()
        staff = get_user_model().objects.get(username=users[0].username)
        media = getattr(settings, "XUESHI_DEMO_MEDIA_URL", "/media/xueshi-demo/")
        course = compat.create_demo_course(DEMO_COURSE_KEY, DEMO_COURSE_TITLE, demo_units(media), staff.id)
        self.stdout.write(f"demo course: {course}")
        for user in users:
            role = "staff" if user.staff else "learner"
            self.stdout.write(
                f"  login {user.username:<10} password {DEMO_PASSWORD}  ({role}, {user.full_name})"
            )
        for line in run_demo_hooks():
            self.stdout.write(line)
