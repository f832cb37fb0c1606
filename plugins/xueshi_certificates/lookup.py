"""Public verification without signing in: by serial and check code (the QR URL), or by name and ID.

A serial alone finds nothing: the check code printed beside the QR is needed too, and a wrong
code answers exactly like an unknown serial, so serials (which are sequential) cannot be walked
to list people. Look-ups by name and ID number are throttled, answer with masked facts only,
and each one that finds somebody is written to core's personal-data audit trail, so the
learner and auditors can see when and from where their certificates were looked up.
"""

from __future__ import annotations

import hmac
from typing import Any

from xueshi_core import audit
from xueshi_core.clientip import request_ip

from . import conf, serials, throttle
from .models import Certificate

LOOKUP_PURPOSE = "public certificate look-up by name and ID number"
LOOKUP_FIELD = "certificate_lookup"


class Throttled(Exception):
    """Too many look-ups from this address or for this ID number: try again later."""


def by_serial_and_code(serial: str, check_code: str) -> Certificate | None:
    """The certificate when both match; ``None`` otherwise (never says which was wrong)."""
    serial, code = serials.normalise(serial), serials.normalise(check_code)
    if not serials.is_well_formed(serial) or not code or len(code) > 12:
        return None
    cert = Certificate.objects.filter(serial=serial).first()
    if cert is None or not hmac.compare_digest(cert.check_code.encode(), code.encode()):
        return None
    return cert


def by_name_and_id(real_name: str, id_type: str, id_number: str, request: Any) -> list[Certificate]:
    """Every certificate of the person with exactly this name and ID number (masked on the page).

    Raises :class:`Throttled` when the IP or the ID number is over its limit, and
    ``throttle.RedisError`` when the counters cannot be read (the view answers 503).
    """
    from .holders import user_for_lookup

    ip = request_ip(request) or "unknown"
    if not throttle.hit("ip", ip, conf.lookup_limit_per_ip()):
        raise Throttled("ip")
    if not throttle.hit("id", throttle.subject_of(id_number), conf.lookup_limit_per_id()):
        raise Throttled("id")
    user_id = user_for_lookup(real_name, id_type, id_number)
    if user_id is None:
        return []
    audit.record_view(None, user_id, LOOKUP_FIELD, LOOKUP_PURPOSE, request)
    return list(Certificate.objects.filter(user_id=user_id))
