"""Identity document numbers: normalisation and validation per document type (pure, no Django).

Resident ID numbers (居民身份证, GB 11643-1999) are checked with python-stdnum's ``stdnum.cn.ric``
for length, digits and the ISO 7064 MOD 11-2 check digit, plus what it leaves out:

- **Region**: stdnum looks the first six digits up in its own ``cn/loc.dat`` *at the birth year*
  and rejects codes newer than its data. We accept a code stdnum knows, or one the caller's
  division data knows (``known_region``), so a new county does not lock its people out.
- **Birth date**: stdnum only checks it is a calendar date. We also refuse dates in the future,
  before 1900 and ages over ``MAX_AGE``; a minimum age is the operator's choice.
- **15-digit numbers** (first-generation cards, invalid since 2013-01-01 by the Resident Identity
  Card Law): refused with a message asking for the 18-digit number (ADR 0502).
- **stdnum 2.2 crashes** (``KeyError``) on a known province with an unknown county; we treat that
  as an unknown region instead of a 500.
- **Input as people type it**: full-width digits from Chinese IMEs, spaces, hyphens and a lower
  case ``x`` are normalised first.

Residence permits for Hong Kong, Macao and Taiwan residents (港澳台居民居住证) use the same
18-digit structure with region 810000/820000/830000. Travel permits and passports are checked
for
their published shapes only (no check digit is public).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

RESIDENT_ID = "resident_id"
HMT_RESIDENCE = "hmt_residence"
HK_MO_PERMIT = "hk_mo_permit"
TW_PERMIT = "tw_permit"
FOREIGN_PERMANENT = "foreign_permanent"
PASSPORT = "passport"

#: Stored in databases forever: never rename a key. Labels are translated by the app.
ID_TYPES: dict[str, str] = {
    RESIDENT_ID: "居民身份证",
    HMT_RESIDENCE: "港澳台居民居住证",
    HK_MO_PERMIT: "港澳居民来往内地通行证",
    TW_PERMIT: "台湾居民来往大陆通行证",
    FOREIGN_PERMANENT: "外国人永久居留身份证",
    PASSPORT: "护照",
}
MAX_AGE = 120
_HMT_REGIONS = ("810000", "820000", "830000")
_SHAPES = {
    HK_MO_PERMIT: re.compile(r"^[HM]\d{8}(\d{2})?$"),
    TW_PERMIT: re.compile(r"^\d{8}(\d{2})?$"),
    PASSPORT: re.compile(r"^[A-Z0-9]{5,17}$"),
}
_OLD_FOREIGN_PERMANENT = re.compile(r"^[A-Z]{3}\d{12}$")


class InvalidIdNumber(ValueError):
    """An ID number was refused; ``code`` is stable for APIs, ``str()`` is the English reason."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class IdNumber:
    """A validated, normalised document number."""

    id_type: str
    number: str
    birth_date: datetime.date | None = None
    sex: str | None = None  # "M" / "F" where the number says it


def normalise(raw: str | None) -> str:
    """Full-width to ASCII (NFKC), upper case, without spaces, hyphens and dots."""
    text = unicodedata.normalize("NFKC", raw or "")
    return re.sub(r"[\s\-.·]", "", text).upper()


def _check_birth_date(number: str, today: datetime.date, min_age: int) -> datetime.date:
    try:
        born = ric.get_birth_date(number)
    except InvalidComponent as exc:
        raise InvalidIdNumber("bad_birth_date", "the birth date in the number is not a real date") from exc
    if born > today:
        raise InvalidIdNumber("future_birth_date", "the birth date in the number is in the future")
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if born.year < 1900 or age > MAX_AGE:
        raise InvalidIdNumber("implausible_age", f"the birth date gives an age over {MAX_AGE}")
    if age < min_age:
        raise InvalidIdNumber("too_young", f"learners must be at least {min_age} years old")
    return born


def _check_gb11643(number: str) -> None:
    """Length, digits and check digit, with stdnum's own exceptions mapped to stable codes."""
    if len(number) == 15 and number.isdigit():
        raise InvalidIdNumber(
            "legacy_15_digits",
            "15-digit numbers were retired in 2013: enter the 18 digits on your current card",
        )
    if len(number) != 18:
        raise InvalidIdNumber("wrong_length", "an ID number has 18 characters")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidIdNumber("bad_characters", "an ID number is 17 digits and a digit or X")
    try:
        # stdnum's validate also checks its own region table; we only want its checksum here.
        if number[-1] != ric.calc_check_digit(number):
            raise InvalidChecksum()
    except (InvalidChecksum, InvalidFormat, InvalidLength) as exc:
        raise InvalidIdNumber("bad_check_digit", "the last character (check digit) does not match") from exc


def _region_known_to_stdnum(number: str) -> bool:
    try:
        ric.get_birth_place(number)
    except (InvalidComponent, KeyError):
        # stdnum 2.2 raises KeyError('county') when the province exists but the county does not.
        return False
    return True


def validate(
    id_type: str,
    raw: str | None,
    *,
    known_region: Callable[[str], bool] = lambda code: False,
    today: datetime.date | None = None,
    min_age: int = 0,
) -> IdNumber:
    """Normalise and check a number of the given document type; raise :class:`InvalidIdNumber`.

    Arguments:
        id_type: one of :data:`ID_TYPES`.
        raw: the number as typed.
        known_region: tells whether a 6-digit region code exists in the site's division data
            (any time, current or historic); used when stdnum's table does not know the code.
        today: the date ages are computed at (Asia/Shanghai today; tests pass a fixed one).
        min_age: youngest age accepted, in years.
    """
    if id_type not in ID_TYPES:
        raise InvalidIdNumber("unknown_id_type", f"unknown document type {id_type!r}")
    number = normalise(raw)
    if not number:
        raise InvalidIdNumber("required", "the document number is required")
    today = today or datetime.date.today()
    if id_type in (RESIDENT_ID, HMT_RESIDENCE) or (id_type == FOREIGN_PERMANENT and len(number) == 18):
        _check_gb11643(number)
        born = _check_birth_date(number, today, min_age)
        region = number[:6]
        if id_type == HMT_RESIDENCE and region not in _HMT_REGIONS:
            raise InvalidIdNumber(
                "bad_region", "a residence permit number starts with 810000, 820000 or 830000"
            )
        if id_type == FOREIGN_PERMANENT and not number.startswith("9"):
            raise InvalidIdNumber("bad_format", "a new permanent residence card number starts with 9")
        if id_type == RESIDENT_ID and not (_region_known_to_stdnum(number) or known_region(region)):
            raise InvalidIdNumber("bad_region", f"region code {region} does not exist")
        sex = "M" if int(number[16]) % 2 else "F"
        return IdNumber(id_type, number, born, sex)
    if id_type == FOREIGN_PERMANENT:
        if not _OLD_FOREIGN_PERMANENT.match(number):
            raise InvalidIdNumber(
                "bad_format", "a permanent residence card number has 18 digits (or 3 letters + 12)"
            )
        return IdNumber(id_type, number)
    if not _SHAPES[id_type].match(number):
        raise InvalidIdNumber("bad_format", f"this is not the shape of a {id_type.replace('_', ' ')} number")
    return IdNumber(id_type, number)


def check_digit(first17: str) -> str:
    """The GB 11643 check character for 17 digits (to build valid test and demo numbers)."""
    return str(ric.calc_check_digit(first17 + "0"))
