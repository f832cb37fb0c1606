"""Demo data of the hours app: the shipped rules, the demo courses' hour settings, zhangsan's external hours.

Idempotent. zhangsan (福建, 专业技术人员) falls under the national rule cn-zj-2015; his page shows an
approved conference (公需) and a pending training, and grows as he studies the demo course
(45 minutes of credited video = 1 学时). Last year he met the rule with approved offline training
(30 公需 + 64 专业), which the certificates demo turns into an issued certificate.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey

from xueshi_core.demo import DEMO_COURSE_KEY, DEMO_COURSE_TITLE, DEMO_FACE_COURSE_KEY, DEMO_FACE_COURSE_TITLE

from . import accounts, rulestore
from .models import CourseHoursSetting, ExternalHours

#: A minimal valid one-page PDF, as the proof of the demo's external hours.
DEMO_PROOF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _course(key: str, title: str, hours: str, category: str) -> None:
    CourseHoursSetting.objects.get_or_create(
        course_key=CourseKey.from_string(key),
        defaults={"title": title, "declared_hours": Decimal(hours), "category": category},
    )


def _external(
    user: object, title: str, hours: str, category: str, approved: bool, day: date | None = None
) -> None:
    if ExternalHours.objects.filter(user=user, title=title).exists():
        return
    row = ExternalHours(user=user, title=title, kind="conference", category=category, hours=Decimal(hours))
    row.activity_day = day or accounts.today()
    if approved:
        row.status, row.decided_at, row.decided_day = ExternalHours.APPROVED, timezone.now(), row.activity_day
        row.reason = "演示数据"
    row.attachment.save("demo-proof.pdf", ContentFile(DEMO_PROOF), save=False)
    row.save()


def seed_demo_hours() -> list[str]:
    """Rules, course hours and zhangsan's external hours; return lines for the demo output."""
    added = [r for r in rulestore.load_shipped() if r[2]]
    _course(DEMO_COURSE_KEY, DEMO_COURSE_TITLE, "2", "professional")
    _course(DEMO_FACE_COURSE_KEY, DEMO_FACE_COURSE_TITLE, "1", "public")
    zhangsan = get_user_model().objects.filter(username="zhangsan").first()
    if zhangsan is not None:
        _external(zhangsan, "2026年度专业技术人员公需科目讲座", "12", "public", approved=True)
        _external(zhangsan, "福建省建筑行业新技术培训班", "16", "professional", approved=False)
        # Last year met in full (offline training an operator approved), so 我的证书 shows a certificate.
        last = accounts.today().year - 1
        for title, hours, category in (
            (f"{last}年度专业技术人员公需科目集中培训", "30", "public"),
            (f"{last}年度福建省建筑行业专业科目培训", "64", "professional"),
        ):
            _external(zhangsan, title, hours, category, approved=True, day=date(last, 11, 20))
    return [
        f"hours: {len(added)} rule versions added; zhangsan's hours at /xueshi/hours/,"
        " his learning archive at /xueshi/hours/archive/"
    ]
