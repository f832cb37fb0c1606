"""Region codes and scope matching (no database): what a province, city or county binding covers."""

from __future__ import annotations

import pytest

from xueshi_core.scopes import EVERYTHING, NOBODY, Scope, parse_employers, parse_region_codes, region_prefix


@pytest.mark.parametrize(
    ("code", "prefix"), [("110000", "11"), ("110100", "1101"), ("110101", "110101"), ("320100", "3201")]
)
def test_region_prefix(code: str, prefix: str) -> None:
    assert region_prefix(code) == prefix


@pytest.mark.parametrize("bad", ["", "11", "0110000", "11010a", "010000", "1101011"])
def test_bad_region_codes_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        region_prefix(bad)


def test_parsing_lists_of_codes_and_employers() -> None:
    assert parse_region_codes("320100, 110000\n320100；330100") == ("320100", "110000", "330100")
    with pytest.raises(ValueError):
        parse_region_codes("320100,32010")
    assert parse_employers(" 南京建工, 一公司 \n\n北京所\n") == ("南京建工, 一公司", "北京所")


def test_city_scope_covers_its_counties_not_other_cities_nor_the_province() -> None:
    nanjing = Scope(regions=("320100",))
    assert nanjing.covers(("320000", "320100", "320102"))
    assert nanjing.covers(("320000", "", "320102"))  # blank city, county inside
    assert not nanjing.covers(("320000", "320200", "320205"))  # Wuxi
    assert not nanjing.covers(("110000", "", "110101"))
    assert not nanjing.covers(("320000", "", ""))  # only the province is known


def test_binding_both_regions_and_employers_narrows() -> None:
    both = Scope(regions=("320000",), employers=("南京建工",))
    assert both.covers(("320000", "320100", "320102"), "南京建工")
    assert not both.covers(("320000", "320100", "320102"), "别家公司")
    assert not both.covers(("110000", "", "110101"), "南京建工")


def test_everything_and_nobody() -> None:
    assert EVERYTHING.covers(("110000",)) and not NOBODY.covers(("110000",))
    assert NOBODY.is_empty and not EVERYTHING.is_empty
