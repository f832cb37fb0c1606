"""Official photos uploaded on a page: one photo, or a zip of photos named by username or ID number.

Files are named ``zhangsan.jpg`` or ``35010219900307991X.jpg``. The page does what the command
``xueshi_face_import_official_photos`` does from a shell: every photo goes through
``approval.import_official`` (``MANAGE_FACE`` over that learner, the learner in the uploader's
scope, encrypted field storage, an ``official`` enrolment event naming the uploader), so the two
ways in cannot disagree. Each file gets a line in the result: imported, or why not. Zips are read
from their directory first: too many members or too many bytes once inflated are refused before
anything is inflated (a zip bomb costs nothing).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from . import approval, messages
from .images import ImageRejected
from .models import ENROLMENT_STATUS_CHOICES, FaceEnrolment

SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 2000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


class UploadRefused(ValueError):
    """The upload as a whole is unusable (not an image or zip, too big, a zip bomb)."""


@dataclass(frozen=True)
class FileResult:
    """One photo of the upload: its name, whether it was imported, and the sentence to show."""

    name: str
    imported: bool
    message: str


def _photos(name: str, data: bytes) -> list[tuple[str, bytes | None]]:
    """``(file name, bytes)`` per photo; ``None`` bytes for a member too large to read."""
    if PurePosixPath(name).suffix.lower() != ".zip":
        return [(name, data)]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UploadRefused(_("This is not a readable zip file.")) from exc
    members = [m for m in members if not PurePosixPath(m.filename).name.startswith((".", "__MACOSX"))]
    members = [m for m in members if "__MACOSX/" not in m.filename]
    if len(members) > MAX_MEMBERS:
        raise UploadRefused(_("At most %(max)d photos per zip file.") % {"max": MAX_MEMBERS})
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise UploadRefused(_("The zip file is too large once unpacked."))
    from . import conf

    found: list[tuple[str, bytes | None]] = []
    for member in members:
        base = PurePosixPath(member.filename).name
        found.append((base, None if member.file_size > conf.max_image_bytes() else archive.read(member)))
    return found


def _learner(stem: str) -> Any:
    """The account a file names: its username, else its ID number (any document type)."""
    users = get_user_model().objects
    user = users.filter(username=stem).first()
    if user is not None or not stem:
        return user
    from xueshi_identity import api as identity  # the real-name app owns ID numbers
    from xueshi_identity import idnumbers

    number = idnumbers.normalise(stem)
    for id_type in idnumbers.ID_TYPES:
        user_id = identity.find_user_by_id_number(id_type, number)
        if user_id is not None:
            return users.filter(pk=user_id).first()
    return None


def _one(actor: Any, name: str, data: bytes | None, source: str) -> FileResult:
    path = PurePosixPath(name)
    if path.suffix.lower() not in SUFFIXES:
        return FileResult(name, False, _("Not a photo: use .jpg, .png or .webp files."))
    if data is None:
        return FileResult(name, False, messages.refusal("too_large", "The image is too large."))
    user = _learner(path.stem.strip())
    if user is None or not approval.may_vouch_for(actor, user.id):  # outside the scope: as if absent
        return FileResult(name, False, _("No learner of your scope has this username or ID number."))
    try:
        approval.import_official(user, data, actor=actor, source=source)
    except ImageRejected as exc:
        return FileResult(name, False, messages.refusal(exc.code, str(exc)))
    status = FaceEnrolment.objects.filter(user=user).values_list("status", flat=True).first()
    labels = dict(ENROLMENT_STATUS_CHOICES)
    shown = str(labels.get(status, status)) if status else _("none yet")
    return FileResult(name, True, _("Imported; registered photo: %(status)s") % {"status": shown})


def upload(actor: Any, name: str, data: bytes, *, source: str = "") -> list[FileResult]:
    """Import every photo of one uploaded file (a photo or a zip of photos) for ``actor``."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRefused(_("The file is larger than 50 MB."))
    photos = _photos(name, data)
    if not photos:
        raise UploadRefused(_("The zip file holds no photos."))
    return [_one(actor, photo_name, photo_data, source) for photo_name, photo_data in photos]
