"""Revoking a certificate, and the signed status list that publishes revocations.

Revocation never deletes: the row, its serial and its credential stay (a bureau that kept a copy
must learn it was withdrawn, and why); its status-list bit is set and the reason is shown on the
public page. The status list is rebuilt from the rows on each request (one indexed query of the
revoked slots) and cached briefly, so a revocation shows within ``STATUS_LIST_CACHE`` seconds.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import credentials, links, statuslist
from .models import ISSUED, REVOKED, Certificate

STATUS_LIST_CACHE = 60
MAX_REASON = 200
#: What the operator reads for each refusal code.
REFUSALS = {
    "reason_required": _("Say why the certificate is revoked."),
    "reason_too_long": _("The reason has at most 200 characters."),
    "unknown_serial": _("No certificate has this serial."),
    "already_revoked": _("The certificate is already revoked."),
}


class RevokeRefused(ValueError):
    """Revoking was refused (no reason given, or already revoked): ``code`` says which."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


def _cache_key(list_id: int) -> str:
    return f"xueshi_certificates:status:{list_id}"


def revoke(serial: str, *, reason: str, actor: Any) -> Certificate:
    """Withdraw a certificate with a reason; idempotent refusal if it is already revoked."""
    reason = (reason or "").strip()
    if not reason:
        raise RevokeRefused("reason_required", "say why the certificate is revoked")
    if len(reason) > MAX_REASON:
        raise RevokeRefused("reason_too_long", f"the reason has at most {MAX_REASON} characters")
    with transaction.atomic():
        cert = Certificate.objects.select_for_update().filter(serial=serial).first()
        if cert is None:
            raise RevokeRefused("unknown_serial", "no certificate has this serial")
        if cert.status != ISSUED:
            raise RevokeRefused("already_revoked", "the certificate is already revoked")
        cert.status, cert.revoked_at, cert.revoke_reason = REVOKED, timezone.now(), reason
        cert.revoked_by = actor if getattr(actor, "pk", None) else None
        cert.save(update_fields=["status", "revoked_at", "revoke_reason", "revoked_by"])
        list_id, user_id = cert.status_list, cert.user_id
        transaction.on_commit(lambda: _after_revoke(list_id, serial, user_id, reason))
    return cert


def _after_revoke(list_id: int, serial: str, user_id: int, reason: str) -> None:
    from .signals import CERTIFICATE_REVOKED

    cache.delete(_cache_key(list_id))
    CERTIFICATE_REVOKED.send(sender=None, serial=serial, user_id=user_id, reason=reason)


def revoked_indices(list_id: int) -> list[int]:
    """Slots of list ``list_id`` whose certificates are revoked."""
    return list(
        Certificate.objects.filter(status_list=list_id, status=REVOKED).values_list("status_index", flat=True)
    )


def status_list_token(list_id: int) -> str:
    """The signed ``BitstringStatusListCredential`` (VC-JWT) of list ``list_id`` (cached briefly)."""
    key = _cache_key(list_id)
    token = cache.get(key)
    if token is None:
        now = timezone.now().replace(microsecond=0)
        unsigned = statuslist.list_credential(
            list_url=links.status_list_url(list_id),
            issuer_id=links.issuer_id(),
            valid_from=now.isoformat().replace("+00:00", "Z"),
            encoded_list=statuslist.encode(revoked_indices(list_id)),
        )
        token = credentials.sign(unsigned)
        cache.set(key, token, STATUS_LIST_CACHE)
    return str(token)
