"""The staff page and the REST API in the sandbox: permissions, import report, edits, bad input."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from xueshi_questionbank import tabular
from xueshi_questionbank.demo import demo_rows
from xueshi_questionbank.models import Question, QuestionVersion

from .conftest import COURSE

pytestmark = pytest.mark.django_db
PAGE = f"/xueshi/questionbank/{COURSE}/"
API = f"/api/xueshi/questionbank/v1/courses/{COURSE}/"


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_user("teacher", "t@example.invalid", "pw", is_staff=True)
    client.force_login(user)
    return client


def upload(name, data):
    return SimpleUploadedFile(name, data)


def test_learners_get_403_and_anonymous_are_sent_to_sign_in(client):
    learner = get_user_model().objects.create_user("learner", "l@example.invalid", "pw")
    assert client.get(PAGE).status_code == 302
    assert client.get(f"{API}questions").status_code in (401, 403)
    client.force_login(learner)
    assert client.get(PAGE).status_code == 403
    response = client.get(f"{API}questions")
    assert response.status_code == 403 and response.json()["error"] == "forbidden"


def test_course_staff_of_this_course_only(client):
    member = get_user_model().objects.create_user("ta", "ta@example.invalid", "pw")
    member.groups.add(Group.objects.create(name=f"course_staff:{COURSE}"))
    client.force_login(member)
    assert client.get(PAGE).status_code == 200
    assert client.get("/xueshi/questionbank/course-v1:BankOrg+Other+2026/").status_code == 403


def test_import_page_shows_every_refused_row_and_imports_nothing(staff):
    rows = [list(r) for r in demo_rows()[:30]]
    rows[4][0] = "论述题"
    rows[9][8] = ""
    response = staff.post(f"{PAGE}import", {"file": upload("bad.xlsx", tabular.write_xlsx(rows))})
    assert response.status_code == 400
    html = response.content.decode()
    assert "论述题" in html and "<td>6</td>" in html and "<td>11</td>" in html
    assert Question.objects.count() == 0
    good = staff.post(f"{PAGE}import", {"file": upload("good.xlsx", tabular.write_xlsx(demo_rows()[:30]))})
    assert good.status_code == 200 and Question.objects.count() == 30


def test_pages_list_filter_edit_and_download(staff):
    staff.post(f"{PAGE}import", {"file": upload("good.xlsx", tabular.write_xlsx(demo_rows()))})
    listing = staff.get(PAGE, {"trade": "焊工"})
    assert listing.status_code == 200 and "焊工" in listing.content.decode()
    row = Question.objects.filter(type="single").first()
    page = staff.get(f"{PAGE}questions/{row.uid}")
    assert page.status_code == 200
    form = {
        "type": "单选题",
        "stem": row.current_version.stem + "（新）",
        "option_a": "甲",
        "option_b": "乙",
        "answer": "B",
        "difficulty": "难",
        "trade": row.trade,
    }
    assert staff.post(f"{PAGE}questions/{row.uid}", form).status_code == 302
    assert QuestionVersion.objects.filter(question=row).count() == 2
    bad = staff.post(f"{PAGE}questions/{row.uid}", {**form, "answer": "Q"})
    assert bad.status_code == 400 and QuestionVersion.objects.filter(question=row).count() == 2
    export = staff.get(f"{PAGE}export")
    assert export.status_code == 200 and export["Content-Disposition"].endswith('.xlsx"')
    assert staff.get(f"{PAGE}export", {"format": "csv"}).content.startswith(b"\xef\xbb\xbf")
    assert staff.get("/xueshi/questionbank/template").status_code == 200
    assert staff.get(f"{PAGE}stats", {"tag": "difficulty", "context": "exam"}).status_code == 200
    assert staff.get(f"{PAGE}questions/not-a-uuid").status_code == 404
    assert staff.get("/xueshi/questionbank/not-a-course/").status_code == 404


def test_english_page(staff):
    response = staff.get(PAGE, HTTP_ACCEPT_LANGUAGE="en")
    assert "New question" in response.content.decode()
    chinese = staff.get(PAGE, HTTP_ACCEPT_LANGUAGE="zh-cn")
    assert "新建试题" in chinese.content.decode()


def test_rest_create_edit_import_stats(staff):
    body = {"type": "判断题", "stem": "绝缘手套应定期做耐压试验。", "answer": "正确", "trade": "电工"}
    created = staff.post(f"{API}questions", body, content_type="application/json")
    assert created.status_code == 201, created.content
    uid = created.json()["id"]
    edited = staff.put(f"{API}questions/{uid}", {**body, "answer": "错误"}, content_type="application/json")
    assert (
        edited.status_code == 200 and edited.json()["version"] == 2 and edited.json()["answer"] == ["false"]
    )
    refused = staff.post(f"{API}questions", {"type": "单选题", "stem": ""}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["errors"]
    listing = staff.get(f"{API}questions", {"q": "绝缘"}).json()
    assert listing["count"] == 1
    rows = [list(r) for r in demo_rows()[:10]]
    rows[2][8] = "Z"
    report = staff.post(f"{API}imports", {"file": upload("x.xlsx", tabular.write_xlsx(rows))})
    assert report.status_code == 400
    assert report.json()["errors"] == [
        {"row": 4, "column": "答案", "message": report.json()["errors"][0]["message"]}
    ]
    assert staff.get(f"{API}stats", {"by": "tag", "tag": "trade"}).status_code == 200


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.get(f"{API}questions/00000000-0000-0000-0000-000000000000"),
        lambda c: c.get(f"{API}questions", {"limit": "many"}),
        lambda c: c.get(f"{API}stats", {"by": "weather"}),
        lambda c: c.post(f"{API}questions", "[1,2]", content_type="application/json"),
        lambda c: c.post(f"{API}questions", "{not json", content_type="application/json"),
        lambda c: c.post(f"{API}imports", {}),
        lambda c: c.post(f"{API}imports", {"file": SimpleUploadedFile("x.xlsx", b"PK\x03\x04garbage")}),
        lambda c: c.post(f"{API}imports", {"file": SimpleUploadedFile("x.exe", b"MZ\x90\x00")}),
        lambda c: c.get("/api/xueshi/questionbank/v1/courses/nonsense/questions"),
    ],
)
def test_bad_input_is_a_clear_4xx(staff, call):
    response = call(staff)
    assert 400 <= response.status_code < 500, response.content
    assert response.json()["error"]


def test_huge_upload_is_413(staff, settings):
    settings.XUESHI_QUESTIONBANK_MAX_IMPORT_BYTES = 10_000
    big = io.BytesIO(b"a" * 200_000)
    response = staff.post(f"{API}imports", {"file": SimpleUploadedFile("big.csv", big.getvalue())})
    assert response.status_code == 413 and response.json()["error"] == "file_too_large"
    page = staff.post(f"{PAGE}import", {"file": SimpleUploadedFile("big.csv", big.getvalue())})
    assert page.status_code == 413
