"""``manage.py lms xueshi_rotate_data_keys``: re-encrypt stored personal data with the newest key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xueshi_core import crypto
from xueshi_core.rotation import rotate_all


class Command(BaseCommand):
    """Visit every encrypted column; re-encrypt tokens made with older keys of ``XUESHI_DATA_KEYS``."""

    help = "Re-encrypt personal data with the first key of XUESHI_DATA_KEYS (run after adding a key)."

    def add_arguments(self, parser: CommandParser) -> None:
        """``--dry-run`` counts without writing; ``--batch-size`` rows per query."""
        parser.add_argument("--dry-run", action="store_true", help="count what would change, write nothing")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        """Rotate, print one line per column, fail (exit 1) if any token could not be decrypted."""
        try:
            key_id = crypto.current_key_id()
        except crypto.KeyConfigurationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"newest key id: {key_id}{' (dry run)' if options['dry_run'] else ''}")
        failures = 0
        for report in rotate_all(batch_size=max(1, options["batch_size"]), dry_run=options["dry_run"]):
            self.stdout.write(
                f"{report.model}.{report.field}: rotated {report.rotated}, skipped {report.skipped},"
                f" failed {len(report.failed)}"
            )
            for pk, reason in report.failed:
                self.stderr.write(f"  {report.model} pk={pk}: {reason}")
            failures += len(report.failed)
        if failures:
            raise CommandError(
                f"{failures} value(s) could not be decrypted: keep the old keys until they are fixed"
            )
