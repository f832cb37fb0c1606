"""``manage.py retire_user <username>``: the sandbox's stand-in for Open edX's account retirement.

The platform's driver calls, in order, ``DeactivateLogoutView`` (deactivate, sign out),
``LMSAccountRetirementView`` (sends ``USER_RETIRE_LMS_MISC``) and ``AccountRetirementView``
(sends ``USER_RETIRE_LMS_CRITICAL`` with the user still under its original name, then blanks the
names, deactivates and renames the account ``retired__user_<hash>``). This command does the same
with the sandbox's user table, so plugins' receivers run as they would in the LMS. Running it
again for an already retired account (``--user-id``) repeats the signals, as a driver retry does.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from openedx.core.djangoapps.user_api.accounts.signals import (
    USER_RETIRE_LMS_CRITICAL,
    USER_RETIRE_LMS_MISC,
    USER_RETIRE_MAILINGS,
)

RETIRED_PREFIX = "retired__user_"
RETIRED_DOMAIN = "retired.invalid"


def retired_name(value: str) -> str:
    """The platform's shape of a retired username: a prefix and a salted hash of the old value."""
    salt = str(getattr(settings, "RETIRED_USER_SALT", settings.SECRET_KEY))
    return RETIRED_PREFIX + hashlib.sha256(f"{salt}{value}".encode()).hexdigest()[:40]


class Command(BaseCommand):
    """Send the platform's retirement signals for one account, then rename and deactivate it."""

    help = "Retire an account as Open edX's retirement pipeline does (sandbox only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?", default="")
        parser.add_argument("--user-id", type=int, default=None, help="retire (again) by id")

    def handle(self, *args: Any, **options: Any) -> None:
        users = get_user_model().objects
        if options["user_id"] is not None:
            user = users.filter(pk=options["user_id"]).first()
        else:
            user = users.filter(username=options["username"]).first()
        if user is None:
            raise CommandError("no such account")
        original_email = user.email
        retired_username = (
            user.username if user.username.startswith(RETIRED_PREFIX) else retired_name(user.username)
        )
        retired_email = (
            original_email
            if original_email.endswith("@" + RETIRED_DOMAIN)
            else f"{retired_name(original_email)}@{RETIRED_DOMAIN}"
        )
        USER_RETIRE_LMS_MISC.send(sender=self.__class__, user=user)
        USER_RETIRE_MAILINGS.send(
            sender=self.__class__, email=original_email, new_email=retired_email, user=user
        )
        with transaction.atomic():
            USER_RETIRE_LMS_CRITICAL.send(
                sender=self.__class__,
                user=user,
                retired_username=retired_username,
                retired_email=retired_email,
            )
            user.first_name = user.last_name = ""
            user.is_active = False
            user.username, user.email = retired_username, retired_email
            user.set_unusable_password()
            user.save()
        self.stdout.write(f"retired {user.pk} as {retired_username}")
