"""Stand-ins for edx-platform, named like the ``compat`` functions they replace.

``settings.XUESHI_PLATFORM_SHIM = "sandbox.platform"`` routes every ``@platform_function`` here
(see ``xueshi_core.shim``). Each function does with the sandbox tables what the platform does
with its own, so code paths above ``compat`` are the same in the sandbox, tests and the LMS.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from lxml import etree
from opaque_keys.edx.keys import CourseKey
from xblock.core import XBlock
from xblock.fields import ScopeIds

from sandbox.lms.models import ContentBlock, CourseRun, Enrollment
from sandbox.lms.runtime import SandboxRuntime, load_block
from xueshi_core import compat as _core_compat
from xueshi_video import compat as _video_compat


def enable_advanced_modules(course_key: str, block_types: list[str], user_id: int) -> list[str]:
    """Append block types to the course's advanced module list."""
    try:
        course = CourseRun.objects.get(course_key=CourseKey.from_string(course_key))
    except CourseRun.DoesNotExist as exc:
        raise LookupError(f"no course {course_key}") from exc
    modules = list(course.advanced_modules)
    modules.extend(t for t in block_types if t not in modules)
    course.advanced_modules = modules
    course.save(update_fields=["advanced_modules"])
    return modules


def set_course_visibility(course_key: str, visibility: str, user_id: int) -> None:
    """The run's visibility for unenrolled learners, as Studio's Advanced Settings save it."""
    CourseRun.objects.filter(course_key=CourseKey.from_string(course_key)).update(
        course_visibility=visibility
    )


@transaction.atomic
def create_demo_course(course_key: str, title: str, units: list[dict[str, str]], user_id: int) -> str:
    """Create or refresh the course: one top-level block per unit, parsed from OLX by the block class."""
    key = CourseKey.from_string(course_key)
    course, _ = CourseRun.objects.update_or_create(course_key=key, defaults={"title": title})
    runtime = SandboxRuntime(get_user_model().objects.get(pk=user_id), key)
    for position, unit in enumerate(units):
        node = etree.fromstring(unit["olx"])
        block_type = node.tag
        # The platform's OLX import consumes ``url_name`` as the block id; it is not a field.
        usage_key = key.make_usage_key(block_type, node.attrib.pop("url_name", None) or f"unit{position}")
        ContentBlock.objects.update_or_create(
            usage_key=usage_key,
            defaults={"course": course, "block_type": block_type, "position": position, "fields": {}},
        )
        block_class = runtime.mixologist.mix(XBlock.load_class(block_type))
        block = block_class.parse_xml(node, runtime, ScopeIds(None, block_type, usage_key, usage_key))
        if not block.display_name or block.display_name == block_class.display_name.default:
            block.display_name = unit["title"]
        block.save()
    return str(key)


def course_title(course_key: Any) -> str | None:
    """The course's display name, as ``CourseOverview.display_name``."""
    course = CourseRun.objects.filter(course_key=CourseKey.from_string(str(course_key))).first()
    return course.title if course else None


# -- xueshi_video.compat ------------------------------------------------------------------------
# edx-val is a package on PyPI and an installed app of the sandbox: compat's real bodies run here,
# against the same tables and API as in the LMS (ADR 0012).
resolve_val_video = _video_compat.resolve_val_video.__wrapped__
read_val_transcript = _video_compat.read_val_transcript.__wrapped__


def read_course_media(url: str, course_key: str) -> bytes | None:
    """Course-file stand-in: the contentstore's two URL forms, plus the sandbox's own ``MEDIA_URL``.

    ``/static/name`` and ``/asset-v1:…`` resolve to the same asset key as in the LMS
    (``StaticContent.get_asset_key_from_path``: a ``/`` in the name becomes ``_``) and are read
    from the sandbox's contentstore folder (``sandbox.lms.contentstore``). ``MEDIA_URL`` paths are
    read from ``MEDIA_ROOT``, never outside it.
    """
    from pathlib import Path
    from urllib.parse import unquote, urlparse

    from django.conf import settings

    from sandbox.lms import contentstore

    parsed = urlparse(url)
    path = unquote(parsed.path)
    if parsed.netloc:
        return None
    if path.startswith(("/static/", "/asset-v1:")):
        return contentstore.read(path, course_key)
    if not path.startswith(settings.MEDIA_URL):
        return None
    root = Path(settings.MEDIA_ROOT).resolve()
    file = (root / path[len(settings.MEDIA_URL) :]).resolve()
    if not file.is_relative_to(root) or not file.is_file():
        return None
    return file.read_bytes()


# -- xueshi_core.compat (the course team) --------------------------------------------------------
def is_course_staff(user: Any, course_key: Any) -> bool:
    """Course-team stand-in: membership of the Django group ``course_staff:<course key>``."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.groups.filter(name=f"course_staff:{course_key}").exists())


@transaction.atomic
def create_learner(username: str, email: str, full_name: str, password: str | None) -> int:
    """Create an active account with its ``UserProfile``, as ``do_create_account`` does."""
    user = get_user_model().objects.create_user(username=username, email=email, first_name=full_name[:150])
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    ensure_user_profile(int(user.pk), full_name)
    return int(user.pk)


def ensure_user_profile(user_id: int, name: str) -> None:
    """``UserProfile`` stand-in: the sandbox's ``auth_userprofile`` table, same rules as compat's."""
    from sandbox.lms.models import UserProfile

    profile, created = UserProfile.objects.get_or_create(user_id=user_id, defaults={"name": name})
    if not created and profile.name != name:
        profile.name = name
        profile.save(update_fields=["name"])


# edx-val (see above): the demo lesson is registered in the real catalogue.
register_val_video = _core_compat.register_val_video.__wrapped__


# -- xueshi_access.compat -----------------------------------------------------------------------
def enrolled_user_ids(course_key: str) -> list[int]:
    """Active enrollments of a course, as ``CourseEnrollment`` gives them."""
    from sandbox.lms.models import Enrollment

    key = CourseKey.from_string(course_key)
    rows = Enrollment.objects.filter(course__course_key=key, is_active=True)
    return list(rows.values_list("user_id", flat=True))


def courses_of_users(user_ids: Any) -> dict[int, list[str]]:
    """Course keys each learner is actively enrolled in."""
    from sandbox.lms.models import Enrollment

    found: dict[int, list[str]] = {}
    rows = Enrollment.objects.filter(user_id__in=list(user_ids), is_active=True)
    for user_id, course_key in rows.values_list("user_id", "course__course_key"):
        found.setdefault(user_id, []).append(str(course_key))
    return found


def course_choices() -> list[tuple[str, str]]:
    """``(course key, title)`` of every sandbox course run."""
    return [(str(c.course_key), c.title) for c in CourseRun.objects.order_by("course_key")]


# -- xueshi_studytime.compat --------------------------------------------------------------------
def load_learner_block(request: Any, user: Any, usage_key: Any) -> XBlock:
    """The block as the sandbox's handler view loads it, behind the LMS's enrollment gate.

    An active enrollment, Django staff or the course team may load it (the LMS's
    ``has_access(user, "staff", course)``); the sandbox has no release dates or cohorts.
    """
    from xueshi_studytime.compat import BlockAccessDenied, BlockNotFound

    course_key = usage_key.course_key
    enrolled = Enrollment.objects.filter(user=user, course__course_key=course_key, is_active=True).exists()
    if not (enrolled or user.is_staff or is_course_staff(user, course_key)):
        raise BlockAccessDenied("not enrolled in this course")
    try:
        return load_block(user, usage_key)
    except ContentBlock.DoesNotExist as exc:
        raise BlockNotFound(str(usage_key)) from exc


# -- xueshi_services.compat -----------------------------------------------------------------------
def search_courses(text: str, limit: int) -> list[tuple[str, str]]:
    """The catalogue search in the sandbox: course runs whose title or key contains ``text``."""
    from django.db.models import Q

    rows = CourseRun.objects.order_by("title", "course_key")
    if text:
        rows = rows.filter(Q(title__icontains=text) | Q(course_key__icontains=text))
    return [(str(c.course_key), c.title) for c in rows[:limit]]


def course_names(course_keys: Any) -> dict[str, str]:
    """Titles of the sandbox's course runs among ``course_keys``."""
    wanted = set()
    for text in course_keys:
        try:
            wanted.add(CourseKey.from_string(str(text)))
        except Exception:  # noqa: S112 (an invalid key names no course, as in the platform)
            continue
    return {str(c.course_key): c.title for c in CourseRun.objects.filter(course_key__in=wanted)}
