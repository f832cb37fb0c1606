"""Figures against the hand-computed province of ``conftest`` (day boundary, a move, an unenrolment)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from xueshi_core import roles
from xueshi_stats import closing, rollup
from xueshi_stats.models import ClosedPeriod, Cursor, DailyStudy, DayRegionStudy

from ..permkit import account, signed_in
from .conftest import COURSE

pytestmark = [pytest.mark.component, pytest.mark.django_db]
FIGURES = "/api/xueshi/stats/figures/"
LEARNERS = "/api/xueshi/stats/learners/"


def figures(client: Any, **query: str) -> dict[str, Any]:
    response = client.get(FIGURES, query)
    assert response.status_code == 200, response.content
    return response.json()


def counts(data: dict[str, Any]) -> tuple[int, ...]:
    f = data["figures"]
    return (f["enrolled"], f["studying"], f["examined"], f["completed"], f["not_completed"], f["minutes"])


def both_days(province: dict[str, Any]) -> dict[str, str]:
    return {
        "period": "range",
        "start": province["yesterday"].isoformat(),
        "end": province["today"].isoformat(),
    }


@pytest.fixture
def operator(db: Any) -> Any:
    return signed_in(account("stats_operator", roles.OPERATOR))


def test_day_figures_split_at_midnight_in_shanghai(province: dict[str, Any], operator: Any) -> None:
    y, t = province["yesterday"].isoformat(), province["today"].isoformat()
    # Y: A, C, D, E enrolled (C leaves only on T); A studied 90 s before 00:00 → 1 minute
    assert counts(figures(operator, region="350102", period="day", date=y)) == (4, 1, 0, 0, 4, 1)
    # T: C has left; A studied 150 s after 00:00 and C 60 s before leaving → 210 s = 3 minutes
    today = figures(operator, region="350102", period="day", date=t)
    assert counts(today) == (3, 1, 2, 1, 2, 3)
    assert today["figures"]["average_score"] == 65.0
    assert today["figures"]["bands"] == {"90-100": 0, "80-89": 1, "70-79": 0, "60-69": 0, "0-59": 1}
    accountants = figures(operator, region="350102", period="day", date=t, category="accounting")
    assert counts(accountants) == (1, 0, 1, 1, 0, 0) and accountants["figures"]["average_score"] == 80.0
    # the dashboard's line chart: the same split, one point per China day (and its table)
    span = figures(operator, region="350102", period="range", start=y, end=t)
    assert span["days"] == [{"day": y, "minutes": 1, "learners": 1}, {"day": t, "minutes": 3, "learners": 2}]
    page = operator.get("/xueshi/stats/", {"region": "350102", "period": "range", "start": y, "end": t})
    html = page.content.decode()
    assert 'id="stats-chart-data"' in html and 'id="stats-chart-days"' in html and 'id="stats-days"' in html
    assert "echarts.common.min.js" in html


def test_a_learner_who_moved_counts_where_they_were(province: dict[str, Any], operator: Any) -> None:
    span = {
        "period": "range",
        "start": province["yesterday"].isoformat(),
        "end": province["today"].isoformat(),
    }
    fuzhou = figures(operator, region="350100", **span)
    # learners at the period's end: A, D, E in 鼓楼 (B is in 厦门 now); minutes by the day's region:
    # A 240 s + C 60 s (鼓楼) + B's 120 s on Y in 台江 = 420 s
    assert counts(fuzhou) == (3, 1, 2, 1, 2, 7)
    by_county = {row["key"]: row for row in fuzhou["children"]}
    assert by_county["350102"]["enrolled"] == 3 and by_county["350102"]["minutes"] == 5
    assert by_county["350103"]["enrolled"] == 0 and by_county["350103"]["minutes"] == 2
    assert by_county["350102"]["name"] == "鼓楼区"
    assert counts(figures(operator, region="350203", **span)) == (1, 1, 0, 0, 1, 2)
    assert counts(figures(operator, region="350000", **span)) == (4, 2, 2, 1, 3, 9)
    county = figures(operator, region="350102", **span)
    assert county["level"] == "employer"
    assert {row["key"]: row["enrolled"] for row in county["children"]} == {"鼓楼医院": 1, "鼓楼电力公司": 2}


def test_each_figure_links_to_its_learners_masked(province: dict[str, Any], operator: Any) -> None:
    t = province["today"].isoformat()
    data = figures(operator, region="350102", period="day", date=t)
    listed = operator.get(data["links"]["completed"]).json()
    assert listed["total"] == 1
    (row,) = listed["learners"]
    assert row["learner_id"] == province["users"]["D"].id and row["best_score"] == 80
    assert row["name"] == "学****" and "*" in row["id_number"] and len(row["id_number"]) == 18
    not_done = operator.get(data["links"]["not_completed"]).json()
    assert {r["learner_id"] for r in not_done["learners"]} == {province["users"][k].id for k in "AE"}
    minutes = operator.get(data["links"]["minutes"]).json()
    assert {r["learner_id"] for r in minutes["learners"]} == {province["users"][k].id for k in "AC"}


def test_rebuild_from_raw_records_equals_the_incremental_roll_up(
    province: dict[str, Any], operator: Any, capsys: Any
) -> None:
    span = {
        "period": "range",
        "start": province["yesterday"].isoformat(),
        "end": province["today"].isoformat(),
    }
    before = figures(operator, region="350000", **span)
    closing.count(province["yesterday"], province["yesterday"])  # an ended day, counted as it closed
    call_command("xueshi_stats_rebuild", "--compare")
    assert capsys.readouterr().out.strip().endswith("0 differences")

    DailyStudy.objects.filter(user_id=province["users"]["A"].id).update(credited_ms=1)  # a drifted roll-up
    with pytest.raises(SystemExit):
        call_command("xueshi_stats_rebuild", "--compare")
    out = capsys.readouterr().out
    assert "2 differences" in out.splitlines()[-1] and "day (" in out

    call_command("xueshi_stats_rebuild")
    assert capsys.readouterr().out.strip().endswith("0 differences")
    assert figures(operator, region="350000", **span) == before
    assert not ClosedPeriod.objects.exists()  # counted from the drifted rows: forgotten, counted again later


def test_a_roll_up_read_again_counts_nothing_twice(province: dict[str, Any], operator: Any) -> None:
    """A worker that died before committing its mark leaves the sources to be read again."""
    span = {
        "period": "range",
        "start": province["yesterday"].isoformat(),
        "end": province["today"].isoformat(),
    }
    before = figures(operator, region="350000", **span)
    Cursor.objects.update(position=0, moment=None)
    rollup.run()
    rollup.run()
    assert figures(operator, region="350000", **span) == before


def test_the_day_region_summary_adds_up_the_hand_computed_days(
    province: dict[str, Any], operator: Any, capsys: Any
) -> None:
    """The summary the dashboard reads (ADR 0301) holds the table of ``conftest``, B's move re-stamped."""
    y, t = province["yesterday"], province["today"]
    held = {
        (row.day, row.county_code): (row.credited_ms // 1000, row.learners)
        for row in DayRegionStudy.objects.all()
    }
    # Y: A 90 s in 鼓楼, B 120 s in 台江; T: A 150 s + C 60 s in 鼓楼, B 120 s in 思明 (B moved on T)
    assert held == {
        (y, "350102"): (90, 1),
        (y, "350103"): (120, 1),
        (t, "350102"): (210, 2),
        (t, "350203"): (120, 1),
    }
    span = {"period": "range", "start": y.isoformat(), "end": t.isoformat()}
    province_line = [
        {"day": y.isoformat(), "minutes": 3, "learners": 2},
        {"day": t.isoformat(), "minutes": 5, "learners": 3},
    ]
    summed = figures(operator, region="350000", **span)
    # the one course asked by name: the same figures from the daily rows (no summary has courses)
    by_rows = figures(operator, region="350000", course=COURSE, **span)
    assert summed["days"] == by_rows["days"] == province_line
    assert counts(summed) == counts(by_rows) == (4, 2, 2, 1, 3, 9)

    def rows(data: dict[str, Any]) -> list[tuple[Any, ...]]:
        return [(c["key"], c["enrolled"], c["completed"], c["minutes"]) for c in data["children"]]

    # by city: 福州 A, D, E at the end, A 240 s + C 60 s + B's 120 s on Y; 厦门 B, 120 s on T
    assert rows(summed) == rows(by_rows) == [("350100", 3, 1, 7), ("350200", 1, 0, 2)]

    # A moves to 思明 today: A's day T leaves 鼓楼's summary for 思明's, and the rebuild agrees
    from xueshi_identity.models import IdentityProfile

    a = IdentityProfile.objects.get(user=province["users"]["A"])
    a.province_code, a.city_code, a.county_code = "350000", "350200", "350203"
    a.save()
    rollup.run()
    moved = {
        (r.day, r.county_code): (r.credited_ms // 1000, r.learners) for r in DayRegionStudy.objects.all()
    }
    assert (
        moved[(t, "350102")] == (60, 1)
        and moved[(t, "350203")] == (270, 2)
        and moved[(y, "350102")] == (90, 1)
    )
    call_command("xueshi_stats_rebuild", "--compare")
    assert capsys.readouterr().out.strip().endswith("0 differences")
