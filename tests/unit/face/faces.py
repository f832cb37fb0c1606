"""The shipped face photos (tests/fixtures/faces, see its README) and images made from them."""

from __future__ import annotations

import io
from pathlib import Path

FACES = Path(__file__).resolve().parents[2] / "fixtures" / "faces"


def photo(name: str) -> bytes:
    """Bytes of a shipped photo: person_a_enrol, person_a_probe, person_a_turned, person_b, person_c."""
    return (FACES / f"{name}.jpg").read_bytes()


def side_by_side(*names: str) -> bytes:
    """One JPEG showing several people next to each other (a group photo)."""
    from PIL import Image

    images = [Image.open(FACES / f"{name}.jpg").convert("RGB") for name in names]
    height = max(image.height for image in images)
    canvas = Image.new("RGB", (sum(image.width for image in images), height), "white")
    x = 0
    for image in images:
        canvas.paste(image, (x, 0))
        x += image.width
    out = io.BytesIO()
    canvas.save(out, format="JPEG", quality=90)
    return out.getvalue()


def blank(size: tuple[int, int] = (320, 240), fmt: str = "PNG") -> bytes:
    """An image without any face."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (120, 160, 200)).save(out, format=fmt)
    return out.getvalue()


def mirrored(name: str) -> bytes:
    """A shipped photo flipped left to right (a head turned to the other side)."""
    from PIL import Image, ImageOps

    out = io.BytesIO()
    ImageOps.mirror(Image.open(FACES / f"{name}.jpg").convert("RGB")).save(out, format="JPEG", quality=90)
    return out.getvalue()


def pose_frame(pose: str) -> bytes:
    """Person A in a liveness pose: ``centre`` (yaw ~0.02), ``right`` (~-0.24), ``left`` (~+0.24)."""
    if pose == "centre":
        return photo("person_a_probe")
    return photo("person_a_turned") if pose == "right" else mirrored("person_a_turned")
