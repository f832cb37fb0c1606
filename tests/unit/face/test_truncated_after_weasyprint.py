"""A cut-off JPEG is refused even once WeasyPrint (certificate PDFs) is imported in the same
process: WeasyPrint switches Pillow's process-wide LOAD_TRUNCATED_IMAGES on at import, and the full
test run caught the face check accepting a truncated photo after a PDF test had run."""

from __future__ import annotations

import pytest

from tests.unit.face.faces import photo
from xueshi_face.images import ImageRejected, check_image


def test_a_truncated_photo_is_refused_after_weasyprint_relaxed_pillow():
    import weasyprint  # noqa: F401  (its import relaxes Pillow)
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    with pytest.raises(ImageRejected) as refused:
        check_image(photo("person_a_enrol")[:2000])
    assert refused.value.code == "not_image"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # WeasyPrint's own setting is left as it was
