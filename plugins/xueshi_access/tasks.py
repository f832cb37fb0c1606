"""Celery tasks run by beat: purge old audit rows, expire devices idle past the session lifetime."""

from __future__ import annotations

from celery import shared_task

from . import audit, conf, devices


@shared_task(name="xueshi_access.tasks.purge_audit", ignore_result=False)
def purge_audit() -> dict[str, int]:
    """Delete audit rows past ``AUDIT_RETENTION_DAYS`` and end long-idle devices (``expired``)."""
    purged = audit.purge()
    expired = devices.expire_idle(conf.device_idle_seconds())
    return {"purged": purged, "expired": expired}
