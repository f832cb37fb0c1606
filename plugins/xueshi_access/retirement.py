"""Retirement step of access control: end the devices, delete them, pseudonymise the sign-in audit.

``SignInDevice`` rows (IP, user agent, session key) are working state and go. ``AccessEvent`` rows
are the access log the regulators and the Cybersecurity Law make us keep (purged by
``XUESHI_ACCESS_AUDIT_RETENTION_DAYS``): they stay until then under the account's pseudonym, with
the IP cut to its network (region and carrier stay checkable) and no user agent. Failed attempts
typed with the learner's username or e-mail are covered too. Idempotent (ADR 0060).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from xueshi_core.masking import coarse_ip

from . import devices, hotstate, throttle
from .data import RETIRED
from .models import AccessEvent, SignInDevice

END_REASON = RETIRED
BATCH = 1000


def retire_account(retiree: Any) -> None:
    """End live devices (sessions, tokens, playback), delete device rows, pseudonymise audit rows."""
    live = SignInDevice.objects.filter(user_id=retiree.user_id, ended_at__isnull=True)
    for device_id in list(live.values_list("id", flat=True)):
        devices.end(retiree.user_id, str(device_id), END_REASON)
    SignInDevice.objects.filter(user_id=retiree.user_id).delete()
    keys = hotstate.Keys(retiree.user_id)
    hotstate.client().delete(keys.current)
    for name in retiree.typed_names:
        throttle.unlock(username=name)
    _pseudonymise_events(retiree)


def _pseudonymise_events(retiree: Any) -> None:
    rows = AccessEvent.objects.filter(
        Q(user_id=retiree.user_id) | Q(user__isnull=True, username__in=retiree.typed_names)
    ).exclude(username=retiree.pseudonym, user_agent="")
    while True:
        batch = list(rows.only("id", "ip")[:BATCH])
        if not batch:
            return
        for event in batch:
            event.username, event.ip, event.user_agent = retiree.pseudonym[:150], coarse_ip(event.ip), ""
        AccessEvent.objects.bulk_update(batch, ["username", "ip", "user_agent"])
