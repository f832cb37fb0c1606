"""Consent to the processing of sensitive personal information (PIPL art. 14, 17, 29).

ID numbers and biometric face data are *sensitive* personal information: the law asks for a
notice (who processes, why, how, how long, how to exercise one's rights) and a *separate* consent
to it, given by a clear act (a ticked box, never a pre-ticked one). Each kind of notice is a
versioned template per language; the version is raised only when the notice changes in substance
(a new purpose, manner, retention or processor), which asks every learner again (art. 14). One
:class:`~xueshi_core.models.ConsentRecord` row per consent is the evidence; a withdrawal stamps it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from .clientip import request_ip

if TYPE_CHECKING:
    from .models import ConsentRecord

#: Processing of the learner's ID number (real-name study, 实名制).
ID_NUMBER = "id_number"
#: Processing of the learner's face images and face descriptor (face checks during study).
FACE = "face_biometric"
#: The current version of each notice; its templates are ``xueshi_core/consent/<kind>_v<n>.<lang>.html``.
CURRENT_VERSIONS: dict[str, int] = {ID_NUMBER: 1, FACE: 1}


class UnknownNotice(ValueError):
    """No notice of this kind and version exists: consent to an unseen text is not consent."""


def current_version(kind: str) -> int:
    """The version of ``kind``'s notice shown today."""
    try:
        return CURRENT_VERSIONS[kind]
    except KeyError as exc:
        raise UnknownNotice(kind) from exc


def notice_html(kind: str, version: int | None = None, **context: Any) -> SafeString:
    """The notice in the active language (Chinese for ``zh*``, else English), for a form to show."""
    chosen = current_version(kind) if version is None else version
    language = "zh_CN" if (get_language() or "zh-hans").lower().startswith("zh") else "en"
    values = {
        "controller": getattr(settings, "XUESHI_PRIVACY_CONTROLLER", ""),
        "contact": getattr(settings, "XUESHI_PRIVACY_CONTACT", ""),
        **context,
    }
    html = render_to_string(f"xueshi_core/consent/{kind}_v{chosen}.{language}.html", values)
    return SafeString(html)


def record_consent(user: Any, kind: str, version: int, request: Any = None) -> ConsentRecord:
    """Store that ``user`` consented to ``version`` of ``kind``'s notice, now, from the request's IP.

    Raises:
        UnknownNotice: the kind is unknown or the version is not the one shown today.
    """
    from .models import ConsentRecord

    if int(version) != current_version(kind):
        raise UnknownNotice(f"{kind} v{version}")
    record: ConsentRecord = ConsentRecord.objects.create(
        user_id=int(user.pk),
        kind=kind,
        version=int(version),
        ip=request_ip(request) if request is not None else None,
        path=str(getattr(request, "path", "") or "")[:255],
    )
    return record


def has_consented(user: Any, kind: str) -> bool:
    """Whether ``user`` holds an unwithdrawn consent to the current version of ``kind``'s notice."""
    from .models import ConsentRecord

    if getattr(user, "pk", None) is None:
        return False
    return bool(
        ConsentRecord.objects.filter(
            user_id=user.pk, kind=kind, version=current_version(kind), withdrawn_at__isnull=True
        ).exists()
    )


def withdraw_consent(user: Any, kind: str) -> int:
    """Stamp every open consent of ``user`` to ``kind`` as withdrawn now; how many were open.

    The caller stops the processing and erases the data (e.g. ``xueshi_face.enrolment.forget``).
    """
    from .models import ConsentRecord

    open_rows = ConsentRecord.objects.filter(user_id=user.pk, kind=kind, withdrawn_at__isnull=True)
    return int(open_rows.update(withdrawn_at=timezone.now()))


def pseudonymise_consents(sender: Any, retiree: Any, **kwargs: Any) -> None:
    """Retirement step: consent rows stay as evidence of lawful processing, with a coarse IP only."""
    from .masking import coarse_ip
    from .models import ConsentRecord

    rows = ConsentRecord.objects.filter(user_id=retiree.user_id)
    for row_id, ip in list(rows.values_list("id", "ip")):
        ConsentRecord.objects.filter(id=row_id).update(ip=coarse_ip(ip))
