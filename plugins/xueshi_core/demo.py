"""The demo organisation, course, staff and learners that ``xueshi_demo`` and the sandbox seed.

Units come from each Xueshi XBlock's ``workbench_scenarios()`` (the XBlock convention for
"what this block looks like in use"), so every capability that adds a block adds its demo too.
OLX may contain ``{media}``, replaced by ``settings.XUESHI_DEMO_MEDIA_URL``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import entry_points

DEMO_ORG = "XueshiDemo"
DEMO_COURSE_KEY = "course-v1:XueshiDemo+AQ101+2026"
DEMO_COURSE_TITLE = "安全生产继续教育（演示课程）"
DEMO_PASSWORD = "xueshi-demo-2026"  # noqa: S105  (a published demo login, printed on purpose)


@dataclass(frozen=True)
class DemoUser:
    """A demo login; ``staff`` users may open Studio-like editing and the status page."""

    username: str
    full_name: str
    staff: bool = False


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("operator", "平台管理员", staff=True),
    DemoUser("zhangsan", "张三"),
    DemoUser("lisi", "李四"),
    DemoUser("wangwu", "王五"),
)


def demo_units(media_url: str) -> list[dict[str, str]]:
    """Collect ``{"title", "olx"}`` units from every Xueshi XBlock's ``workbench_scenarios()``."""
    units = []
    for ep in sorted(entry_points(group="xblock.v1"), key=lambda e: e.name):
        if not ep.name.startswith("xueshi_"):
            continue
        block_class = ep.load()
        for title, olx in getattr(block_class, "workbench_scenarios", list)():
            units.append({"title": title, "olx": olx.replace("{media}", media_url.rstrip("/"))})
    return units


def ensure_demo_users() -> list[DemoUser]:
    """Create the demo users (idempotent) and put the staff user in the operator role."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user_model = get_user_model()
    operators, _ = Group.objects.get_or_create(name="xueshi_operator")
    for demo in DEMO_USERS:
        user, created = user_model.objects.get_or_create(
            username=demo.username,
            defaults={"email": f"{demo.username}@demo.xueshi.invalid", "first_name": demo.full_name},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
        user.is_staff = user.is_superuser = demo.staff
        user.save()
        if demo.staff:
            user.groups.add(operators)
    return list(DEMO_USERS)


def run_demo_hooks() -> list[str]:
    """Call each installed app's ``xueshi_demo_hook`` (a dotted path on its AppConfig); collect their lines.

    Apps add their own demo data (real-name profiles, ...) this way without ``xueshi_core``
    importing them: core stays a leaf.
    """
    from django.apps import apps
    from django.utils.module_loading import import_string

    lines: list[str] = []
    for config in apps.get_app_configs():
        hook = getattr(config, "xueshi_demo_hook", None)
        if hook:
            lines.extend(import_string(hook)())
    return lines
