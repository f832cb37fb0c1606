"""Course keys from URLs; who may manage a bank is ``xueshi_core.permissions`` (``EDIT_QUESTION_BANK``).

Operators and Django staff (the platform's global staff) author every bank; a course's team
(staff or instructor) authors that course's bank.
"""

from __future__ import annotations

from opaque_keys.edx.keys import CourseKey

from xueshi_core import params
from xueshi_core.jsonbody import BadInput


def parse_course(raw: str) -> CourseKey | None:
    """A course key, or None when ``raw`` is not one (or too long for our columns)."""
    try:
        return params.course_key(raw)
    except BadInput:
        return None
