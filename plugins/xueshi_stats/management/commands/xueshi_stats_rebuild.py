"""``manage.py lms xueshi_stats_rebuild [--compare]``: recompute the roll-ups from the raw records."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xueshi_stats import rebuild

SHOWN = 50


class Command(BaseCommand):
    """Rebuild the statistics roll-ups, or (``--compare``) only list where they differ from the sources."""

    help = "Recompute the statistics roll-ups from the raw records; --compare only reports differences."

    def add_arguments(self, parser: CommandParser) -> None:
        """``--compare``: change nothing, print the differences and end with their count."""
        parser.add_argument("--compare", action="store_true", help="report differences, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        """Compare (exit status 1 when anything differs) or rebuild and compare again."""
        if not options["compare"]:
            written = rebuild.rebuild()
            self.stdout.write(f"rebuilt {written} daily rows")
        differences = rebuild.compare()
        for line in differences[:SHOWN]:
            self.stdout.write(line)
        if len(differences) > SHOWN:
            self.stdout.write(f"... and {len(differences) - SHOWN} more")
        self.stdout.write(f"{len(differences)} differences")
        if differences:
            raise SystemExit(1)
