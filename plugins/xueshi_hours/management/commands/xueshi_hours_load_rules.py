"""``manage.py lms xueshi_hours_load_rules [FILE ...]``: load rule files (default: the shipped ones)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    """Add a version for each rule that differs from its newest stored version; say what changed."""

    help = __doc__

    def add_arguments(self, parser: Any) -> None:
        """Optional rule files; without any, the files shipped in ``xueshi_hours/rulefiles``."""
        parser.add_argument("files", nargs="*")

    def handle(self, *args: Any, **options: Any) -> None:
        """Load every file; a bad file stops with its problems and stores nothing of it."""
        from django.db import transaction

        from xueshi_hours import rulestore
        from xueshi_hours.rules import RuleFileError, parse_file

        if not options["files"]:
            added = rulestore.load_shipped()
        else:
            added = []
            for name in options["files"]:
                try:
                    rules = parse_file(json.loads(Path(name).read_text(encoding="utf-8")))
                except (OSError, ValueError) as exc:
                    problems = exc.problems if isinstance(exc, RuleFileError) else [str(exc)]
                    raise CommandError(f"{name}: " + "; ".join(problems)) from exc
                with transaction.atomic():
                    for rule in rules:
                        version, created = rulestore.add_version(rule, note=f"file {Path(name).name}")
                        added.append((rule.id, version, created))
        for rule_id, version, created in added:
            self.stdout.write(f"{rule_id} v{version} {'added' if created else 'unchanged'}")
