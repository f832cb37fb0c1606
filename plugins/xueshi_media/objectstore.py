"""Presigned object-storage URLs for verified segments (ADR 0326).

With ``XUESHI_MEDIA_STORAGE=platform`` under Tutor the default storage is an S3-compatible bucket
(tutor-minio, or S3/OSS/COS through django-storages). Django then checks each segment request as
ever (signature, learner, lease; or the preview token), records the delivery and the fetch log,
and answers 302 to a URL the store itself verifies: SigV4 over the object's path with a short
``X-Amz-Expires``. A copied or altered URL is refused by the store; once expired it is dead.

Only a storage whose ``url()`` takes ``expire`` (django-storages' S3 backend) and returns a signed
URL qualifies; anything else (the file system, a custom domain without signing) gets ``None`` and
the caller streams, so a misconfiguration never hands out a public, unexpiring address.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

from django.core.files.storage import default_storage

from . import conf

log = logging.getLogger(__name__)
SIGNED_PARAMS = ("X-Amz-Signature", "Signature")


def presigned_url(name: str) -> str | None:
    """A short-lived presigned GET URL of storage object ``name``, or ``None`` when the storage signs none."""
    try:
        url = default_storage.url(name, expire=conf.presigned_seconds())
    except TypeError:  # not an object store: its url() takes no expiry
        log.warning("XUESHI_MEDIA_PRESIGNED_SECONDS is set but the default storage cannot presign")
        return None
    query = parse_qs(urlsplit(url).query)
    if not any(param in query for param in SIGNED_PARAMS):
        log.warning("the default storage returned an unsigned URL (querystring_auth off?); streaming")
        return None
    return str(url)
