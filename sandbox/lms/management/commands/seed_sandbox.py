"""``manage.py seed_sandbox``: everything a newcomer's sandbox needs, idempotently.

Runs the same commands an operator runs in the LMS (``xueshi_init``, ``xueshi_demo``), then does
what the platform would do around them: demo media on disk and the mobile app's OAuth2 client.
``xueshi_demo`` enrols the demo learners itself (through ``compat``, as in the LMS).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from sandbox.demo_media import ensure_demo_media
from sandbox.lms.auth import ensure_mobile_application
from xueshi_core.demo import refuse_on_production


class Command(BaseCommand):
    """Seed roles, demo media, the demo course (with its enrollments) and the mobile client."""

    help = "Seed the Xueshi sandbox (idempotent). Refused on production unless --force."

    def add_arguments(self, parser: CommandParser) -> None:
        """``--force`` is passed on to ``xueshi_demo`` (seed even on a production settings layer)."""
        parser.add_argument(
            "--force", action="store_true", help="seed demo logins even on a production settings layer"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Seed and print the logins (nothing is written when ``xueshi_demo`` would refuse)."""
        refuse_on_production(bool(options.get("force")))  # a CommandError before any write
        call_command("xueshi_init", stdout=self.stdout)
        for line in ensure_demo_media(settings.MEDIA_ROOT / "xueshi-demo"):
            self.stdout.write(line)
        call_command("xueshi_demo", force=bool(options.get("force")), stdout=self.stdout)
        app = ensure_mobile_application()
        self.stdout.write(f"mobile app OAuth2 client_id: {app.client_id} (password grant)")
        self.stdout.write("sandbox ready: http://localhost:8000/")
