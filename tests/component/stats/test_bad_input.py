"""Bad input on the stats endpoints: a clear 4xx with a code and reason, never a 500."""

from __future__ import annotations

from typing import Any

import pytest

from xueshi_core import roles

from ..permkit import account, signed_in

pytestmark = [pytest.mark.component, pytest.mark.django_db]

BAD = [
    ({"region": "999999"}, 404, "unknown_region"),
    ({"region": "35010"}, 400, "invalid_region"),
    ({"region": "abcdef"}, 400, "invalid_region"),
    ({"period": "decade"}, 400, "invalid_period"),
    ({"period": "range", "start": "2026-03-02", "end": "2026-03-01"}, 400, "invalid_period"),
    ({"period": "range", "start": "2000-01-01", "end": "2099-12-31"}, 400, "invalid_period"),
    ({"period": "range", "start": "2026-03-01"}, 400, "invalid_period"),
    ({"date": "2026-13-45"}, 400, "invalid_date"),
    ({"date": "0001-01-01"}, 400, "invalid_date"),
    ({"course": "not a course"}, 400, "invalid_course"),
    ({"course": "course-v1:A+B+" + "C" * 300}, 400, "invalid_course"),
    ({"category": "no-such-category"}, 400, "unknown_category"),
    ({"page_size": "100000"}, 400, "invalid_page_size"),
    ({"page": str(10**30)}, 400, "invalid_page"),
    ({"figure": "everything"}, 400, "invalid_figure"),
    ({"region": "3501\x00"}, 400, "invalid_region"),
]


@pytest.fixture
def operator(db: Any) -> Any:
    return signed_in(account("bad_input_operator", roles.OPERATOR))


@pytest.mark.parametrize(("query", "status", "code"), BAD)
def test_bad_query_is_a_clear_4xx(operator: Any, query: dict[str, str], status: int, code: str) -> None:
    is_list = "page" in query or "page_size" in query or "figure" in query
    response = operator.get("/api/xueshi/stats/learners/" if is_list else "/api/xueshi/stats/figures/", query)
    assert response.status_code == status
    assert response.json()["error"] == code and response.json()["message"]


@pytest.mark.parametrize("learner", ["abc", str(10**30), "-1", "0"])
def test_bad_learner_id_is_a_400(operator: Any, learner: str) -> None:
    response = operator.get(f"/api/xueshi/stats/learners/{learner}/")
    assert response.status_code == 400 and response.json()["error"] == "invalid_learner_id"


def test_a_page_with_bad_input_says_why(operator: Any) -> None:
    response = operator.get("/xueshi/stats/", {"region": "999999"})
    assert response.status_code == 404
    assert "region 999999 is not a GB/T 2260 division" in response.content.decode()
