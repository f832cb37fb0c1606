"""``manage.py lms xueshi_reconcile [--day YYYY-MM-DD] [--channel wechat]``: reconcile a day's bills.

Without ``--day``, yesterday (Asia/Shanghai). Re-running a day replaces its run (idempotent), so
finance staff can repeat it after fixing an order or when a provider re-issues a bill.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xueshi_core.days import china_day
from xueshi_payments import reconciliation
from xueshi_payments.reconciliation_models import ReconRun


class Command(BaseCommand):
    """Reconcile one day (default yesterday) for every bill channel or one."""

    help = "Download each bill channel's daily bill and match it against orders and refunds."

    def add_arguments(self, parser: CommandParser) -> None:
        """``--day`` and ``--channel``."""
        parser.add_argument("--day", help="Shanghai day YYYY-MM-DD (default: yesterday)")
        parser.add_argument("--channel", help="only this channel (e.g. wechat, alipay)")

    def handle(self, *args: Any, **options: Any) -> None:
        """Reconcile and print one line per channel; exit non-zero when a bill was not obtained."""
        text = options.get("day") or ""
        try:
            day = date.fromisoformat(text) if text else china_day(timezone.now()) - timedelta(days=1)
        except ValueError as exc:
            raise CommandError(f"--day must be YYYY-MM-DD, not {text!r}") from exc
        if day >= china_day(timezone.now()) + timedelta(days=1):
            raise CommandError(f"{day} has not happened yet")
        channels = reconciliation.reconcilable_channels()
        wanted = options.get("channel")
        if wanted:
            if wanted not in channels:
                raise CommandError(f"no bill channel {wanted!r}; enabled: {', '.join(channels) or 'none'}")
            channels = [wanted]
        failed = 0
        for name in channels:
            run = reconciliation.reconcile(name, day)
            if run.status == ReconRun.OK and not run.error:
                self.stdout.write(
                    f"{name} {day}: {run.bill_lines} bill lines, {run.matched} matched, "
                    f"{run.mismatch_count} mismatches"
                )
            else:
                failed += 1
                self.stderr.write(f"{name} {day}: bill not obtained: {run.error}")
        if failed:
            raise CommandError(f"{failed} channel(s) could not be reconciled for {day}")
