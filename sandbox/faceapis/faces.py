"""The comparisons behind both sandboxes: Xueshi's local engine (dlib).

Its distance is mapped onto each vendor's score scale so that dlib's same-person boundary
(distance 0.6) lands on the vendor's recommended threshold.
"""

from __future__ import annotations

import base64
import binascii
import io
from dataclasses import dataclass

from xueshi_face.engines.base import NoFace
from xueshi_face.engines.local import SAME_PERSON_DISTANCE, LocalEngine

_engine = LocalEngine()


class BadImage(ValueError):
    """The payload is not base64 of a decodable image."""


@dataclass(frozen=True)
class Faces:
    """Result of a comparison: descriptor distance and the largest face's box in each image."""

    distance: float
    box_a: tuple[int, int, int, int]
    box_b: tuple[int, int, int, int]


def decode(payload: str) -> bytes:
    """Base64 image bytes (a ``data:`` prefix is tolerated as some clients send one)."""
    text = payload.split(",", 1)[1] if payload.startswith("data:") else payload
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BadImage("not base64") from exc
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise BadImage("not an image") from exc
    return data


def _box(image: bytes) -> tuple[int, int, int, int]:
    faces = _engine.detect(image)
    if not faces:
        raise NoFace("no_face", "no face")
    face = faces[0]
    return face.left, face.top, face.width, face.height


def compare(a: bytes, b: bytes) -> Faces:
    """Distance between the largest faces of two images (raises ``NoFace``)."""
    score = _engine.compare(a, b).score
    return Faces(round(1 - score / 100, 4), _box(a), _box(b))


def boxes(image: bytes) -> list[tuple[int, int, int, int]]:
    """Every face's box, largest first."""
    return [(f.left, f.top, f.width, f.height) for f in _engine.detect(image)]


def vendor_score(distance: float, vendor_threshold: float) -> float:
    """Map a dlib distance to a 0-100 score whose ``vendor_threshold`` sits at distance 0.6."""
    score = 100 - (100 - vendor_threshold) * distance / SAME_PERSON_DISTANCE
    return round(min(100.0, max(0.0, score)), 2)
