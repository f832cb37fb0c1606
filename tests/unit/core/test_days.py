from datetime import UTC, date, datetime

import pytest

from xueshi_core.days import china_day, day_bounds, month_start, week_start


def test_china_day_rolls_over_at_shanghai_midnight_not_utc():
    # 2026-11-23 15:59:59 UTC is 23:59:59 in Shanghai; one second later it is the next day there.
    assert china_day(datetime(2026, 11, 23, 15, 59, 59, tzinfo=UTC)) == date(2026, 11, 23)
    assert china_day(datetime(2026, 11, 23, 16, 0, 0, tzinfo=UTC)) == date(2026, 11, 24)


def test_china_day_refuses_naive_datetimes():
    with pytest.raises(ValueError, match="aware"):
        china_day(datetime(2026, 11, 23, 12, 0))


def test_day_bounds_are_the_utc_instants_of_a_shanghai_day():
    start, end = day_bounds(date(2026, 11, 24))
    assert start == datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 24, 16, 0, tzinfo=UTC)


def test_week_and_month_start():
    assert week_start(date(2026, 11, 29)) == date(2026, 11, 23)  # Sunday → Monday
    assert week_start(date(2026, 11, 23)) == date(2026, 11, 23)
    assert month_start(date(2026, 11, 29)) == date(2026, 11, 1)
