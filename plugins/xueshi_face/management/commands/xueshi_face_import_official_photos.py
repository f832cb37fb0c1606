"""``manage.py lms xueshi_face_import_official_photos``: import official photos, match enrolments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xueshi_core.api import MANAGE_FACE, may
from xueshi_face import approval
from xueshi_face.images import ImageRejected
from xueshi_face.models import FaceEnrolment

SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


def _files(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
        elif path.is_file():
            found.append(path)
        else:
            raise CommandError(f"{name}: no such file or folder")
    return found


class Command(BaseCommand):
    """Each file is named after the learner's username (``zhangsan.jpg``); it is stored encrypted."""

    help = (
        "Import official face photos (files named <username>.jpg|png|webp, or folders of them); "
        "a pending registered photo that matches one is trusted without a staff review."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Paths, the operator who imports (recorded), and where the photos come from."""
        parser.add_argument("paths", nargs="+", help="photo files or folders of photos")
        parser.add_argument(
            "--actor", required=True, help="username of the operator importing (a role granting manage_face)"
        )
        parser.add_argument("--source", default="", help="where the photos come from (recorded)")

    def handle(self, *args: Any, **options: Any) -> None:
        """Import every file; print one line each; fail (exit 1) if any file was refused."""
        users = get_user_model().objects
        actor = users.filter(username=options["actor"], is_active=True).first()
        if actor is None:
            raise CommandError(f"no active user {options['actor']!r} (the importing operator)")
        if not may(actor, MANAGE_FACE):
            raise CommandError(f"{actor.username!r} has no role granting manage_face (needed to import)")
        refused = 0
        for path in _files(options["paths"]):
            user = users.filter(username=path.stem).first()
            if user is None:
                self.stderr.write(f"{path.name}: no learner with username {path.stem!r}")
                refused += 1
                continue
            if not approval.may_vouch_for(actor, user.id):  # bound to other regions or employers
                self.stderr.write(f"{path.name}: learner {path.stem!r} is outside {actor.username!r}'s scope")
                refused += 1
                continue
            try:
                approval.import_official(user, path.read_bytes(), actor=actor, source=options["source"])
            except ImageRejected as exc:
                self.stderr.write(f"{path.name}: refused ({exc.code}): {exc}")
                refused += 1
                continue
            status = FaceEnrolment.objects.filter(user=user).values_list("status", flat=True).first()
            self.stdout.write(f"{path.name}: imported; registered photo: {status or 'none yet'}")
        if refused:
            raise CommandError(f"{refused} file(s) refused")
