"""Serials: shape, length, the check character's power, and uniqueness across a year's sequence."""

import pytest

from xueshi_certificates import serials

PREFIX = serials.prefix("year", "XSJY", "350100", 2026)


def test_serial_has_the_documented_shape_and_fits_a_small_qr_code():
    serial = serials.build(PREFIX, 123)
    assert serial.startswith("NXSJY35010026" + "0000123")
    assert len(serial) == 21 <= serials.MAX_LENGTH
    assert serials.is_well_formed(serial)


def test_course_certificates_have_their_own_letter():
    assert serials.build(serials.prefix("course", "xsjy", "110000", 2031), 1).startswith("KXSJY11000031")


def test_check_character_catches_every_single_substitution_and_neighbour_swap():
    serial = serials.build(PREFIX, 4071)
    for i, original in enumerate(serial):
        for replacement in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ":
            if replacement != original:
                changed = serial[:i] + replacement + serial[i + 1 :]
                assert not serials.is_well_formed(changed), changed
    for i in range(len(serial) - 1):
        if serial[i] != serial[i + 1]:
            swapped = serial[:i] + serial[i + 1] + serial[i] + serial[i + 2 :]
            assert not serials.is_well_formed(swapped), swapped


def test_serials_of_one_year_are_unique_and_well_formed():
    built = [serials.build(PREFIX, n) for n in range(1, 20_001)]
    assert len(set(built)) == len(built)
    assert all(serials.is_well_formed(s) for s in built[::997])


@pytest.mark.parametrize(
    ("kind", "code", "adcode", "year"),
    [
        ("diploma", "XSJY", "350100", 2026),
        ("year", "XS", "350100", 2026),
        ("year", "XSJY", "3501", 2026),
        ("year", "XSJY", "350100", 1999),
    ],
)
def test_bad_prefix_parts_are_refused(kind, code, adcode, year):
    with pytest.raises(serials.SerialError):
        serials.prefix(kind, code, adcode, year)


def test_sequence_bounds_and_typed_input():
    with pytest.raises(serials.SerialError):
        serials.build(PREFIX, 10_000_000)
    with pytest.raises(serials.SerialError):
        serials.build(PREFIX, 0)
    serial = serials.build(PREFIX, 5)
    assert serials.normalise(" " + serial.lower()[:6] + "-" + serial[6:] + " ") == serial
    assert not serials.is_well_formed("'; DROP TABLE x; --")
