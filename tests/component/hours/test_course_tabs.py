"""Course tabs to 我的学时 / 我的证书 and Studio's hour-settings card, on the platform's classes (ADR 0181).

The classes are built on the stand-ins of ``EnrolledTab`` and ``CourseApp`` in
``sandbox/platform_stubs`` exactly as the entry points build them on the platform's.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from opaque_keys.edx.keys import CourseKey

from sandbox.lms import enrollment
from sandbox.lms.models import CourseRun
from xueshi_hours.models import CourseHoursSetting

from .hourkit import COURSE, learner

pytestmark = pytest.mark.django_db
FUJIAN = ("350000", "350100", "350102")
OTHER = "course-v1:HoursOrg+NOHOURS+2026"


@pytest.fixture
def courses() -> None:
    for key, title in ((COURSE, "建筑施工安全"), (OTHER, "没有学时的课程")):
        CourseRun.objects.create(course_key=CourseKey.from_string(key), title=title)
    CourseHoursSetting.objects.create(
        course_key=COURSE, title="建筑施工安全", declared_hours=Decimal(8), category="professional"
    )


def _course(key: str) -> SimpleNamespace:
    return SimpleNamespace(id=CourseKey.from_string(key))


def test_the_tabs_show_to_enrolled_learners_on_courses_with_hours(courses: None) -> None:
    from xueshi_certificates import platform_plugins as cert_plugins
    from xueshi_hours import platform_plugins

    me = learner("tabs", FUJIAN, "professional_technical")
    hours_tab, cert_tab = platform_plugins.HoursCourseTab, cert_plugins.CertificatesCourseTab
    assert (hours_tab.type, cert_tab.type) == ("xueshi_hours", "xueshi_certificates")
    assert hours_tab.is_dynamic and cert_tab.is_dynamic
    assert not hours_tab.is_enabled(_course(COURSE), user=me)  # not enrolled yet
    enrollment.enroll(me, COURSE)
    enrollment.enroll(me, OTHER)
    assert hours_tab.is_enabled(_course(COURSE), user=me) and cert_tab.is_enabled(_course(COURSE), user=me)
    assert not hours_tab.is_enabled(_course(OTHER), user=me)  # no hours on that course: no tab
    assert hours_tab({}).link_func(_course(COURSE), None) == "/xueshi/hours/"
    assert cert_tab({}).link_func(_course(COURSE), None) == "/xueshi/certificates/"
    with pytest.raises(AttributeError):
        platform_plugins.NoSuchPlugin  # noqa: B018


def test_the_studio_card_opens_the_course_hour_settings() -> None:
    from xueshi_hours import platform_plugins

    app = platform_plugins.HoursCourseApp
    assert app.app_id == "xueshi_hours" and app.is_available(CourseKey.from_string(COURSE))
    assert app.get_allowed_operations(CourseKey.from_string(COURSE)) == {"enable": False, "configure": True}
    assert app.legacy_link(CourseKey.from_string(COURSE)) == f"/xueshi/hours/course/{COURSE}/"


def test_the_sandbox_course_page_and_studio_show_them(client, courses: None) -> None:
    me = learner("tabspage", FUJIAN, "professional_technical")
    enrollment.enroll(me, COURSE)
    client.force_login(me)
    page = client.get(f"/courses/{COURSE}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'href="/xueshi/hours/"' in page and 'href="/xueshi/certificates/"' in page
    assert "我的学时" in page and "我的证书" in page
    assert 'id="course-tabs"' not in client.get(f"/courses/{OTHER}/").content.decode()
    me.is_staff = True
    me.save()
    studio = client.get("/studio/").content.decode()
    assert f'href="/xueshi/hours/course/{COURSE}/"' in studio
