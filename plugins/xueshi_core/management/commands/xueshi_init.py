"""``manage.py lms xueshi_init``: idempotent set-up run by Tutor's init job on every launch."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xueshi_core.api import ensure_roles

COMPLETION_SWITCH = "completion.enable_completion_tracking"


class Command(BaseCommand):
    """Create Xueshi role groups and turn on completion tracking (our video completes through it)."""

    help = "Create Xueshi roles and switch on completion tracking. Safe to run repeatedly."

    def handle(self, *args: Any, **options: Any) -> None:
        """Do the set-up and say what changed."""
        from waffle.models import Switch

        created = ensure_roles()
        _, switched = Switch.objects.update_or_create(name=COMPLETION_SWITCH, defaults={"active": True})
        self.stdout.write(f"roles created: {', '.join(created) or 'none (all present)'}")
        self.stdout.write(f"waffle switch {COMPLETION_SWITCH}: on{' (new)' if switched else ''}")
