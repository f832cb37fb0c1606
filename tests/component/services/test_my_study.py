"""My study: courses done and not, progress, minutes per day and week, scores, links, from the sources."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.enrolkit import enrol
from xueshi_core.days import china_day

from ..hours.hourkit import credit
from ..permkit import account, signed_in
from .conftest import COURSE, OTHER

pytestmark = pytest.mark.django_db(transaction=True)


def test_my_study_shows_each_course_with_progress_and_minutes_per_day(studied: User) -> None:
    enrol(studied, OTHER)
    today = china_day(timezone.now())
    credit(studied, today, 1800, course=COURSE, block="v2")
    credit(studied, today - timedelta(days=1), 300, course=OTHER)
    page = signed_in(studied).get("/xueshi/services/mine/").content.decode()
    assert 'id="courses-todo"' in page and 'id="courses-done"' in page
    todo = page[page.index('id="courses-todo"') : page.index('id="courses-done"')]
    assert f'data-course="{COURSE}"' in todo and f'data-course="{OTHER}"' in todo
    assert "50%" in todo  # 600 of 1,200 seconds of video watched
    assert "40" in todo  # 600 + 1,800 seconds credited = 40 minutes
    chart = page[page.index('id="chart-days"') : page.index('id="weeks"')]
    assert chart.count("<div style=") == 14 and f"{today:%m-%d}: 30" in chart
    weeks = page[page.index('id="weeks"') :]
    assert weeks.count("<tr>") == 9  # the header and 8 weeks


def test_my_study_needs_a_sign_in_and_shows_nothing_of_others(studied: User) -> None:
    assert Client().get("/xueshi/services/mine/").status_code == 302
    page = signed_in(account("xinren")).get("/xueshi/services/mine/").content.decode()
    assert f'data-course="{COURSE}"' not in page
