"""The sandbox's XBlock runtime behaves like the LMS's where our blocks can tell the difference."""

import io
import json
from types import SimpleNamespace

import pytest
import xblock.plugin
from completion.models import BlockCompletion
from django.core.management import call_command
from opaque_keys.edx.keys import CourseKey
from web_fragments.fragment import Fragment
from webob import Response
from xblock.core import XBlock
from xblock.fields import Integer, Scope, String

from sandbox.lms.auth import mint_jwt
from sandbox.lms.models import ContentBlock, CourseRun, StudentModule, TrackingEvent
from tests.enrolkit import enrol

pytestmark = pytest.mark.django_db
COURSE = CourseKey.from_string("course-v1:测试机构+JS101+2026")


class CounterBlock(XBlock):
    """A tiny block that exercises fields, handlers and publish."""

    title = String(default="计数器", scope=Scope.settings)
    count = Integer(default=0, scope=Scope.user_state)
    note = String(default="", scope=Scope.user_state)

    def student_view(self, context=None):
        frag = Fragment(f"<p class='counter'>{self.title}: {self.count}</p>")
        frag.initialize_js("CounterBlock", {"title": self.title})
        return frag

    @XBlock.json_handler
    def increment(self, data, suffix=""):
        self.count += int(data.get("by", 1))
        self.runtime.publish(self, "grade", {"value": self.count, "max_value": 10})
        self.runtime.publish(self, "completion", {"completion": 1.0})
        return {"count": self.count, "usage_id": str(self.scope_ids.usage_id)}

    @XBlock.handler
    def save_note(self, request, suffix=""):
        """A form handler, as blocks with uploads have: it reads the parsed form, not the raw body."""
        self.note = request.POST["note"]
        return Response(json_body={"note": self.note, "again": request.POST["note"]})


@pytest.fixture
def counter(django_user_model):
    call_command("xueshi_init", stdout=io.StringIO())
    # Register the block under a type name for this test only, as XBlock.register_temp_plugin does.
    entry_point = SimpleNamespace(
        name="test_counter", group="xblock.v1", dist=SimpleNamespace(key="tests"), load=lambda: CounterBlock
    )
    XBlock.extra_entry_points.append(("test_counter", entry_point))
    xblock.plugin.PLUGIN_CACHE = {}
    try:
        course = CourseRun.objects.create(course_key=COURSE, title="测试课程")
        usage = COURSE.make_usage_key("test_counter", "c1")
        ContentBlock.objects.create(
            usage_key=usage, course=course, block_type="test_counter", fields={"title": "练习次数"}
        )
        learner = django_user_model.objects.create_user("学员甲", password="口令-123456")
        enrol(learner, COURSE)  # only enrolled learners reach a course's blocks
        yield usage, learner
    finally:
        XBlock.extra_entry_points.remove(("test_counter", entry_point))
        xblock.plugin.PLUGIN_CACHE = {}


def handler_url(usage, name):
    return f"/courses/{usage.course_key}/xblock/{usage}/handler/{name}"


def test_usage_keys_are_real_opaque_keys(counter):
    usage, _ = counter
    assert str(usage) == "block-v1:测试机构+JS101+2026+type@test_counter+block@c1"


def test_student_view_renders_with_settings_field_and_js_wrapper(client, counter):
    usage, learner = counter
    client.force_login(learner)
    html = client.get(f"/xblock/{usage}").content.decode()
    assert "练习次数: 0" in html
    assert "data-init='CounterBlock'" in html
    assert f"data-handler-prefix='/courses/{usage.course_key}/xblock/{usage}/handler/'" in html


def test_handler_persists_user_state_and_publishes_grade_and_completion(client, counter):
    usage, learner = counter
    client.force_login(learner)
    for expected in (3, 5):
        response = client.post(
            handler_url(usage, "increment"),
            json.dumps({"by": expected - (expected > 3) * 3}),
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
    assert response.json()["count"] == 5
    module = StudentModule.objects.get(student=learner, usage_key=usage)
    assert module.state["count"] == 5 and module.grade == 5 and module.max_grade == 10
    assert BlockCompletion.objects.get(user=learner, block_key=usage).completion == 1.0
    assert TrackingEvent.objects.filter(event_type="grade", usage_key=str(usage)).count() == 2


def test_session_posts_without_csrf_are_refused(counter):
    from django.test import Client

    usage, learner = counter
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    response = strict.post(handler_url(usage, "increment"), "{}", content_type="application/json")
    assert response.status_code == 403
    assert not StudentModule.objects.filter(student=learner).exists()


def test_form_posts_reach_the_handler_after_the_csrf_check_read_the_form(counter):
    """The LMS hands handlers a webob view of the Django request: a form the CSRF check already
    parsed is read again from Django's parsed copy, not from the consumed stream (no 500)."""
    from django.test import Client

    usage, learner = counter
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    strict.get(f"/xblock/{usage}")
    token = strict.cookies["csrftoken"].value
    response = strict.post(
        handler_url(usage, "save_note"), {"note": "第一章笔记", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"note": "第一章笔记", "again": "第一章笔记"}
    assert StudentModule.objects.get(student=learner, usage_key=usage).state["note"] == "第一章笔记"


def test_jwt_callers_skip_csrf_like_the_mobile_apps(counter):
    from django.test import Client

    usage, learner = counter
    app = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"JWT {mint_jwt(learner)}")
    response = app.post(handler_url(usage, "increment"), "{}", content_type="application/json")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_forged_jwt_is_401_not_anonymous(client, counter):
    usage, _ = counter
    response = client.post(
        handler_url(usage, "increment"),
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION="JWT not.a.token",
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("path_suffix", "status"),
    [("handler/no_such_handler", 404), ("handler/increment", 400)],
)
def test_bad_handler_calls_get_clear_4xx(client, counter, path_suffix, status):
    usage, learner = counter
    client.force_login(learner)
    body = "{" if status == 400 else "{}"
    response = client.post(
        f"/courses/{usage.course_key}/xblock/{usage}/{path_suffix}", body, content_type="application/json"
    )
    assert response.status_code == status


def test_block_from_another_course_is_refused(client, counter):
    usage, learner = counter
    client.force_login(learner)
    response = client.post(
        f"/courses/course-v1:Other+X+1/xblock/{usage}/handler/increment",
        "{}",
        content_type="application/json",
    )
    assert response.status_code == 400


def test_anonymous_posts_are_forbidden(client, counter):
    usage, _ = counter
    assert (
        client.post(handler_url(usage, "increment"), "{}", content_type="application/json").status_code == 403
    )


def test_resources_come_only_from_public(client):
    assert client.get("/xblock/resource/xueshi_video/../block.py").status_code == 404
    assert client.get("/xblock/resource/no_such_type/x.js").status_code == 404
