"""Celery tasks run by beat: last-seen times, audit purge and replay, idle devices."""

from __future__ import annotations

from celery import shared_task

from . import audit, conf, devices, lastseen


@shared_task(name="xueshi_access.tasks.purge_audit", ignore_result=False)
def purge_audit() -> dict[str, int]:
    """Delete audit rows past ``AUDIT_RETENTION_DAYS`` and end long-idle devices (``expired``)."""
    purged = audit.purge()
    expired = devices.expire_idle(conf.device_idle_seconds())
    return {"purged": purged, "expired": expired}


@shared_task(name="xueshi_access.tasks.save_last_seen", ignore_result=True)
def save_last_seen() -> int:
    """Copy the devices' last-seen times that requests queued in Redis to MariaDB (every minute)."""
    return lastseen.save()


@shared_task(name="xueshi_access.tasks.replay_audit_spool", ignore_result=True)
def replay_audit_spool() -> int:
    """Insert the audit rows the database refused earlier and that wait on disk (every 5 minutes)."""
    return audit.replay_spooled()
