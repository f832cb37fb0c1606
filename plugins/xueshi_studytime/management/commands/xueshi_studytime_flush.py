"""``manage.py xueshi_studytime_flush [--loop]``: write the ledger streams to MariaDB."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xueshi_studytime.flusher import flush


class Command(BaseCommand):
    """Flush once (for cron or a deploy step) or keep flushing (a dedicated flusher process)."""

    help = "Write pending study-time ledger events from Redis to the database."

    def add_arguments(self, parser: CommandParser) -> None:
        """``--loop`` and its pause."""
        parser.add_argument("--loop", action="store_true", help="keep flushing until interrupted")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between empty polls")

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the flusher."""
        while True:
            written = flush()
            if written or not options["loop"]:
                self.stdout.write(f"flushed {written} ledger events")
            if not options["loop"]:
                return
            if not written:
                time.sleep(options["interval"])
