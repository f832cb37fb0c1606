"""QR codes of verification URLs (segno): SVG for the PDF and pages, PNG for anything else.

The code carries only the URL (serial and check code in it), never a signed credential: a URL
of ~60 characters is a version 3–4 symbol that a phone reads off paper at 2 cm, whereas a JWT
would need version 12 (reference §3). Error correction M survives a stamp over a corner.
"""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import segno

MAX_URL_LENGTH = 200  # keeps the symbol at version ≤ 9: a certificate QR is for a short URL


def _qr(url: str) -> segno.QRCode:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > MAX_URL_LENGTH:
        raise ValueError(
            f"a certificate QR code carries one http(s) URL of at most {MAX_URL_LENGTH} characters"
        )
    return segno.make_qr(url, error="m")


def qr_svg(url: str) -> str:
    """An SVG element (no XML declaration, scalable ``viewBox``) for embedding in HTML."""
    return str(_qr(url).svg_inline(scale=1, border=4, omitsize=True, svgclass="qr", lineclass=None))


def qr_png(url: str, scale: int = 8) -> bytes:
    """A PNG of the QR code, ``scale`` pixels per module, with the standard four-module quiet zone."""
    out = io.BytesIO()
    _qr(url).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
