"""What other apps may read of the certificates (import-linter: only this module).

Plain values, never models: the statistics count certificates without knowing how they are kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .models import COURSE, ISSUED, Certificate


def valid_course_certificates(user_ids: Iterable[int] | Any, course_keys: Iterable[str]) -> int:
    """How many valid (not revoked) course certificates these learners hold for these courses.

    ``user_ids`` may be a list or a ``values("user_id")`` subquery of the caller's own table (the
    count then runs as one statement, however many learners a province has).
    """
    courses = list(course_keys)
    if not courses:
        return 0
    rows = Certificate.objects.filter(
        kind=COURSE, status=ISSUED, user_id__in=user_ids, course_key__in=courses
    )
    return int(rows.count())
