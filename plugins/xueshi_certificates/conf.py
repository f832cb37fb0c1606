"""Settings of ``xueshi_certificates``, read when used (operators' values win; ``override_settings`` works).

Every setting is optional except the signing keys in production; defaults suit the sandbox.
"""

from __future__ import annotations

from django.conf import settings


def _get(name: str, default: object) -> object:
    return getattr(settings, f"XUESHI_CERTIFICATES_{name}", default)


def signing_keys() -> list[str]:
    """``XUESHI_CERTIFICATES_SIGNING_KEYS``: newest first; the first signs, every one verifies.

    Each entry is a path to an Ed25519 private key in PEM, the PEM text itself, or
    ``seed:<secret>`` (a Tutor-generated secret the key is derived from; ADR 0122).
    """
    return [str(k) for k in (_get("SIGNING_KEYS", None) or []) if str(k).strip()]


def issuer_name() -> str:
    """The issuing organisation as printed and put in credentials (``XUESHI_CERTIFICATES_ISSUER_NAME``)."""
    return str(_get("ISSUER_NAME", "学时继续教育平台"))


def issuer_code() -> str:
    """Four characters (A-Z, 0-9) naming the issuer inside serials (``XUESHI_CERTIFICATES_ISSUER_CODE``)."""
    return str(_get("ISSUER_CODE", "XSJY")).upper()


def issuer_adcode() -> str:
    """The issuer's 6-digit GB/T 2260 region code, put in serials (``XUESHI_CERTIFICATES_ISSUER_ADCODE``)."""
    return str(_get("ISSUER_ADCODE", "350100"))


def public_base_url() -> str:
    """Scheme and host of public links, QR codes and credential ids (``XUESHI_CERTIFICATES_BASE_URL``).

    Falls back to the LMS's ``LMS_ROOT_URL``: a certificate outlives any one request's host header.
    """
    base = _get("BASE_URL", "") or getattr(settings, "LMS_ROOT_URL", "") or "http://localhost:8000"
    return str(base).rstrip("/")


def per_course_enabled() -> bool:
    """Whether learners may also claim one certificate per completed course (off by default)."""
    return bool(_get("PER_COURSE", False))


def redis_url() -> str:
    """Redis for the public look-up throttle (``XUESHI_CERTIFICATES_REDIS_URL``, else the ledger's)."""
    return str(_get("REDIS_URL", "") or getattr(settings, "XUESHI_STUDYTIME_REDIS_URL", "") or "")


def lookup_limit_per_ip() -> int:
    """Name + ID look-ups one IP may make per window (``XUESHI_CERTIFICATES_LOOKUP_PER_IP``, 10)."""
    return int(_get("LOOKUP_PER_IP", 10))  # type: ignore[call-overload]


def lookup_limit_per_id() -> int:
    """Look-ups of one ID number per window, from anywhere (``XUESHI_CERTIFICATES_LOOKUP_PER_ID``, 5)."""
    return int(_get("LOOKUP_PER_ID", 5))  # type: ignore[call-overload]


def lookup_window_seconds() -> int:
    """Length of the look-up throttle window (``XUESHI_CERTIFICATES_LOOKUP_WINDOW``, one hour)."""
    return int(_get("LOOKUP_WINDOW", 3600))  # type: ignore[call-overload]


def status_list_id() -> int:
    """The status list new certificates are placed in (one list holds ``statuslist.LIST_BITS``)."""
    return int(_get("STATUS_LIST", 1))  # type: ignore[call-overload]
