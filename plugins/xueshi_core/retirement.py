"""Account retirement: when Open edX retires an account, every Xueshi app erases or pseudonymises.

Open edX's retirement pipeline (``openedx/core/djangoapps/user_api/accounts/views.py``,
``AccountRetirementView.post``) sends ``USER_RETIRE_LMS_CRITICAL`` with the ``user`` still under
its original name, then blanks the names and renames the account ``retired__user_<hash>``. This
app's ``plugin_app`` connects :func:`on_platform_retirement` to that signal by its dotted path
(the plugin framework imports it lazily; the sandbox has a stand-in at the same path). That
receiver runs :func:`retire`, which sends Xueshi's own :data:`ACCOUNT_RETIRING` in one transaction;
each app connects its step there (erase what no law makes us keep, pseudonymise what the
regulators' 3-5 year retention keeps). Steps are idempotent, and an error is raised, not
swallowed, so the platform marks the retirement as failed and its driver retries it whole
(ADR 0060; the retention table is in ``docs/operators/privacy.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from . import crypto
from .masking import coarse_ip

#: Sent inside the retirement transaction with ``retiree`` (:class:`Retiree`); a receiver that
#: raises rolls the whole retirement back.
ACCOUNT_RETIRING = Signal()

PSEUDONYM_PURPOSE = "retired_account"


@dataclass(frozen=True)
class Retiree:
    """The account being retired, as it was named before the platform renamed it."""

    user_id: int
    username: str
    email: str
    pseudonym: str

    @property
    def typed_names(self) -> list[str]:
        """What the learner may have typed to sign in (failed attempts are kept under these)."""
        return [name for name in (self.username, self.email) if name]


def pseudonym_of(user_id: int) -> str:
    """A stable name for a retired account that no one can turn back into the person (keyed hash)."""
    return "retired__" + crypto.keyed_hash(str(int(user_id)), purpose=PSEUDONYM_PURPOSE)[:24]


def retire(user: Any, *, retired_username: str = "") -> Retiree:
    """Erase or pseudonymise the personal data Xueshi holds about ``user``; safe to run again.

    All steps run in one transaction: an interrupted run leaves everything as it was, and the
    platform's retry (or a second call) does the whole job. ``retired_username`` is the
    platform's new name for the account when it passes one; our own pseudonym otherwise.
    """
    from .models import RetiredAccount

    retiree = Retiree(
        user_id=int(user.pk),
        username=str(getattr(user, "username", "") or ""),
        email=str(getattr(user, "email", "") or ""),
        pseudonym=(retired_username or pseudonym_of(int(user.pk)))[:150],
    )
    with transaction.atomic():
        ACCOUNT_RETIRING.send(sender=Retiree, retiree=retiree)
        RetiredAccount.objects.update_or_create(
            user_id=retiree.user_id,
            defaults={"pseudonym": retiree.pseudonym, "retired_at": timezone.now()},
        )
    return retiree


def on_platform_retirement(sender: Any, user: Any = None, **kwargs: Any) -> None:
    """``USER_RETIRE_LMS_CRITICAL`` receiver (connected by ``plugin_app``, LMS only)."""
    if user is None or getattr(user, "pk", None) is None:
        return
    retire(user, retired_username=str(kwargs.get("retired_username") or ""))


def pseudonymise_audit_views(sender: Any, retiree: Retiree, **kwargs: Any) -> None:
    """Core's step: the retiree's own views of their data keep who/what/when, not their IP or device.

    Rows are append-only for staff; this queryset update is the one sanctioned change. Views of
    the retiree's data by staff are the staff's records and stay as they are.
    """
    from .models import PersonalDataView

    rows = PersonalDataView.objects.filter(actor_id=retiree.user_id)
    for row_id, ip in list(rows.values_list("id", "ip")):
        PersonalDataView.objects.filter(id=row_id).update(
            actor_username=retiree.pseudonym[:150], ip=coarse_ip(ip), user_agent=""
        )
