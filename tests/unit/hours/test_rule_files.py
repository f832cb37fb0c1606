"""The rule file format: shipped files parse, round-trip, and every mistake is named with its place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xueshi_hours.rules import FORMAT, RuleFileError, file_of, parse_file, parse_rule

RULES = Path(__file__).resolve().parents[3] / "plugins" / "xueshi_hours" / "rulefiles"
SHIPPED = sorted(RULES.glob("*.json"))


def test_every_province_of_the_reference_is_shipped() -> None:
    ids = {p.stem for p in SHIPPED}
    assert ids >= {"cn-zj-2015", "cn-kj-2018", "gs-kj", "gx-zj", "hi-kj", "sx-kj-jz", "bj-kj", "fj-gq"}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_files_round_trip(path: Path) -> None:
    rules = parse_file(json.loads(path.read_text()))
    assert parse_file(json.loads(json.dumps(file_of(rules)))) == rules


def test_national_accounting_has_no_carry_over() -> None:
    rule = parse_file(json.loads((RULES / "cn-kj-2018.json").read_text()))[0]
    assert rule.carry_over_max == 0 and rule.region_prefix == ""


GOOD = json.loads((RULES / "gs-kj.json").read_text())["rules"][0]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"region": "62"}, "region: invalid value"),
        ({"unit": "hours"}, "unit: must be one of"),
        ({"required_total": 90.5}, "required_total: write numbers as strings"),
        ({"required_total": "ninety"}, "required_total: not a number"),
        ({"required_total": "-1"}, "required_total: must be between"),
        ({"category_minimums": {"public": "60", "professional": "60"}}, "add up to more than required_total"),
        ({"category_minimums": {"general": "1"}}, "category_minimums.general: unknown course category"),
        ({"period": {"kind": "window", "start": "13-01"}}, "period.start: invalid value"),
        ({"period": {"kind": "fortnight"}}, "period.kind: must be calendar_year or window"),
        ({"online": {"minutes_per_unit": 0}}, "online.minutes_per_unit: must be a whole number"),
        ({"online": {"minutes_per_unit": 45, "counting": "clicks"}}, "online.counting: must be one of"),
        ({"daily_cap_units": "0"}, "daily_cap_units: use null for no cap"),
        ({"required_rounds": [{"key": "r1", "courses": []}]}, "required_rounds[0].courses"),
        ({"sources": {"external": {"counts": "yes"}}}, "sources.external.counts: must be true or false"),
        ({"id": "Bad Id"}, "id: invalid value"),
    ],
)
def test_bad_values_are_reported_with_their_place(change: dict, problem: str) -> None:
    with pytest.raises(RuleFileError) as caught:
        parse_file({"format": FORMAT, "rules": [{**GOOD, **change}]})
    assert any(problem in p for p in caught.value.problems), caught.value.problems
    assert all(p.startswith("rules[0].") for p in caught.value.problems)


def test_every_problem_of_every_rule_is_reported_at_once() -> None:
    bad = {**GOOD, "unit": "x", "region": "1"}
    with pytest.raises(RuleFileError) as caught:
        parse_file({"format": FORMAT, "rules": [GOOD, bad, GOOD]})
    places = {p.split(":")[0] for p in caught.value.problems}
    assert {"rules[1].unit", "rules[1].region"} <= places
    assert any("appears twice" in p for p in caught.value.problems)


@pytest.mark.parametrize(
    "document", [[], {"rules": [GOOD]}, {"format": FORMAT}, {"format": FORMAT, "rules": []}]
)
def test_not_a_rule_file(document: object) -> None:
    with pytest.raises(RuleFileError):
        parse_file(document)


def test_a_rule_must_be_an_object() -> None:
    with pytest.raises(RuleFileError):
        parse_rule(["not", "a", "rule"])
