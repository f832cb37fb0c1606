"""Operator commands run against the platform shim and the real database."""

import io

import pytest
from django.core.management import CommandError, call_command
from opaque_keys.edx.keys import CourseKey
from waffle import switch_is_active

from sandbox.lms.models import ContentBlock, CourseRun
from tests.enrolkit import enrol
from xueshi_core.demo import DEMO_COURSE_KEY, DEMO_FACE_COURSE_KEY, DEMO_USERS
from xueshi_face.models import CourseFaceSettings

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_xueshi_init_is_idempotent_and_turns_completion_tracking_on():
    run("xueshi_init")
    second = run("xueshi_init")
    assert "none (all present)" in second
    assert switch_is_active("completion.enable_completion_tracking")


def test_xueshi_demo_creates_the_course_from_block_scenarios_and_prints_logins():
    output = run("xueshi_demo")
    for user in DEMO_USERS:
        assert f"login {user.username}" in output
    course = CourseRun.objects.get(course_key=CourseKey.from_string(DEMO_COURSE_KEY))
    assert course.title == "安全生产继续教育（演示课程）"
    # Each unit is a real XBlock row keyed by an opaque usage key of the demo course.
    for row in ContentBlock.objects.filter(course=course):
        assert str(row.usage_key).startswith("block-v1:XueshiDemo+AQ101+2026+type@")
    # Each feature within minutes: 1.25×/1.5×, "still studying?" after one minute, face checks on.
    rows = ContentBlock.objects.filter(course=course)
    fields = {str(r.usage_key).rsplit("@", 1)[1]: r.fields for r in rows}
    assert fields["video_rates"]["allowed_rates"] == [1.0, 1.25, 1.5]
    assert fields["video_still_here"]["anti_idle_minutes"] == 1.0
    face_course = CourseKey.from_string(DEMO_FACE_COURSE_KEY)
    assert CourseFaceSettings.objects.get(course_key=face_course).mean_minutes_between_checks == 1.0
    assert not CourseFaceSettings.objects.filter(course_key=course.course_key).exists()
    blocks = ContentBlock.objects.count()
    run("xueshi_demo")  # a second run refreshes, never duplicates
    assert CourseRun.objects.count() == 3  # main, face checks, paid (xueshi_payments demo hook)
    assert ContentBlock.objects.count() == blocks
    assert ContentBlock.objects.filter(course__course_key=face_course).count() == 1
    assert CourseFaceSettings.objects.count() == 1


def test_enable_blocks_appends_our_types_once():
    run("xueshi_demo")
    run("xueshi_enable_blocks", DEMO_COURSE_KEY)
    out = run("xueshi_enable_blocks", DEMO_COURSE_KEY)
    assert "xueshi_video" in out
    course = CourseRun.objects.get(course_key=CourseKey.from_string(DEMO_COURSE_KEY))
    assert course.advanced_modules.count("xueshi_video") == 1


@pytest.mark.parametrize(
    ("key", "message"),
    [("not-a-key", "not a course key"), ("course-v1:Nobody+Nothing+2026", "no course")],
)
def test_enable_blocks_explains_bad_course_keys(key, message):
    with pytest.raises(CommandError, match=message):
        run("xueshi_enable_blocks", key)


def test_course_outline_lists_units_and_edit_links_only_for_staff(client, django_user_model):
    run("xueshi_demo")
    learner = django_user_model.objects.create_user("学员丁", password="口令-123456")
    enrol(learner)  # an enrolled learner's outline links its units
    client.force_login(learner)
    url = f"/courses/{DEMO_COURSE_KEY}/"
    html = client.get(url).content.decode()
    units = ContentBlock.objects.filter(course__course_key=CourseKey.from_string(DEMO_COURSE_KEY))
    assert units.exists()
    for unit in units:
        assert f'href="/xblock/{unit.usage_key}"' in html
    assert "/studio/xblock/" not in html
    client.force_login(django_user_model.objects.get(username="operator"))
    assert "/studio/xblock/" in client.get(url).content.decode()
    assert client.get("/courses/course-v1:Nobody+None+1/").status_code == 404
    assert client.get("/courses/course-v1:bad key/").status_code == 404


def test_demo_operator_is_an_operator_and_staff_but_never_superuser(django_user_model):
    operator = django_user_model.objects.create_user(
        "operator", password=None, is_staff=True, is_superuser=True
    )
    run("xueshi_demo")  # also demotes an operator seeded as superuser by an older version
    operator.refresh_from_db()
    assert operator.is_staff and not operator.is_superuser
    assert operator.groups.filter(name="xueshi_operator").exists()
    from xueshi_core.models import AccountScope

    assert AccountScope.objects.get(user__username="jianguan").region_codes == "350100"


@pytest.mark.parametrize("command", ["xueshi_demo", "seed_sandbox"])
def test_demo_seeding_is_refused_on_production_unless_forced(settings, django_user_model, command):
    settings.XUESHI_SETTINGS_LAYER = "production"
    with pytest.raises(CommandError, match="production"):
        run(command)
    assert not django_user_model.objects.filter(username__in=[u.username for u in DEMO_USERS]).exists()
    assert "login operator" in run(command, "--force")
