"""``manage.py lms xueshi_demo``: seed the demo organisation, course and logins (on request only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandParser

from xueshi_core import compat
from xueshi_core.demo import (
    DEMO_COURSES,
    DEMO_PASSWORD,
    DEMO_UNENROLLED,
    demo_units,
    ensure_demo_enrolments,
    ensure_demo_users,
    missing_demo_media,
    refuse_on_production,
    register_demo_video,
    run_demo_hooks,
)


class Command(BaseCommand):
    """Create demo users and the demo course from the Xueshi blocks' scenarios; print the logins."""

    help = "Seed Xueshi demo data (users, course). Idempotent. Refused on production unless --force."

    def add_arguments(self, parser: CommandParser) -> None:
        """``--force``: seed even on the production settings layer (a throw-away demo server)."""
        parser.add_argument(
            "--force", action="store_true", help="seed demo logins even on a production settings layer"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Seed, then print what a newcomer needs to sign in."""
        refuse_on_production(bool(options.get("force")))  # a CommandError (DemoRefused) on production
        users = ensure_demo_users()
        staff = get_user_model().objects.get(username=users[0].username)
        media = getattr(settings, "XUESHI_DEMO_MEDIA_URL", "/media/xueshi-demo/")
        for demo in DEMO_COURSES:
            units = demo_units(media, demo.name)
            course = compat.create_demo_course(demo.key, demo.title, units, staff.id)
            self.stdout.write(f"demo course: {course} ({len(units)} units)")
            ensure_demo_enrolments(course)
        self.stdout.write(register_demo_video(media))
        missing = missing_demo_media(media)
        if missing:
            self.stdout.write(missing)
        # Other Xueshi apps seed their demo data through their own commands (named, never imported:
        # xueshi_core depends on no other Xueshi package).
        for name in sorted(get_commands()):
            if name.startswith("xueshi_") and name.endswith("_demo") and name != "xueshi_demo":
                call_command(name, stdout=self.stdout)  # after the check above: never on production
        for user in users:
            role = "operator, Django staff" if user.staff else "learner"
            if user.username in DEMO_UNENROLLED:
                role = "learner, not enrolled: enrol on the course page"
            self.stdout.write(
                f"  login {user.username:<10} password {DEMO_PASSWORD}  ({role}, {user.full_name})"
            )
        for line in run_demo_hooks():
            self.stdout.write(line)
