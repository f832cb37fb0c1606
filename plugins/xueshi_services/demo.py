"""Demo data of learner services: a portal with something on it, so the sandbox shows every part."""

from __future__ import annotations

from django.utils import timezone

from xueshi_core.demo import DEMO_COURSE_KEY

from .models import (
    Article,
    FaqEntry,
    NewsCategory,
    PortalSettings,
    RecommendedCourse,
    ServiceContact,
    TrainingCategory,
)


def seed_demo_portal() -> list[str]:
    """Create the demo portal content once (idempotent: nothing is added when any news exists)."""
    settings = PortalSettings.current()
    if not settings.welcome:
        settings.welcome = "欢迎来到学时继续教育平台（沙箱演示）"
        settings.save(update_fields=["welcome"])
    if not Article.objects.exists():
        notices = NewsCategory.objects.get_or_create(name="通知公告", defaults={"order": 1})[0]
        Article.objects.create(
            category=notices,
            title="关于做好本年度继续教育学时登记工作的通知",
            summary="请各位学员于年底前完成本年度学时。",
            body="各位学员：\n\n本年度继续教育学时请于12月31日前完成，学时以平台计入为准。\n\n平台服务中心",
            source="平台服务中心",
            published_at=timezone.now(),
            is_pinned=True,
        )
    if not TrainingCategory.objects.exists():
        TrainingCategory.objects.create(
            name="公需科目", description="所有专业技术人员", course_keys=DEMO_COURSE_KEY
        )
    RecommendedCourse.objects.get_or_create(course_key=DEMO_COURSE_KEY, defaults={"reason": "平台演示课程"})
    if not FaqEntry.objects.exists():
        FaqEntry.objects.create(
            question="学时多久能看到？", answer="视频学习的学时实时计入，在“我的学习”和“我的学时”中可以查看。"
        )
    if not ServiceContact.objects.exists():
        ServiceContact.objects.create(
            name="客服热线",
            phone="400-000-0000",
            email="service@demo.xueshi.invalid",
            hours="工作日 9:00–17:30",
        )
    seed_demo_questionnaire()
    return [
        "services: the portal is /xueshi/services/ (operators edit it in the admin), 我的学习 at",
        "  /xueshi/services/mine/, questions and complaints at /xueshi/services/help/",
        f"services: a demo questionnaire (also in the course): /xueshi/services/q/{DEMO_QUESTIONNAIRE}/;",
        "  operators and supervisors build them at /xueshi/services/staff/questionnaires/",
    ]


DEMO_QUESTIONNAIRE = "demo01"
DEMO_QUESTIONS = """本课程的总体评价 [单选] *
- 非常满意
- 满意
- 一般
- 不满意
对你最有帮助的部分 [多选]
- 视频讲解
- 练习题
- 模拟考试
课程内容的实用性 [1-5] *
意见和建议 [文本]
"""


def seed_demo_questionnaire() -> None:
    """A published real-name questionnaire open for a year, for everyone (what the demo course shows)."""
    from datetime import timedelta

    from . import questionnaires
    from .models import Questionnaire

    if Questionnaire.objects.filter(slug=DEMO_QUESTIONNAIRE).exists():
        return
    now = timezone.now()
    row = Questionnaire.objects.create(
        slug=DEMO_QUESTIONNAIRE,
        title="课程满意度问卷",
        description="请根据本课程的学习体验填写，约需 1 分钟。",
        state=Questionnaire.PUBLISHED,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=365),
        source=DEMO_QUESTIONS,
    )
    questionnaires.write_questions(row, DEMO_QUESTIONS)
