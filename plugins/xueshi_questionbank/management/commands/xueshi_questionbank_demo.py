"""``manage.py lms xueshi_questionbank_demo``: fill the demo course's bank from the generated workbook.

The workbook goes through the real importer, exactly as an author's upload would. Idempotent:
a second run finds every question unchanged.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xueshi_questionbank import store
from xueshi_questionbank.demo import demo_workbook
from xueshi_questionbank.importing import import_file


class Command(BaseCommand):
    """Import the generated demo questions into a course's bank (the demo course by default)."""

    help = "Import a few hundred generated Chinese questions into the demo course's bank. Idempotent."

    def add_arguments(self, parser: Any) -> None:
        """``--course`` picks another course."""
        parser.add_argument("--course", default="", help="course key (default: the Xueshi demo course)")

    def handle(self, *args: Any, **options: Any) -> None:
        """Import and say what happened."""
        from xueshi_core.demo import DEMO_COURSE_KEY

        course = options["course"] or DEMO_COURSE_KEY
        bank = store.bank_for(course)
        if bank.questions.filter(source="bank").exists() and not options["course"]:
            self.stdout.write(f"demo bank: {bank.questions.count()} questions already in {course}")
            return
        report = import_file(course, "xueshi-demo-bank.xlsx", demo_workbook())
        if not report.accepted:
            raise CommandError(f"demo bank refused: {report.as_dict()['errors'][:5]}")
        bank.shared = True
        bank.title = "学时演示题库"
        bank.save(update_fields=["shared", "title"])
        self.stdout.write(f"demo bank: {report.created} questions imported into {course}")
