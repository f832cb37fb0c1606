"""Demo data: zhangsan claims last year's certificate, which his real hour account says he met.

Nothing is faked here: the hours demo approved last year's offline training for him, the hours
app computes the account, and ``claim_year`` issues as a learner's claim does (idempotent: a
second run finds the same certificate). The lines printed name the certificate's QR verify URL.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone

from xueshi_core.days import china_day

from . import links
from .issuing import NotEligible, claim_year


def seed_demo_certificate() -> list[str]:
    """Zhangsan's certificate for last year; the lines for the demo output."""
    zhangsan = get_user_model().objects.filter(username="zhangsan").first()
    if zhangsan is None:
        return []
    year = china_day(timezone.now()).year - 1
    try:
        cert = claim_year(zhangsan.pk, year).certificate
    except NotEligible as exc:
        return [f"certificates: zhangsan has no {year} certificate ({exc.code})"]
    return [
        f"certificates: zhangsan holds {cert.serial} ({year}) on 我的证书 /xueshi/certificates/",
        f"certificates: verify it (the QR's URL) at {links.verify_url(cert.serial, cert.check_code)}",
    ]
