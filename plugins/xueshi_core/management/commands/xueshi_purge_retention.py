"""``manage.py lms xueshi_purge_retention``: run the retention purge now, or see what it would do."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xueshi_core import retention


class Command(BaseCommand):
    """The daily Celery job's work, by hand: one line per kind of record (ADR 0064)."""

    help = (
        "Delete or pseudonymise records older than XUESHI_RETENTION_YEARS (Asia/Shanghai days); "
        "--dry-run only counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """``--dry-run`` counts without writing; ``--batch-size`` rows per statement."""
        parser.add_argument("--dry-run", action="store_true", help="count what would go, change nothing")
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args: Any, **options: Any) -> None:
        """Print the cut-off, then ``<record>: <rows>`` per step."""
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        try:
            years = retention.retention_years()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        counts = retention.purge(dry_run=options["dry_run"], batch=options["batch_size"])
        verb = "would go" if options["dry_run"] else "done"
        self.stdout.write(f"retention {years} years ({verb})")
        for name, rows in counts.items():
            self.stdout.write(f"{name}: {rows}")
