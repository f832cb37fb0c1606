"""The portal: operators edit it in the admin (the permission API decides who), the pages change,
course search narrows by training category, personnel category and region, and the QR code scans."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from xueshi_services.models import Article, Attachment, NewsCategory, RecommendedCourse, TrainingCategory

from ..permkit import account, signed_in
from .conftest import COURSE, OTHER

pytestmark = pytest.mark.django_db(transaction=True)
ADMIN = "/admin/xueshi_services"


def test_an_operator_edits_the_portal_in_the_admin_and_the_page_changes(course: str, operator: User) -> None:
    staff = signed_in(operator)
    assert (
        staff.post(
            f"{ADMIN}/newscategory/add/", {"name": "政策法规", "order": 1, "is_active": "on"}
        ).status_code
        == 302
    )
    category = NewsCategory.objects.get(name="政策法规")
    article = {
        "category": category.pk,
        "title": "关于2027年度继续教育学时要求的通知",
        "summary": "",
        "body": "各单位：\n\n请于年底前完成<script>alert(1)</script>学时。",
        "source": "省人社厅",
        "published_at_0": timezone.localdate().isoformat(),
        "published_at_1": "09:00:00",
        "is_published": "on",
        "is_pinned": "on",
        "attachments-TOTAL_FORMS": "1",
        "attachments-INITIAL_FORMS": "0",
        "attachments-0-title": "通知原文",
        "attachments-0-file": SimpleUploadedFile("notice.pdf", b"%PDF-1.4 test", "application/pdf"),
    }
    assert staff.post(f"{ADMIN}/article/add/", article).status_code == 302
    bad = {"name": "错", "course_keys": "course-v1:A+B+C\nnot a key", "order": 0, "is_active": "on"}
    assert staff.post(f"{ADMIN}/trainingcategory/add/", bad).status_code == 200  # the form shows the error
    assert not TrainingCategory.objects.exists()
    portal = Client().get("/xueshi/services/").content.decode()  # anonymous visitors see it
    assert "关于2027年度继续教育学时要求的通知" in portal and 'id="portal-mobile"' in portal
    saved = Article.objects.get()
    detail = Client().get(f"/xueshi/services/news/{saved.pk}/").content.decode()
    assert "&lt;script&gt;" in detail and "<script>alert" not in detail  # plain text, never HTML
    download = Client().get(f"/xueshi/services/news/files/{Attachment.objects.get().pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 test"
    Article.objects.update(is_published=False)
    assert Client().get(f"/xueshi/services/news/{saved.pk}/").status_code == 404
    assert Client().get(f"/xueshi/services/news/files/{Attachment.objects.get().pk}/").status_code == 404


def test_only_portal_editors_reach_the_portal_admin(course: str) -> None:
    staff_without_role = signed_in(account("xitong", is_staff=True))
    assert staff_without_role.get(f"{ADMIN}/article/").status_code == 403
    assert staff_without_role.get("/xueshi/services/staff/portal/").status_code == 403


def test_search_narrows_by_category_personnel_category_and_region(course: str, settings: Any) -> None:
    TrainingCategory.objects.create(
        name="会计人员专业科目", personnel_category="accountant", region_code="52", course_keys=COURSE
    )
    TrainingCategory.objects.create(name="公需科目", course_keys=f"{COURSE}\n{OTHER}")
    RecommendedCourse.objects.create(course_key=OTHER, reason="新政解读")

    def found(query: str) -> list[str]:
        page = Client().get(f"/xueshi/services/courses/?{query}").content.decode()
        return [key for key in (COURSE, OTHER) if f'data-course="{key}"' in page]

    assert found("q=税收") == [OTHER]
    assert found("q=") == [COURSE, OTHER]
    assert found("personnel=accountant&region=520100") == [COURSE, OTHER]
    professional = TrainingCategory.objects.get(personnel_category="accountant").pk
    assert found(f"category={professional}") == [COURSE]
    assert found(f"category={professional}&region=110000") == []  # that category is for Guizhou
    assert found("category=abc") == [COURSE, OTHER]  # an unknown filter value filters nothing
    assert Client().get("/xueshi/services/courses/?q=" + "长" * 101).status_code == 400
    assert 'data-course="course-v1:SvcOrg+S202+2026"' in Client().get("/xueshi/services/").content.decode()


def test_the_mobile_qr_code_is_an_svg_of_the_portal_address(course: str) -> None:
    response = Client().get("/xueshi/services/mobile-qr.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<?xml") and b"<svg" in response.content


def test_the_demo_seeds_a_portal_once(db: Any) -> None:
    from xueshi_services import demo

    demo.seed_demo_portal()
    demo.seed_demo_portal()  # a second run (Tutor's init runs it on every launch) adds nothing
    assert (Article.objects.count(), RecommendedCourse.objects.count(), TrainingCategory.objects.count()) == (
        1,
        1,
        1,
    )
    page = Client().get("/xueshi/services/").content.decode()
    assert "关于做好本年度继续教育学时登记工作的通知" in page and "400-000-0000" in page
