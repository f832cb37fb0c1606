"""Record every full view of personal data (ID number, phone, face image): who, whose, which, why.

The rule (需求 001, 等保 level 3 audit): personal data is shown masked; a person who is allowed to
see a full value sees it only after a row is written here. Callers use :func:`record_view`
directly, or :func:`reveal`, which checks the role, writes the row and then decrypts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import permissions
from .clientip import request_ip
from .fields import Sealed

if TYPE_CHECKING:
    from .models import PersonalDataView

#: Field names used across Xueshi (free text is allowed; these keep reports consistent).
ID_NUMBER, PHONE, FACE_IMAGE, NAME = "id_number", "phone", "face_image", "name"


class FullViewDenied(PermissionError):
    """The actor's roles do not allow a full view of personal data."""


def record_view(
    actor: Any, subject_user_id: int, field: str, purpose: str, request: Any = None
) -> PersonalDataView:
    """Write one audit row for a full view and return it.

    Arguments:
        actor: the user who sees the value (``None`` for a system process, e.g. an export job
            that records the operator separately).
        subject_user_id: whose data it is.
        field: what was seen (``id_number``, ``phone``, ``face_image`` …).
        purpose: why, in words an auditor understands (required).
        request: the HTTP request, for IP, user agent and path.
    """
    from .models import PersonalDataView

    if not (purpose or "").strip():
        raise ValueError("a full view of personal data needs a purpose")
    meta = (getattr(request, "META", {}) or {}) if request is not None else {}
    return PersonalDataView.objects.create(
        actor_id=getattr(actor, "pk", None),
        actor_username=str(getattr(actor, "username", "") or "")[:150],
        subject_user_id=int(subject_user_id),
        field=str(field)[:40],
        purpose=purpose.strip()[:200],
        ip=request_ip(request) if request is not None else None,
        user_agent=str(meta.get("HTTP_USER_AGENT", ""))[:255],
        path=str(getattr(request, "path", "") or "")[:255],
    )


def reveal(
    sealed: Sealed, *, actor: Any, subject_user_id: int, field: str, purpose: str, request: Any = None
) -> Any:
    """Check the actor may see full values, record the view, then return the decrypted value.

    The learner themself (``actor.pk == subject_user_id``) may always see their own data; the view
    is recorded all the same. Raises :class:`FullViewDenied` otherwise when the actor's roles do
    not allow it or the learner is outside the actor's scope (nothing is decrypted then).
    """
    own = getattr(actor, "pk", None) == subject_user_id
    if not own and not permissions.may_see_learner(actor, permissions.REVEAL_PERSONAL_DATA, subject_user_id):
        raise FullViewDenied("your roles do not allow full views of personal data")
    record_view(actor, subject_user_id, field, purpose, request)
    return sealed.reveal()  # type: ignore[attr-defined]


def record_refusal(actor: Any, action: str, target: str, reason: str, request: Any = None) -> Any:
    """Record that ``actor`` was refused ``action`` on ``target`` (a region, a learner) and why.

    Called where an app applies the account's scope, so every refused try outside it leaves a row
    (``RefusedAccess``) an auditor can read, as the full views above do.
    """
    from .models import RefusedAccess

    return RefusedAccess.objects.create(
        actor_id=getattr(actor, "pk", None),
        actor_username=str(getattr(actor, "username", "") or "")[:150],
        action=str(action)[:40],
        target=str(target)[:200],
        reason=str(reason)[:200],
        ip=request_ip(request) if request is not None else None,
        path=str(getattr(request, "path", "") or "")[:255],
    )


def record_export(actor: Any, what: str, scope: str, rows: int, *, masked: bool, request: Any = None) -> Any:
    """Record that a file of ``rows`` learners' rows left the platform to ``actor`` (ADR 0159).

    Arguments:
        actor: who receives the file (the account downloading it).
        what: which export, in words an auditor understands ("statistics query export 1a2b…").
        scope: the regions and employers the rows were confined to ("everything" for all).
        rows: how many rows the file holds.
        masked: whether names, ID numbers and phones in it are masked (``False``: full values).
        request: the HTTP request, for IP and path.
    """
    from .models import PersonalDataExport

    return PersonalDataExport.objects.create(
        actor_id=getattr(actor, "pk", None),
        actor_username=str(getattr(actor, "username", "") or "")[:150],
        what=str(what)[:200],
        scope=str(scope)[:500],
        rows=max(0, int(rows)),
        masked=bool(masked),
        ip=request_ip(request) if request is not None else None,
        path=str(getattr(request, "path", "") or "")[:255],
    )


def views_of(subject_user_id: int) -> Any:
    """Every recorded full view of one person's data, newest first (for them and for auditors)."""
    from .models import PersonalDataView

    return PersonalDataView.objects.filter(subject_user_id=subject_user_id)


def __getattr__(name: str) -> object:
    """``audit.PersonalDataView`` (contract C3); the model itself lives in ``xueshi_core.models``."""
    if name == "PersonalDataView":
        from .models import PersonalDataView

        return PersonalDataView
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
