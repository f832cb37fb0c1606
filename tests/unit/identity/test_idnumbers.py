"""ID number validation against real-shaped valid and invalid numbers (no database)."""

from __future__ import annotations

import datetime

import pytest

from xueshi_identity import idnumbers
from xueshi_identity.idnumbers import InvalidIdNumber, validate
from xueshi_identity.testing import make_resident_id, with_wrong_check_digit

TODAY = datetime.date(2026, 11, 20)


def _code(id_type: str, raw: str, **kwargs: object) -> str:
    with pytest.raises(InvalidIdNumber) as excinfo:
        validate(id_type, raw, today=TODAY, **kwargs)  # type: ignore[arg-type]
    return excinfo.value.code


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002X",  # the GB 11643-1999 sample, check character X
        "360426199101010071",  # python-stdnum's documented example
        make_resident_id("350102", "19900307", 991),
        make_resident_id("110103", "19850101", 992),  # 崇文区: abolished 2010, valid for people born before
        make_resident_id("659012", "20230105", 993),  # 白杨市: created 2023
    ],
)
def test_valid_resident_ids(number: str) -> None:
    result = validate(idnumbers.RESIDENT_ID, number, today=TODAY)
    assert result.number == number and result.birth_date is not None


def test_what_people_type_is_normalised() -> None:
    typed = "１１０１０５ １９４９１２３１ ００２ｘ"  # full-width digits from a Chinese IME, spaces, lower x
    assert validate(idnumbers.RESIDENT_ID, typed, today=TODAY).number == "11010519491231002X"
    assert validate(idnumbers.RESIDENT_ID, "110105-19491231-002x", today=TODAY).number == "11010519491231002X"


def test_sex_and_birth_date_come_from_the_number() -> None:
    female = validate(idnumbers.RESIDENT_ID, make_resident_id("350102", "19900307", 990), today=TODAY)
    assert (female.sex, female.birth_date) == ("F", datetime.date(1990, 3, 7))


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (with_wrong_check_digit("11010519491231002X"), "bad_check_digit"),
        (with_wrong_check_digit(make_resident_id()), "bad_check_digit"),
        (make_resident_id("990101"), "bad_region"),  # no province 99
        (make_resident_id("350199"), "bad_region"),  # no such county in Fuzhou
        (make_resident_id("659012", "19900101"), "bad_region"),  # 白杨市 did not exist in 1990
        (make_resident_id(born="20270101"), "future_birth_date"),
        (make_resident_id(born="18990101"), "implausible_age"),
        (make_resident_id(born="19900230"), "bad_birth_date"),  # 30 February
        ("11010519491231002", "wrong_length"),
        ("11010519491231002XX", "wrong_length"),
        ("110105491231002", "legacy_15_digits"),
        ("1101051949123100AX", "bad_characters"),
        ("A1010519491231002X", "bad_characters"),
        ("11010519491231002Y", "bad_characters"),
        ("", "required"),
        ("   ", "required"),
    ],
)
def test_invalid_resident_ids(raw: str, code: str) -> None:
    assert _code(idnumbers.RESIDENT_ID, raw) == code


def test_a_region_newer_than_stdnum_data_is_accepted_when_our_division_data_knows_it() -> None:
    number = make_resident_id("659099", "20240101")  # not in stdnum's table (nor real)
    assert _code(idnumbers.RESIDENT_ID, number) == "bad_region"
    assert validate(idnumbers.RESIDENT_ID, number, today=TODAY, known_region=lambda c: c == "659099")


def test_minimum_age_is_the_operators_choice() -> None:
    child = make_resident_id(born="20150101")
    assert validate(idnumbers.RESIDENT_ID, child, today=TODAY)
    assert _code(idnumbers.RESIDENT_ID, child, min_age=16) == "too_young"


def test_hong_kong_macao_taiwan_residence_permits() -> None:
    for region in ("810000", "820000", "830000"):
        assert validate(idnumbers.HMT_RESIDENCE, make_resident_id(region, "19940823"), today=TODAY)
    assert _code(idnumbers.HMT_RESIDENCE, make_resident_id("350102")) == "bad_region"
    assert (
        _code(idnumbers.HMT_RESIDENCE, with_wrong_check_digit(make_resident_id("810000")))
        == "bad_check_digit"
    )


@pytest.mark.parametrize(
    ("id_type", "good", "bad"),
    [
        (
            idnumbers.HK_MO_PERMIT,
            ["H12345678", "M1234567890", "h 1234 5678"],
            ["12345678", "H1234", "X12345678"],
        ),
        (idnumbers.TW_PERMIT, ["12345678", "1234567890"], ["1234567", "A1234567"]),
        (
            idnumbers.PASSPORT,
            ["E12345678", "EA1234567", "123456789"],
            ["E1", "E12345678901234567890", "E1234@678"],
        ),
        (
            idnumbers.FOREIGN_PERMANENT,
            ["USA350119900101", make_resident_id("911840", "19800101")],
            ["US35011990", make_resident_id("350102")],
        ),
    ],
)
def test_other_documents_have_their_shapes(id_type: str, good: list[str], bad: list[str]) -> None:
    for number in good:
        assert validate(id_type, number, today=TODAY).number == idnumbers.normalise(number)
    for number in bad:
        assert _code(id_type, number) in {"bad_format", "bad_check_digit", "wrong_length"}


def test_unknown_document_type() -> None:
    assert _code("driving_licence", "12345678") == "unknown_id_type"
