"""The demo organisation, course, staff and learners that ``xueshi_demo`` and the sandbox seed.

Units come from each Xueshi XBlock's ``workbench_scenarios()`` (the XBlock convention for
"what this block looks like in use"), so every capability that adds a block adds its demo too.
Other demo courses (``DEMO_COURSES``: one with face checks on, so that a check comes within
minutes without interrupting the main course) take their units from ``demo_scenarios(name)``.
OLX may contain ``{media}``, replaced by ``settings.XUESHI_DEMO_MEDIA_URL``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import entry_points

from django.core.management.base import CommandError

DEMO_ORG = "XueshiDemo"
DEMO_COURSE_KEY = "course-v1:XueshiDemo+AQ101+2026"
DEMO_COURSE_TITLE = "安全生产继续教育（演示课程）"
DEMO_FACE_COURSE_KEY = "course-v1:XueshiDemo+FACE101+2026"
DEMO_FACE_COURSE_TITLE = "人脸核验演示课程"
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
#: Demo logins for the roles that read personal data or statistics: (username, name, group). The
#: identity app creates them with real-name scopes (``xueshi_identity.demo``); they are listed here,
#: without Django, so that ``make sandbox`` can print every login README.md lists.
DEMO_ROLE_USERS: tuple[tuple[str, str, str], ...] = (
    ("auditor", "审计员", "xueshi_auditor"),
    ("jianguan", "市级监管员", "xueshi_supervisor_city"),
)
#: Demo learners left un-enrolled, so a newcomer meets the enrolment gate (and the 选修 button).
DEMO_UNENROLLED: frozenset[str] = frozenset({"wangwu"})


@dataclass(frozen=True)
class DemoCourse:
    """A demo course: ``name`` selects its units (``"main"``: the blocks' workbench scenarios)."""

    name: str
    key: str
    title: str


DEMO_COURSES: tuple[DemoCourse, ...] = (
    DemoCourse("main", DEMO_COURSE_KEY, DEMO_COURSE_TITLE),
    DemoCourse("face", DEMO_FACE_COURSE_KEY, DEMO_FACE_COURSE_TITLE),
)


def _scenarios(block_class: type, course: str) -> list[tuple[str, str]]:
    if course == "main":
        return list(getattr(block_class, "workbench_scenarios", list)())
    other = getattr(block_class, "demo_scenarios", None)
    return list(other(course)) if other else []


def demo_units(media_url: str, course: str = "main") -> list[dict[str, str]]:
    """Collect ``{"title", "olx"}`` units of one demo course from every Xueshi XBlock.

    ``"main"`` takes each block's ``workbench_scenarios()``; another course name asks the blocks
    that define ``demo_scenarios(name)``.
    """
    units = []
    classes = [
        ep.load()
        for ep in sorted(entry_points(group="xblock.v1"), key=lambda e: e.name)
        if ep.name.startswith("xueshi_")
    ]
    # A block may set ``demo_order`` to place its units (default 100; e.g. practice after lessons).
    for block_class in sorted(classes, key=lambda c: getattr(c, "demo_order", 100)):
        for title, olx in _scenarios(block_class, course):
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
    """Create the demo users (idempotent); the staff user is an operator and Django staff, not superuser.

    Each gets the platform's ``UserProfile`` with its full name, as registration would give it.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from .compat import ensure_user_profile

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
        ensure_user_profile(int(user.pk), demo.full_name)
        if demo.staff:
            user.groups.add(operators)
    return list(DEMO_USERS)


#: The demo lesson in the platform's video catalogue (edx-val), for the "video ID" path of the block.
DEMO_VAL_VIDEO_ID = "xueshi-demo-lesson1"


def register_demo_video(media_url: str) -> str:
    """Register lesson 1 in edx-val (idempotent), its MP4 under ``media_url``; return a line to print."""
    from .compat import register_val_video

    url = f"{media_url.rstrip('/')}/lesson1.mp4"
    title = "第一课：安全生产法概述"
    register_val_video(DEMO_VAL_VIDEO_ID, title, 120.0, {"desktop_mp4": url}, DEMO_COURSE_KEY)
    return f"demo video in edx-val: {DEMO_VAL_VIDEO_ID} -> {url}"


def missing_demo_media(media_url: str) -> str | None:
    """A line saying where the demo lessons must go when ``media_url`` is served from ``MEDIA_ROOT``.

    Under Tutor, uWSGI serves ``/media/`` from ``/openedx/media`` (the ``openedx-media`` volume);
    the LMS image has no ffmpeg to make the lessons, so an operator copies them in once
    (docs/operators/tutor.md, "Demo videos"). None when they are there or served from elsewhere.
    """
    from pathlib import Path

    from django.conf import settings

    prefix, root = str(getattr(settings, "MEDIA_URL", "/media/")), getattr(settings, "MEDIA_ROOT", "")
    if not root or not media_url.startswith(prefix):
        return None
    folder = Path(root) / media_url[len(prefix) :].strip("/")
    if (folder / "lesson1.mp4").is_file():
        return None
    return f"demo media missing: copy the demo lessons into {folder} (docs/operators/tutor.md, Demo videos)"


def run_demo_hooks() -> list[str]:
    """Call each installed app's ``xueshi_demo_hook`` (a dotted path on its AppConfig); collect their lines.

    Apps add their own demo data (real-name profiles, ...) this way without ``xueshi_core``
    importing them: core stays a leaf.
    """
    from django.apps import apps
    from django.utils.module_loading import import_string

    lines: list[str] = []
    # ``xueshi_demo_order`` (default 0) lets an app that builds on others' demo data run after them.
    for config in sorted(apps.get_app_configs(), key=lambda c: getattr(c, "xueshi_demo_order", 0)):
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
