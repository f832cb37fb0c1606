"""Course ratings: only learners who studied rate, once per course (editable), moderation, figures."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from xueshi_services import api, signals
from xueshi_services.models import CourseRating

from ..permkit import account, signed_in
from .conftest import COURSE, OTHER

pytestmark = pytest.mark.django_db(transaction=True)


def _rate(user: User, stars: object, comment: str = "", course: str = COURSE) -> int:
    data = {"stars": stars, "comment": comment}
    return signed_in(user).post(f"/xueshi/services/courses/{course}/rate/", data).status_code


def test_a_learner_rates_once_and_editing_keeps_one_row(studied: User) -> None:
    heard: list[signals.RatingChanged] = []
    signals.RATING_CHANGED.connect(lambda event, **kw: heard.append(event), weak=False, dispatch_uid="t-r")
    try:
        assert _rate(studied, 2, "讲得太快") == 302
        assert _rate(studied, 5, "第二遍听懂了") == 302
    finally:
        signals.RATING_CHANGED.disconnect(dispatch_uid="t-r")
    rows = list(CourseRating.objects.filter(user=studied))
    assert [(r.stars, r.comment) for r in rows] == [(5, "第二遍听懂了")]
    assert [e.course_key for e in heard] == [COURSE, COURSE]
    page = signed_in(studied).get(f"/xueshi/services/courses/{COURSE}/ratings/").content.decode()
    assert 'id="rating-form"' in page and "第二遍听懂了" in page


def test_who_may_not_rate_and_bad_input_are_refused_with_a_reason(studied: User, operator: User) -> None:
    stranger = account("weixue")  # never enrolled, never studied
    assert _rate(stranger, 4) == 403
    assert _rate(operator, 4) == 403  # staff earn no study time and do not rate
    assert _rate(studied, 4, course=OTHER) == 403  # studied another course only
    for stars in (0, 6, "五", "", "1e3"):
        assert _rate(studied, stars) == 400, stars
    assert _rate(studied, 3, "长" * 1001) == 400
    assert _rate(studied, 3, "bad\x00byte") == 400
    assert (
        signed_in(studied).post("/xueshi/services/courses/not-a-key/rate/", {"stars": 3}).status_code == 400
    )
    assert not CourseRating.objects.exists()


def test_moderation_hides_a_rating_from_the_figures_and_back(studied: User, operator: User) -> None:
    other = account("xueyuan2")
    from datetime import date

    from .conftest import credit

    credit(other, date(2026, 12, 2), 60, course=COURSE)
    assert _rate(studied, 5) == 302 and _rate(other, 1, "广告内容") == 302
    stats = api.rating_stats(COURSE)
    assert (stats.count, stats.average, stats.distribution[1], stats.distribution[5]) == (2, 3.0, 1, 1)
    spam = CourseRating.objects.get(user=other)
    assert (
        signed_in(studied).post(f"/xueshi/services/staff/ratings/{spam.pk}/", {"state": "hidden"}).status_code
        == 403
    )
    staff = signed_in(operator)
    assert (
        staff.post(
            f"/xueshi/services/staff/ratings/{spam.pk}/", {"state": "hidden", "note": "广告"}
        ).status_code
        == 302
    )
    stats = api.rating_stats(COURSE)
    assert (stats.count, stats.average, stats.percents[5]) == (1, 5.0, 100)
    assert "广告内容" not in staff.get(f"/xueshi/services/courses/{COURSE}/ratings/").content.decode()
    assert staff.post(f"/xueshi/services/staff/ratings/{spam.pk}/", {"state": "gone"}).status_code == 400
    assert staff.post("/xueshi/services/staff/ratings/999999/", {"state": "hidden"}).status_code == 404
    assert staff.post(f"/xueshi/services/staff/ratings/{spam.pk}/", {"state": "published"}).status_code == 302
    assert api.ratings_for([COURSE, OTHER])[OTHER].count == 0 and api.rating_stats(COURSE).count == 2
    listing = staff.get("/xueshi/services/staff/ratings/?state=published").content.decode()
    assert listing.count('data-state="published"') == 2


def test_the_figures_are_public_json_for_catalogue_themes(studied: User) -> None:
    from django.test import Client

    assert _rate(studied, 4, "不错") == 302
    reply = Client().get("/xueshi/services/courses/ratings.json", {"course": [COURSE, OTHER]}).json()
    assert reply["courses"][COURSE] == {
        "count": 1,
        "average": 4.0,
        "distribution": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0},
    }
    assert reply["courses"][OTHER]["count"] == 0 and "不错" not in str(reply)
    assert Client().get("/xueshi/services/courses/ratings.json").status_code == 400
    assert Client().get("/xueshi/services/courses/ratings.json?course=bad").status_code == 400
    assert Client().get("/xueshi/services/courses/ratings.json", {"course": [COURSE] * 51}).status_code == 400
