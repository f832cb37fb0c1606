"""``manage.py cms xueshi_enable_blocks COURSE_KEY``: let authors add Xueshi blocks to a course."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from xueshi_core import compat

XUESHI_BLOCK_TYPES = ["xueshi_video", "xueshi_practice", "xueshi_live", "xueshi_questionnaire"]


class Command(BaseCommand):
    """Append the Xueshi XBlock types to the course's Advanced Module List."""

    help = "Add Xueshi XBlock types to a course's advanced module list."

    def add_arguments(self, parser: CommandParser) -> None:
        """Take one course key such as course-v1:Org+Course+Run."""
        parser.add_argument("course_key")
        parser.add_argument("--user-id", type=int, default=0, help="user recorded as the editor")

    def handle(self, *args: Any, **options: Any) -> None:
        """Validate the key, then save the module list through the platform."""
        try:
            key = CourseKey.from_string(options["course_key"])
        except InvalidKeyError as exc:
            raise CommandError(f"not a course key: {options['course_key']!r}") from exc
        try:
            modules = compat.enable_advanced_modules(str(key), XUESHI_BLOCK_TYPES, options["user_id"])
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{key}: advanced modules = {', '.join(modules)}")
