"""``manage.py lms xueshi_stats_close_periods [--limit N]``: count the ended periods due (ADR 0304)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xueshi_stats import closing


class Command(BaseCommand):
    """Count every ended period not counted yet now, instead of a few per hourly beat run (a backfill)."""

    help = "Count the learner figures of ended periods not counted yet (newest first)."

    def add_arguments(self, parser: CommandParser) -> None:
        """``--limit``: count at most this many periods (default: every one due)."""
        parser.add_argument("--limit", type=int, default=0, help="at most this many periods (0: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        """Print each period counted and the total."""
        if options["limit"] < 0:
            raise CommandError("--limit must be 0 (all) or more")
        counted = closing.run(limit=options["limit"])
        for period in counted:
            self.stdout.write(f"counted {period}")
        self.stdout.write(f"{len(counted)} periods counted")
