"""Helpers for tests and demo data: real-shaped, checksum-valid ID numbers (never real people's).

Sequence numbers 990–999 are used by default: the resident ID system reserves no range for test
numbers, so demo numbers at least stay recognisable at a glance.
"""

from __future__ import annotations

import datetime

from .idnumbers import check_digit


def make_resident_id(
    region: str = "350102", born: datetime.date | str = "19900307", sequence: int = 991
) -> str:
    """An 18-digit number with a correct check digit (odd sequence = male, even = female)."""
    birth = born.strftime("%Y%m%d") if isinstance(born, datetime.date) else born
    first17 = f"{region}{birth}{sequence:03d}"
    return first17 + check_digit(first17)


def with_wrong_check_digit(number: str) -> str:
    """The same number with any other check character."""
    wrong = "0" if number[-1] != "0" else "1"
    return number[:-1] + wrong
