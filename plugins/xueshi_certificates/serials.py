"""Certificate serials, modelled on 人社鉴发〔2019〕2号 numbers, with an ISO 7064 check character.

Shape (21 characters, no separators so it reads aloud and fits a small QR code)::

    N  XSJY  350100  26  0000123  7
    |  |     |       |   |        check character (ISO 7064 MOD 37,36: 0-9 A-Z)
    |  |     |       |   sequence within kind, issuer, region and year (7 digits)
    |  |     |       year (2 digits)
    |  |     issuer's region, 6-digit GB/T 2260 code
    |  issuer code (4 letters or digits)
    kind: N 年度学时证明 (yearly), K 课程结业 (one course)

The check character catches every single mistyped character and every swap of two neighbours
(what people do when they copy a number from paper). Pure functions: no Django.
"""

from __future__ import annotations

import re

from stdnum.iso7064 import mod_37_36

KIND_LETTERS = {"year": "N", "course": "K"}
SEQUENCE_DIGITS = 7
MAX_LENGTH = 24
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_SHAPE = re.compile(r"^[NK][0-9A-Z]{4}\d{6}\d{2}\d{7}[0-9A-Z]$")


class SerialError(ValueError):
    """A serial that cannot be built (bad issuer code, region, year or an exhausted sequence)."""


def prefix(kind: str, issuer_code: str, adcode: str, year: int) -> str:
    """Everything before the sequence: one counter per prefix keeps sequences dense and short."""
    if kind not in KIND_LETTERS:
        raise SerialError(f"unknown certificate kind {kind!r}")
    code = issuer_code.upper()
    if not re.fullmatch(r"[0-9A-Z]{4}", code):
        raise SerialError("the issuer code must be 4 letters or digits")
    if not re.fullmatch(r"\d{6}", adcode):
        raise SerialError("the issuer's region must be a 6-digit code")
    if not 2000 <= year <= 2099:
        raise SerialError("the year must be between 2000 and 2099")
    return f"{KIND_LETTERS[kind]}{code}{adcode}{year % 100:02d}"


def check_character(body: str) -> str:
    """The ISO 7064 MOD 37,36 check character of ``body`` (python-stdnum's implementation)."""
    return str(mod_37_36.calc_check_digit(body.upper(), alphabet=_ALPHABET))


def build(serial_prefix: str, sequence: int) -> str:
    """The full serial for the ``sequence``-th certificate under ``serial_prefix``."""
    if not 1 <= sequence < 10**SEQUENCE_DIGITS:
        raise SerialError("the sequence of this year is exhausted")
    body = f"{serial_prefix}{sequence:0{SEQUENCE_DIGITS}d}"
    serial = body + check_character(body)
    if len(serial) > MAX_LENGTH:  # pragma: no cover - the shape above is 21 characters
        raise SerialError("serial too long")
    return serial


def normalise(text: str) -> str:
    """What a person typed, as stored: upper case, spaces and dashes removed."""
    return re.sub(r"[\s\-]", "", str(text or "")).upper()


def is_well_formed(serial: str) -> bool:
    """Shape and check character are right (says nothing about whether it was issued)."""
    if not _SHAPE.match(serial):
        return False
    return bool(mod_37_36.is_valid(serial, alphabet=_ALPHABET))
