"""Data a run needs, made in-process with the benchmark settings: database, course, signed-in learners.

The course is built the way the sandbox builds its demo (``sandbox.platform.create_demo_course``
parses each unit's OLX with the block class). Learners are real accounts, enrolled, each with a
complete real-name profile (so the identity gate lets them study) and a signed-in browser session
(a session in the Redis cache and a CSRF cookie). Each session is signed in the way the login view
does it, minus the password: Django's ``user_logged_in`` signal runs every receiver (the one-device
rule makes the session the account's current device, the sign-in is audited, ``last_login`` set).
Logging in thousands of learners through the password form would benchmark PBKDF2 instead.
"""

from __future__ import annotations

import secrets
import string
from typing import Any

COURSE_KEY = "course-v1:XueshiBench+HB101+2026"
COURSE_TITLE = "学时基准课程 (benchmark)"
# Six lectures of 20 to 45 minutes: the length of a typical continuing-education video.
VIDEO_MINUTES = (20, 25, 30, 35, 40, 45)
_CSRF_ALPHABET = string.ascii_letters + string.digits
BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
# 福建省 福州市 鼓楼区: a county code valid in the bundled GB/T 2260 data.
REGION = ("350000", "350100", "350102")


def migrate() -> None:
    """Create or update the benchmark database's tables."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def seed_course() -> list[dict[str, Any]]:
    """The benchmark course (idempotent) and edx-completion's switch; return its video blocks."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from waffle.models import Switch

    from sandbox.platform import create_demo_course

    staff, _ = get_user_model().objects.get_or_create(
        username="bench-staff", defaults={"email": "bench-staff@bench.invalid", "is_staff": True}
    )
    media = str(getattr(settings, "XUESHI_DEMO_MEDIA_URL", "/media/xueshi-demo/")).rstrip("/")
    units = []
    for number, minutes in enumerate(VIDEO_MINUTES, start=1):
        title = f"第{number}讲 ({minutes} 分钟)"
        olx = (
            f'<xueshi_video url_name="lecture{number}" display_name="{title}" '
            f'sources=\'["{media}/lesson1.mp4"]\' duration="{minutes * 60}"/>'
        )
        units.append({"title": title, "olx": olx})
    course = create_demo_course(COURSE_KEY, COURSE_TITLE, units, staff.id)
    Switch.objects.update_or_create(name="completion.enable_completion_tracking", defaults={"active": True})
    return [
        {
            "course": course,
            "usage": f"block-v1:XueshiBench+HB101+2026+type@xueshi_video+block@lecture{n}",
            "duration": minutes * 60.0,
        }
        for n, minutes in enumerate(VIDEO_MINUTES, start=1)
    ]


def make_learners(prefix: str, first: int, count: int) -> list[dict[str, Any]]:
    """``count`` enrolled, signed-in learners named ``<prefix>-<n>``; return their browser credentials."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.cache import SessionStore
    from opaque_keys.edx.keys import CourseKey

    from sandbox.lms.models import CourseRun, Enrollment

    user_model = get_user_model()
    names = [f"{prefix}-{n}" for n in range(first, first + count)]
    existing = set(user_model.objects.filter(username__in=names).values_list("username", flat=True))
    user_model.objects.bulk_create(
        [
            user_model(username=name, email=f"{name}@bench.invalid", password="!")
            for name in names
            if name not in existing
        ],
        batch_size=1000,
    )
    users = list(user_model.objects.filter(username__in=names).order_by("id"))
    course = CourseRun.objects.get(course_key=CourseKey.from_string(COURSE_KEY))
    Enrollment.objects.bulk_create(
        [Enrollment(user=user, course=course, mode="verified") for user in users],
        batch_size=1000,
        ignore_conflicts=True,
    )
    give_profiles(users)
    learners = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sign_in(user, session)
        learners.append(
            {
                "user_id": user.pk,
                "username": user.username,
                "session": session.session_key,
                "csrf": "".join(secrets.choice(_CSRF_ALPHABET) for _ in range(32)),
            }
        )
    return learners


def give_profiles(users: list[Any]) -> None:
    """A complete real-name profile per learner, as registration leaves it (idempotent).

    ID numbers are valid 18-digit resident IDs made unique by the user id (birth day and sequence),
    so the one-account-per-ID-number rule holds across runs in the same database.
    """
    import datetime

    from xueshi_identity.divisions import ensure_reference_data
    from xueshi_identity.models import IdentityProfile, PersonnelCategory
    from xueshi_identity.testing import make_resident_id

    ensure_reference_data()
    category = PersonnelCategory.objects.order_by("sort_order").first()
    have = set(IdentityProfile.objects.filter(user__in=users).values_list("user_id", flat=True))
    for user in users:
        if user.pk in have:
            continue
        profile = IdentityProfile(
            user=user,
            real_name=f"学员{user.pk}",
            id_type="resident_id",
            province_code=REGION[0],
            city_code=REGION[1],
            county_code=REGION[2],
            employer="基准测试单位",
            category=category,
            source="import",
        )
        born = datetime.date(1960, 1, 1) + datetime.timedelta(days=user.pk // 1000)
        profile.id_number = make_resident_id(REGION[2], born, user.pk % 1000)
        profile.phone = f"139{user.pk % 10**8:08d}"
        profile.save()


def sign_in(user: Any, session: Any) -> None:
    """Run the login view's ``user_logged_in`` signal for ``session`` (device record, audit row)."""
    from django.contrib.auth.signals import user_logged_in
    from django.test import RequestFactory

    request = RequestFactory().post("/login", REMOTE_ADDR="10.0.0.1", HTTP_USER_AGENT=BROWSER)
    request.session = session
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    session.save()
