"""Demo data of payments: a paid demo course (¥30.00), so ``make sandbox`` shows buying.

The course has the main demo course's units (第一课 a preview, 试听) and a ``verified`` mode priced
30 CNY; its visibility for unenrolled learners is ``public``, so previews show. Nobody is
enrolled: a demo learner buys it (bank transfer until the WeChat Pay and Alipay channels are
enabled), and the ``operator`` confirms the transfer on the orders page. Idempotent.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model

from xueshi_core import compat as core_compat
from xueshi_core.demo import DEMO_USERS, demo_units

from . import compat, conf

PAID_DEMO_COURSE_KEY = "course-v1:XueshiDemo+PAY101+2026"
PAID_DEMO_COURSE_TITLE = "安全生产继续教育（付费演示课程）"
PAID_DEMO_PRICE_YUAN = 30


def seed_paid_demo_course() -> list[str]:
    """Create (or refresh) the paid demo course and its price; return the lines the demo prints."""
    staff = next(user for user in DEMO_USERS if user.staff)
    staff_id = get_user_model().objects.get(username=staff.username).pk
    media = getattr(settings, "XUESHI_DEMO_MEDIA_URL", "/media/xueshi-demo/")
    units = demo_units(media, "main")
    for unit in units:  # 第一课 is a preview (试听): anyone may watch it before buying (ADR 0168)
        if 'url_name="video_lesson1"' in unit["olx"]:
            unit["olx"] = unit["olx"].replace("<xueshi_video ", '<xueshi_video preview="true" ', 1)
    course = core_compat.create_demo_course(PAID_DEMO_COURSE_KEY, PAID_DEMO_COURSE_TITLE, units, staff_id)
    compat.ensure_paid_mode(course, "verified", "认证学员", PAID_DEMO_PRICE_YUAN, conf.paid_currency())
    # Units' public views (the previews) show to learners who have not bought it, as in the LMS.
    core_compat.set_course_visibility(course, core_compat.COURSE_VISIBILITY_PUBLIC, staff_id)
    return [
        f"paid demo course: {course} (¥{PAID_DEMO_PRICE_YUAN}.00): buy it on its course page as a learner;",
        "  operator confirms bank transfers at /xueshi/payments/manage/",
    ]
