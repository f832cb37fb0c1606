"""The only module of ``xueshi_core`` that imports edx-platform, always lazily inside a function.

Each function names the platform code it wraps and the release it was written against
(Verawood, ``release/verawood.1``). The sandbox and tests supply stand-ins through
``settings.XUESHI_PLATFORM_SHIM`` (see ``xueshi_core.shim``).
"""

from __future__ import annotations

import contextlib
import functools
from typing import Any, cast

from .shim import platform_function


def olx_fields(block_type: str, attributes: dict[str, str]) -> tuple[str | None, dict[str, Any]]:
    """Turn OLX attributes into typed field values (lists, numbers, booleans), as OLX import does.

    Returns ``(url_name, fields)``. Attributes that name no field of the block are refused, so a
    typo in demo OLX is an error rather than silently lost data.
    """
    from xblock.core import XBlock  # XBlock is a library, not the platform

    block_class = XBlock.load_class(block_type)
    url_name = attributes.pop("url_name", None)
    fields: dict[str, Any] = {}
    for name, raw in attributes.items():
        field = block_class.fields.get(name)
        if field is None:
            raise ValueError(f"{block_type} has no field {name!r}")
        fields[name] = field.from_string(raw)
    return url_name, fields


#: ``CourseBlock.course_visibility`` values (``xmodule/course_block.py``): who sees a run unenrolled.
COURSE_VISIBILITY_PRIVATE, COURSE_VISIBILITY_PUBLIC_OUTLINE, COURSE_VISIBILITY_PUBLIC = (
    "private",
    "public_outline",
    "public",
)


@platform_function
def set_course_visibility(course_key: str, visibility: str, user_id: int) -> None:
    """Set the run's "Course Visibility For Unenrolled Learners" (Advanced Settings).

    With ``public`` the LMS renders each unit's ``public_view`` to learners who are not enrolled
    (``courseware.access_utils.check_public_access``; the site flag
    ``COURSE_ENABLE_UNENROLLED_ACCESS_FLAG`` must be on). Wraps ``modulestore().get_course`` and
    ``update_item``, as saving Advanced Settings in Studio does.
    """
    from opaque_keys.edx.keys import CourseKey
    from xmodule.modulestore.django import modulestore

    store = modulestore()
    course = store.get_course(CourseKey.from_string(course_key))
    course.course_visibility = visibility
    store.update_item(course, user_id)


@platform_function
def enable_advanced_modules(course_key: str, block_types: list[str], user_id: int) -> list[str]:
    """Add ``block_types`` to a course's Advanced Module List; return the list as saved.

    Wraps ``xmodule.modulestore.django.modulestore()`` (``get_course``/``update_item``), the
    same path Studio's advanced settings page takes (``cms/djangoapps/models/settings/course_metadata.py``).
    """
    from opaque_keys.edx.keys import CourseKey
    from xmodule.modulestore.django import modulestore

    store = modulestore()
    key = CourseKey.from_string(course_key)
    course = store.get_course(key)
    if course is None:
        raise LookupError(f"no course {course_key}")
    modules = list(course.advanced_modules)
    modules.extend(t for t in block_types if t not in modules)
    course.advanced_modules = modules
    store.update_item(course, user_id)
    return modules


def _ensure_child(
    store: Any, user_id: int, parent: Any, block_type: str, block_id: str, fields: dict[str, Any]
) -> Any:
    """Create ``parent``'s child of that type and id, or bring the existing one's fields up to date.

    Tutor's init job runs the demo command on every launch, so every block has a fixed id: a second
    run finds it (``has_item``) instead of adding a copy (``create_child`` with an id that exists
    raises ``DuplicateItemError`` in split).
    """
    usage = parent.course_key.make_usage_key(block_type, block_id)
    if not store.has_item(usage):
        return store.create_child(user_id, parent, block_type, block_id=block_id, fields=fields)
    item = store.get_item(usage)
    for name, value in fields.items():
        setattr(item, name, value)
    return store.update_item(item, user_id)


@platform_function
def create_demo_course(course_key: str, title: str, units: list[dict[str, str]], user_id: int) -> str:
    """Create or refresh the demo course, one vertical per unit; return its course key.

    Each unit is ``{"title": str, "olx": str}`` whose OLX is one block element (attributes are
    its fields, ``url_name`` its block id). Idempotent: every block has a fixed id, so running
    it again updates the course in place. Wraps ``modulestore().create_course``, ``has_item``,
    ``get_item``, ``create_child``, ``update_item`` and ``publish``
    (``xmodule/modulestore/split_mongo/split.py``).
    """
    from lxml import etree
    from opaque_keys.edx.keys import CourseKey
    from xmodule.modulestore import ModuleStoreEnum
    from xmodule.modulestore.django import modulestore

    store = modulestore()
    key = CourseKey.from_string(course_key)
    with store.default_store(ModuleStoreEnum.Type.split):
        course = store.get_course(key) or store.create_course(
            key.org, key.course, key.run, user_id, fields={"display_name": title}
        )
        named = {"display_name": title}
        chapter = _ensure_child(store, user_id, course.location, "chapter", "xueshi_demo_chapter", named)
        sequential = _ensure_child(
            store, user_id, chapter.location, "sequential", "xueshi_demo_lessons", named
        )
        for position, unit in enumerate(units):
            node = etree.fromstring(unit["olx"])
            block_id, fields = olx_fields(node.tag, dict(node.attrib))
            block_id = block_id or f"xueshi_demo_block{position}"
            vertical = _ensure_child(
                store,
                user_id,
                sequential.location,
                "vertical",
                f"{block_id}_unit",
                {"display_name": unit["title"]},
            )
            _ensure_child(store, user_id, vertical.location, node.tag, block_id, fields)
        store.publish(course.location, user_id)
    return str(key)


@platform_function
def register_val_video(
    edx_video_id: str, title: str, duration: float, urls: dict[str, str], course_key: str
) -> str:
    """Create or update an edx-val video (the demo lesson's ``edx_video_id``), listed in ``course_key``.

    Wraps ``edxval.api.create_video`` / ``update_video`` (the serializer Studio's upload pipeline
    feeds). Idempotent: a second run updates the URLs and duration, and lists the course once
    (``update_video`` would add it again and hit ``CourseVideo``'s unique key). Returns the id.
    """
    from edxval import api as edxval_api

    data = {
        "edx_video_id": edx_video_id,
        "client_video_id": title,
        "duration": duration,
        "status": "file_complete",
        "encoded_videos": [
            {"profile": profile, "url": url, "file_size": 0, "bitrate": 0} for profile, url in urls.items()
        ],
        "courses": [course_key],
    }
    for profile in urls:
        # edx-val's migrations create the standard profiles; a database flushed since (a test's
        # transactional reset) or a custom profile needs it made first, as its API says.
        # It may exist: full_clean refuses a duplicate before any insert (no failed transaction).
        with contextlib.suppress(edxval_api.ValCannotCreateError):
            edxval_api.create_profile(profile)
    try:
        edxval_api.get_video_info(edx_video_id)
    except edxval_api.ValVideoNotFoundError:
        edxval_api.create_video(data)
        return edx_video_id
    # update_video adds every listed course again: a course listed twice breaks its unique key.
    if edx_video_id in edxval_api.get_video_ids_for_course(course_key):
        data["courses"] = []
    edxval_api.update_video(data)
    return edx_video_id


@platform_function
def ensure_user_profile(user_id: int, name: str) -> None:
    """Give an account the ``UserProfile`` registration gives it, with ``name`` as its full name.

    Wraps ``common.djangoapps.student.models.UserProfile`` (``auth_userprofile``): the LMS shows,
    certifies and reports the profile's ``name``; an account without a profile breaks the account
    settings page and certificates. Idempotent: an existing profile gets the name if it differs.
    """
    from common.djangoapps.student.models import UserProfile

    profile, created = UserProfile.objects.get_or_create(user_id=user_id, defaults={"name": name})
    if not created and profile.name != name:
        profile.name = name
        profile.save(update_fields=["name"])


@platform_function
def is_course_staff(user: Any, course_key: Any) -> bool:
    """Whether ``user`` is on the course team (staff or instructor role) of ``course_key``.

    Wraps ``common.djangoapps.student.roles.CourseStaffRole`` and ``CourseInstructorRole``
    (``has_user``), the roles Studio's course team page grants; ``permissions.may`` asks it for
    ``EDIT_QUESTION_BANK`` on one course.
    """
    from common.djangoapps.student.roles import CourseInstructorRole, CourseStaffRole

    return bool(CourseStaffRole(course_key).has_user(user) or CourseInstructorRole(course_key).has_user(user))


#: What the LMS signs with (``JWT_SIGNING_ALGORITHM``, RS512) and what edx-drf-extensions verifies
#: with an RSA key; the symmetric HS256 path is deprecated (DEPR of symmetric JWTs) and refused here.
ASYMMETRIC_JWT_ALGORITHMS = ("RS256", "RS512")


def _refuse_symmetric(token: str) -> None:
    """Raise ``jwt.InvalidTokenError`` unless the token's header names an asymmetric algorithm.

    edx-drf-extensions 10.x still accepts an HS256 token signed with an issuer's ``SECRET_KEY``
    (``_verify_jwt_signature`` falls back to it). Under Tutor that key is ``OPENEDX_SECRET_KEY``,
    shared by every IDA, so anything holding it could mint a learner's token: we accept only
    what the LMS itself issues, RS512 tokens verified against ``JWT_PUBLIC_SIGNING_JWK_SET``.
    """
    import jwt

    algorithm = jwt.get_unverified_header(token).get("alg")
    if algorithm not in ASYMMETRIC_JWT_ALGORITHMS:
        raise jwt.InvalidTokenError(f"JWT signed with {algorithm!r}: only the LMS's RSA signatures count")


@functools.cache
def jwt_authentication_class() -> type:
    """The platform's DRF authentication of ``Authorization: JWT …`` headers, asymmetric tokens only.

    ``edx_rest_framework_extensions.auth.jwt.authentication.JwtAuthentication``, as every LMS API
    lists it: it verifies the signature against ``JWT_PUBLIC_SIGNING_JWK_SET`` (RS512 in the LMS)
    and the issuers of ``JWT_AUTH``, the expiry and the audience, then loads the user. A token
    whose header names a symmetric algorithm is refused first (``_refuse_symmetric``).
    """
    from edx_rest_framework_extensions.auth.jwt.authentication import JwtAuthentication

    class AsymmetricJwtAuthentication(JwtAuthentication):  # type: ignore[misc]
        """``JwtAuthentication`` whose decoding never takes the deprecated symmetric path."""

        @classmethod
        def jwt_decode_token(cls, token: str) -> dict[str, Any]:
            """Claims of an asymmetrically signed token (drf-jwt's hook for decoding)."""
            return jwt_decode(token)

    return AsymmetricJwtAuthentication


def jwt_decode(token: str) -> dict[str, Any]:
    """The verified claims of an RS512/RS256 JWT (edx-drf-extensions' decoder); raises if bad.

    ``jwt_decode_handler(token, decode_symmetric_token=False)``: asymmetric keys only.
    """
    from edx_rest_framework_extensions.auth.jwt.decoder import jwt_decode_handler

    _refuse_symmetric(token)
    claims = jwt_decode_handler(token, decode_symmetric_token=False)
    if not isinstance(claims, dict):
        raise ValueError("JWT payload is not an object")
    return claims


def bearer_authentication_class() -> type | None:
    """The LMS's DRF authentication of opaque DOT Bearer tokens; ``None`` where DOT is absent.

    ``openedx/core/lib/api/authentication.py`` ``BearerAuthentication`` (it refuses inactive
    accounts and expired tokens). Without django-oauth-toolkit there is nothing that could
    verify an opaque token, and the caller must then refuse it rather than let it through.
    """
    from django.apps import apps

    if not apps.is_installed("oauth2_provider"):
        return None
    try:
        from openedx.core.lib.api.authentication import BearerAuthentication
    except ImportError:
        return None
    return cast(type, BearerAuthentication)


# -- enrolment (ADR 0094) -------------------------------------------------------------------------
# Not ``@platform_function``: these bodies run everywhere. The sandbox puts a stand-in of
# ``common.djangoapps.student.models`` with the platform's class methods on ``sys.path``
# (``sandbox/platform_stubs``), so the sandbox and tests exercise exactly this code.
def is_enrolled(user: Any, course_key: Any) -> bool:
    """Whether ``user`` has an active enrollment in the course (False for anonymous users).

    Wraps ``CourseEnrollment.is_enrolled`` (``common/djangoapps/student/models/course_enrollment.py``),
    the check the courseware and edx-completion make.
    """
    from common.djangoapps.student.models import CourseEnrollment
    from opaque_keys.edx.keys import CourseKey

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(CourseEnrollment.is_enrolled(user, CourseKey.from_string(str(course_key))))


def enroll(user: Any, course_key: Any, mode: str | None = None) -> None:
    """Enroll ``user`` through the platform's ``CourseEnrollment.enroll``.

    Its ``CourseEnrollmentStarted`` filter runs and ``COURSE_ENROLLMENT_CREATED`` is sent, so
    payment or approval plugins see the enrolment as they would any other. Raises the platform's
    ``CourseEnrollmentException`` subclasses (``EnrollmentNotAllowed`` when a filter step refuses).
    """
    from common.djangoapps.student.models import CourseEnrollment
    from opaque_keys.edx.keys import CourseKey

    CourseEnrollment.enroll(user, CourseKey.from_string(str(course_key)), mode=mode)


def unenroll(user: Any, course_key: Any) -> None:
    """Deactivate the enrollment (``CourseEnrollment.unenroll``; ``CourseUnenrollmentStarted`` runs)."""
    from common.djangoapps.student.models import CourseEnrollment
    from opaque_keys.edx.keys import CourseKey

    CourseEnrollment.unenroll(user, CourseKey.from_string(str(course_key)))


def enrollments_of(user: Any) -> list[tuple[str, str, Any]]:
    """The user's active enrolments as ``(course key, course title, enrolled at)``, oldest first.

    Wraps ``CourseEnrollment.enrollments_for_user`` (``common/djangoapps/student/models/
    course_enrollment.py``, Verawood) and each row's ``course_overview`` for the title (the course
    key when the overview is missing). For the learning archive (``xueshi_hours``).
    """
    from common.djangoapps.student.models import CourseEnrollment

    if user is None or not getattr(user, "is_authenticated", False):
        return []
    found = []
    for row in CourseEnrollment.enrollments_for_user(user):
        overview = getattr(row, "course_overview", None)
        title = str(getattr(overview, "display_name", "") or "") or str(row.course_id)
        found.append((str(row.course_id), title, row.created))
    return sorted(found, key=lambda x: x[2])


# -- course tabs and course apps (ADR 0181) --------------------------------------------------------
# Not ``@platform_function``: they build classes on the platform's bases when the platform loads
# our ``openedx.course_tab`` / ``openedx.course_app`` entry points; the sandbox puts stand-ins of
# the two base classes on ``sys.path`` (``sandbox/platform_stubs``) so tests build the same classes.
def course_tab_class(link: Any) -> type:
    """A dynamic course tab for ``link`` (``xueshi_core.coursetabs.CourseTabLink``).

    Subclasses ``lms.djangoapps.courseware.tabs.EnrolledTab`` (Verawood): shown to enrolled learners
    and course staff, never persisted in the course (``is_dynamic``), its link computed per course
    by ``link_func`` as the platform's own Dates tab does; the learning MFE lists it with the
    course's other tabs (the course home API makes the link absolute).
    """
    from django.utils.translation import gettext_lazy
    from lms.djangoapps.courseware.tabs import EnrolledTab

    class XueshiCourseTab(EnrolledTab):  # type: ignore[misc]
        type = link.tab_type
        title = gettext_lazy(link.title)
        priority = link.priority
        view_name = link.url_name
        is_dynamic = True
        is_default = False
        is_hideable = False
        is_movable = False

        def __init__(self, tab_dict: dict[str, Any] | None = None) -> None:
            tab_dict = dict(tab_dict or {})
            tab_dict["link_func"] = lambda course, _reverse: link.url(str(course.id))
            super().__init__(tab_dict)

        @classmethod
        def is_enabled(cls, course: Any, user: Any = None) -> bool:
            return bool(super().is_enabled(course, user=user)) and link.shown(str(course.id))

    XueshiCourseTab.__name__ = XueshiCourseTab.__qualname__ = f"XueshiCourseTab_{link.tab_type}"
    return XueshiCourseTab


def course_app_class(link: Any) -> type:
    """A course app for Studio's Pages & Resources (``xueshi_core.coursetabs.CourseAppLink``).

    Subclasses ``openedx.core.djangoapps.course_apps.plugins.CourseApp`` (Verawood). Always on
    (it is the course's hour settings, not a feature to switch off), configurable: its
    ``legacy_link`` is our settings page, which the Pages & Resources card opens.
    """
    from django.utils.translation import gettext_lazy
    from openedx.core.djangoapps.course_apps.plugins import CourseApp

    class XueshiCourseApp(CourseApp):  # type: ignore[misc]
        app_id = link.app_id
        name = gettext_lazy(link.name)
        description = gettext_lazy(link.description)

        @classmethod
        def is_available(cls, course_key: Any) -> bool:
            return True

        @classmethod
        def is_enabled(cls, course_key: Any) -> bool:
            return True

        @classmethod
        def set_enabled(cls, course_key: Any, enabled: bool, user: Any) -> bool:
            return True  # cannot be switched off; "enable" is not an allowed operation

        @classmethod
        def get_allowed_operations(cls, course_key: Any, user: Any = None) -> dict[str, bool]:
            return {"enable": False, "configure": True}

        @staticmethod
        def legacy_link(course_key: Any) -> str:
            from django.urls import reverse

            return str(reverse(link.url_name, args=[str(course_key)]))

    XueshiCourseApp.__name__ = XueshiCourseApp.__qualname__ = f"XueshiCourseApp_{link.app_id}"
    return XueshiCourseApp
