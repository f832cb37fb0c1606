"""Signals of ``xueshi_certificates``: facts other apps (statistics, reporting) subscribe to.

Both are sent after the transaction commits, with ``sender=None``:

- ``CERTIFICATE_ISSUED``: ``serial`` (str), ``user_id`` (int).
- ``CERTIFICATE_REVOKED``: ``serial`` (str), ``user_id`` (int), ``reason`` (str).
"""

from django.dispatch import Signal

CERTIFICATE_ISSUED = Signal()
CERTIFICATE_REVOKED = Signal()
