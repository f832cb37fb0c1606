"""The sign-in audit: one ``AccessEvent`` row per sign-in, sign-out, ended session, failure.

Rows carry server time, the client IP (behind trusted proxies only), its region from the offline
ip2region data at that moment, the user agent and the device kind. Writing an audit row never
breaks a sign-in, and never loses the row silently: a database failure spools it to disk and
counts it, and a beat task replays it (ADR 0062).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models import QuerySet

from xueshi_core import faults, spool

from . import conf, geo
from .clientinfo import client_ip as _client_ip
from .clientinfo import describe
from .data import Client
from .models import AccessEvent, SignInDevice

log = logging.getLogger(__name__)
SPOOL_KIND = "access_audit"


def client_of(request: Any, *, token_grant: bool = False) -> Client:
    """IP, user agent and device kind of a Django request (``None`` gives an empty client)."""
    meta = getattr(request, "META", None) or {}
    ip = _client_ip(
        str(meta.get("REMOTE_ADDR", "")), str(meta.get("HTTP_X_FORWARDED_FOR", "")), conf.trusted_proxies()
    )
    agent = str(meta.get("HTTP_USER_AGENT", ""))[:512]
    described = describe(agent, token_grant=token_grant)
    return Client(ip=ip, user_agent=agent, kind=described.kind, browser=described.browser, os=described.os)


def _service() -> str:
    from xueshi_core.api import CMS, current_project_type

    return "cms" if current_project_type() == CMS else "lms"


def record(
    event: str,
    client: Client,
    *,
    user: Any = None,
    username: str = "",
    reason: str = "",
    channel: str = "",
    device: str | None = None,
    at: datetime | None = None,
) -> AccessEvent | None:
    """Write one audit row; when the database refuses it, spool it to disk and count it (ADR 0062).

    A broken audit must not lock people out, and must not lose a row silently either: the row
    goes to ``xueshi_core.spool`` and is replayed by :func:`replay_spooled`. Only an error of the
    database (or of the disk, after it) is handled; a programming error propagates.
    """
    fields = _fields(event, client, user, username, reason, channel, device, at)
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives the failure
            return AccessEvent.objects.create(**fields)
    except DatabaseError:
        log.exception("sign-in audit row not written; spooling it (%s %s)", event, fields["username"])
    try:
        spool.append(SPOOL_KIND, fields)
    except OSError:
        log.critical("sign-in audit row LOST (database and spool failed): %s", fields, exc_info=True)
        faults.count(faults.AUDIT_LOST)
        return None
    faults.count(faults.AUDIT_SPOOLED)
    return None


def _fields(
    event: str,
    client: Client,
    user: Any,
    username: str,
    reason: str,
    channel: str,
    device: str | None,
    at: datetime | None,
) -> dict[str, Any]:
    try:
        region = geo.lookup(client.ip) if client.ip else geo.UNKNOWN
    except OSError:  # the region database is unreadable: the row is still written, without region
        log.exception("ip2region lookup failed for an audit row")
        region = geo.UNKNOWN
    return {
        "at": at or datetime.fromtimestamp(conf.now(), tz=UTC),
        "event": event,
        "reason": reason[:32],
        "user_id": getattr(user, "pk", None),
        "username": (username or getattr(user, "username", "") or "")[:150],
        "ip": client.ip or None,
        "region": region.label[:64],
        "region_code": region.code,
        "user_agent": client.user_agent[:512],
        "kind": client.kind,
        "channel": channel,
        "device": str(device) if device else None,
        "service": _service(),
    }


def replay_spooled() -> int:
    """Insert spooled audit rows (oldest first); a row already present is not inserted twice."""

    def write(fields: dict[str, Any]) -> None:
        fields = {**fields, "at": datetime.fromisoformat(str(fields["at"]))}
        same = {name: fields[name] for name in ("at", "event", "username", "device", "ip")}
        if not AccessEvent.objects.filter(**same).exists():
            AccessEvent.objects.create(**fields)

    return spool.drain(SPOOL_KIND, write)


def record_ended(device: SignInDevice, reason: str) -> None:
    """Audit that a device's session ended, with the ended device's own IP and user agent."""
    client = Client(ip=device.ip or "", user_agent=device.user_agent, kind=device.kind)
    record(
        AccessEvent.ENDED,
        client,
        user=device.user,
        reason=reason,
        channel=device.channel,
        device=str(device.id),
    )


def purge(retention_days: int | None = None, *, batch: int = 5000) -> int:
    """Delete audit rows older than the retention period, in batches; return how many went."""
    days = conf.retention_days() if retention_days is None else retention_days
    cutoff = datetime.fromtimestamp(conf.now(), tz=UTC) - timedelta(days=days)
    total = 0
    while True:
        ids = list(AccessEvent.objects.filter(at__lt=cutoff).values_list("id", flat=True)[:batch])
        if not ids:
            return total
        total += AccessEvent.objects.filter(id__in=ids).delete()[0]


def search(
    *,
    q: str = "",
    event: str = "",
    ip: str = "",
    start: datetime | None = None,
    end: datetime | None = None,
    user_ids: list[int] | None = None,
) -> QuerySet[AccessEvent]:
    """Audit rows matching staff's filters, newest first."""
    rows = AccessEvent.objects.all()
    if q:
        rows = rows.filter(username__iexact=q.strip()) | rows.filter(user__email__iexact=q.strip())
    if event:
        rows = rows.filter(event=event)
    if ip:
        rows = rows.filter(ip=ip.strip())
    if start:
        rows = rows.filter(at__gte=start)
    if end:
        rows = rows.filter(at__lt=end)
    if user_ids is not None:
        rows = rows.filter(user_id__in=user_ids)
    return rows.order_by("-at", "-id")
