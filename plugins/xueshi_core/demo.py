"""The demo organisation, course, staff and learners that ``xueshi_demo`` and the sandbox seed.

Units come from each Xueshi XBlock's ``workbench_scenarios()`` (the XBlock convention for
"what this block looks like in use"), so every capability that adds a block adds its demo too.
OLX may contain ``{media}``, replaced by ``settings.XUESHI_DEMO_MEDIA_URL``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import entry_points

from django.core.management.base import CommandError

DEMO_ORG = "XueshiDemo"
DEMO_COURSE_KEY = "course-v1:XueshiDemo+AQ101+2026"
DEMO_COURSE_TITLE = "安全生产继续教育（演示课程）"
DEMO_PASSWORD = "xueshi-demo-2026"  # noqa: S105  (a published demo login, printed on purpose)


@dataclass(frozen=True)
class DemoUser:
    """A demo login; ``staff`` users get the operator role and Django staff status (for the admin).

    Never superuser: a superuser bypasses every admin permission, which separation of duties
    (三员分立, ADR 0010) forbids to the account that also manages learners.
    """

    username: str
    full_name: str
    staff: bool = False


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("operator", "平台管理员", staff=True),
    DemoUser("zhangsan", "张三"),
    DemoUser("lisi", "李四"),
    DemoUser("wangwu", "王五"),
)
#: Demo learners left un-enrolled, so a newcomer meets the enrolment gate (and the 选修 button).
DEMO_UNENROLLED: frozenset[str] = frozenset({"wangwu"})


def demo_units(media_url: str) -> list[dict[str, str]]:
    """Collect ``{"title", "olx"}`` units from every Xueshi XBlock's ``workbench_scenarios()``."""
    units = []
    classes = [
        ep.load()
        for ep in sorted(entry_points(group="xblock.v1"), key=lambda e: e.name)
        if ep.name.startswith("xueshi_")
    ]
    # A block may set ``demo_order`` to place its units (default 100; e.g. practice after lessons).
    for block_class in sorted(classes, key=lambda c: getattr(c, "demo_order", 100)):
        for title, olx in getattr(block_class, "workbench_scenarios", list)():
            units.append({"title": title, "olx": olx.replace("{media}", media_url.rstrip("/"))})
    return units


class DemoRefused(CommandError):
    """Demo logins with a published password were asked for on a production settings layer."""


def refuse_on_production(force: bool) -> None:
    """Raise ``DemoRefused`` on the production settings layer unless ``force`` (``--force``).

    The demo password is printed and published; seeding it into a live platform would hand an
    auditor's full view of ID numbers to anyone who reads the docs.
    """
    from django.conf import settings

    if getattr(settings, "XUESHI_SETTINGS_LAYER", "") == "production" and not force:
        raise DemoRefused(
            "Refusing to seed demo users with a published password on a production settings layer "
            "(XUESHI_SETTINGS_LAYER=production). Use a development or test layer, or pass --force "
            "if this really is a throw-away demo server."
        )


def ensure_demo_users() -> list[DemoUser]:
    """Create the demo users (idempotent); the staff user is an operator and Django staff, not superuser."""
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
        user.is_staff = demo.staff
        user.is_superuser = False  # also demotes an operator seeded as superuser by older versions
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


def ensure_demo_enrolments(course_key: str) -> list[str]:
    """Enrol the demo learners (never the staff, never ``DEMO_UNENROLLED``) in the demo course.

    Through ``compat`` (the platform's ``CourseEnrollment.enroll``: its filters and events run).
    Learners already enrolled are skipped, so a second run (Tutor's init runs it on every launch)
    announces nothing twice; an un-enrolled learner who enrolled through the page stays enrolled.
    Returns the usernames enrolled by this run.
    """
    from django.contrib.auth import get_user_model

    from . import compat

    enrolled = []
    for demo in DEMO_USERS:
        if demo.staff or demo.username in DEMO_UNENROLLED:
            continue
        user = get_user_model().objects.get(username=demo.username)
        if not compat.is_enrolled(user, course_key):
            compat.enroll(user, course_key)
            enrolled.append(demo.username)
    return enrolled
