"""Checks on uploaded photos and camera frames before any engine sees them.

Every refusal carries a short code and a sentence, so the page can say what went wrong and the
API answers 400/413 instead of letting a decoder fail with a 500.
"""

from __future__ import annotations

import hashlib
import io
import threading
import warnings
from dataclasses import dataclass
from typing import Any

from . import conf

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
#: Engines work on images no larger than this on their longer side (faces stay well above the
#: detector's 80 px minimum; compute and memory stay small).
WORK_SIDE = 800


class Refused(ValueError):
    """A request the face app refuses: ``code`` names the reason, ``status`` the HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


class ImageRejected(Refused):
    """An upload that is not an acceptable image."""


@dataclass(frozen=True)
class CheckedImage:
    """Bytes that decoded as an accepted image, with its digest and size."""

    data: bytes
    digest: str
    format: str
    width: int
    height: int


def digest(data: bytes) -> str:
    """SHA-256 of the exact bytes received (what a record points to once the image is purged)."""
    return hashlib.sha256(data).hexdigest()


def check_image(data: bytes) -> CheckedImage:
    """Accept a JPEG, PNG or WebP within the size limits, or raise :class:`ImageRejected`."""
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise ImageRejected("empty", "The image is empty.")
    if len(data) > conf.max_image_bytes():
        raise ImageRejected("too_large", f"The image is larger than {conf.max_image_bytes()} bytes.", 413)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                fmt, (width, height) = str(image.format or ""), image.size
                if fmt not in ACCEPTED_FORMATS:
                    raise ImageRejected("format", "Only JPEG, PNG or WebP images are accepted.", 415)
                if width * height > conf.max_image_pixels() or width < 64 or height < 64:
                    raise ImageRejected("dimensions", "The image is too large or too small in pixels.")
                _strict_load(image)  # a full decode: verify() misses truncated JPEGs
    except ImageRejected:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected("not_image", "The file is not a readable image.") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageRejected("not_image", "The file is not a readable image.") from exc
    return CheckedImage(data, digest(data), fmt, width, height)


_STRICT_DECODE = threading.Lock()


def _strict_load(image: Any) -> None:
    """Decode fully, refusing truncated files even where another library relaxed Pillow.

    WeasyPrint (certificate PDFs) sets Pillow's process-wide ``LOAD_TRUNCATED_IMAGES`` when it is
    imported, after which a cut-off JPEG decodes "successfully" with grey padding: a face photo
    must not. The flag is switched off for this decode only, under a lock.
    """
    from PIL import ImageFile

    with _STRICT_DECODE:
        relaxed = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            image.load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = relaxed


def to_rgb_array(data: bytes, max_side: int = WORK_SIDE) -> Any:
    """Decode to an RGB ``numpy`` array no larger than ``max_side``, honouring EXIF orientation.

    Phones store portrait photos rotated.
    """
    import numpy
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        rgb = ImageOps.exif_transpose(image).convert("RGB")
    rgb.thumbnail((max_side, max_side))
    return numpy.asarray(rgb)


def to_jpeg(data: bytes, max_side: int = WORK_SIDE, quality: int = 90) -> bytes:
    """Re-encode as a JPEG no larger than ``max_side`` (what cloud engines are sent: small, one format)."""
    from PIL import Image

    out = io.BytesIO()
    Image.fromarray(to_rgb_array(data, max_side)).save(out, format="JPEG", quality=quality)
    return out.getvalue()
