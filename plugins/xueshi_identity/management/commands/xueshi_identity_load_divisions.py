"""``manage.py lms xueshi_identity_load_divisions [FILE ...]``: load dated GB/T 2260 datasets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xueshi_identity import divisions


class Command(BaseCommand):
    """Load the datasets shipped with Xueshi, or the files given (oldest effective date first)."""

    help = "Load administrative division datasets (JSON, see docs/operators/real-name.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        """Optional dataset files."""
        parser.add_argument("files", nargs="*", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        """Apply each dataset and print what changed."""
        try:
            if options["files"]:
                paths = sorted(options["files"], key=lambda p: divisions.read_dataset(p)[0])
                reports = [divisions.load_dataset(path) for path in paths]
            else:
                reports = divisions.load_bundled()
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"cannot load divisions: {exc}") from exc
        for r in reports:
            self.stdout.write(
                f"{r.effective}: {r.added} added, {r.renamed} renamed, {r.retired} retired,"
                f" {r.unchanged} unchanged"
            )
        if not reports:
            self.stdout.write("divisions are up to date")
