"""Course keys from URLs; who may manage a bank is ``xueshi_core.permissions`` (``EDIT_QUESTION_BANK``).

Operators and Django staff (the platform's global staff) author every bank; a course's team
(staff or instructor) authors that course's bank.
"""

from __future__ import annotations

from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey


def parse_course(raw: str) -> CourseKey | None:
    """A course key, or None when ``raw`` is not one."""
    try:
        return CourseKey.from_string(raw)
    except InvalidKeyError:
        return None
