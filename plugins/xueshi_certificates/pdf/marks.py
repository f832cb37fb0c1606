"""The values that differ between certificates, collected and (for the overlay's probes) marked.

``CertificateRenderer.context`` passes each such value through a ``Marker``. The plain marker
only records it (a full rendering, or the values to stamp); the overlay's probes wrap it in
``<span data-xs=KEY>`` so the value can be found in WeasyPrint's layout (ADR 0360). Unquoted
attribute, so a marked value inside an attribute or ``<title>`` stays well-formed text.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .qr import MAX_URL_LENGTH

#: Fields of ``CertificateDocument`` printed per certificate; the others are the same for a batch.
STAMPED_FIELDS = ("serial", "holder_name", "holder_id_masked", "check_code", "body")
#: Values that run over several lines, broken by WeasyPrint's own line breaker.
PARAGRAPH_KEYS = frozenset({"body"})
LONGER_QR = 60  # characters added to the URL in the second probe: a larger QR version


class Marker:
    """Records every per-certificate value; with ``wrap``, marks it; with ``shorten``, cuts one character."""

    def __init__(self, wrap: bool = False, shorten: bool = False) -> None:
        """Plain (records), probe A (``wrap``) or probe B (``wrap`` and ``shorten``)."""
        self.wrap, self.shorten = wrap, shorten
        self.values: dict[str, str] = {}

    def __call__(self, key: str, value: object) -> str:
        """``value`` as the template prints it; blank values are left alone (nothing to stamp)."""
        text = str(value)
        if not text:
            return text
        self.values[key] = text
        if not self.wrap:
            return text
        if self.shorten and key not in PARAGRAPH_KEYS and len(text) > 1:
            text = text[:-1]
        return str(mark_safe(f"<span data-xs={key}>{escape(text)}</span>"))  # noqa: S308 — escaped value

    def qr_url(self, url: str) -> str:
        """The URL the QR code carries; the second probe makes it longer (a larger symbol)."""
        room = MAX_URL_LENGTH - len(url) - 1
        return url + "#" + "0" * min(LONGER_QR, room) if self.shorten and room > 0 else url
