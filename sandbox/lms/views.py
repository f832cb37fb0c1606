"""Pages and endpoints of the sandbox LMS, each standing in for the LMS view of the same URL."""

from __future__ import annotations

import mimetypes

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
)
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey, UsageKey
from rest_framework.exceptions import AuthenticationFailed
from xblock.core import XBlock
from xblock.django.request import django_to_webob_request, webob_to_django_response
from xblock.exceptions import NoSuchHandlerError, NoSuchViewError

from xueshi_core.coursetabs import tabs_for

from . import enrollment
from .auth import authenticate_jwt
from .enrollment_views import not_enrolled_json, not_enrolled_page
from .models import ContentBlock, CourseRun
from .outline import course_progress
from .runtime import load_block


def _usage_key(raw: str) -> UsageKey:
    try:
        return UsageKey.from_string(raw)
    except InvalidKeyError as exc:
        raise Http404(f"not a usage key: {raw}") from exc


def index(request: HttpRequest) -> HttpResponse:
    """The sandbox home: courses, logins, and where to look."""
    from xueshi_core.demo import DEMO_PASSWORD, DEMO_USERS

    return render(
        request,
        "sandbox_lms/index.html",
        {"courses": CourseRun.objects.all(), "demo_users": DEMO_USERS, "demo_password": DEMO_PASSWORD},
    )


@login_required
def course_outline(request: HttpRequest, course_key: str) -> HttpResponse:
    """A course's units (the LMS's outline, flattened) with the learner's completion and minutes.

    Learners who are not enrolled see the unit titles and the enrol button, as the LMS's course
    home shows a public outline with "Enroll now".
    """
    try:
        key = CourseKey.from_string(course_key)
    except InvalidKeyError as exc:
        raise Http404("not a course key") from exc
    course = get_object_or_404(CourseRun, course_key=key)
    # Demo units are top-level blocks (the sandbox keeps no chapter/sequential levels).
    units, completed = course_progress(request.user, course)
    context = {
        "course": course,
        "units": units,
        "completed": completed,
        "enrolled": enrollment.is_enrolled(request.user, key),
        "may_load": enrollment.may_load(request.user, key),
        "public": course.course_visibility == "public",
        "offer": _offer(request, key),
        # The course tabs our apps add (openedx.course_tab), as the learning MFE lists them (ADR 0181).
        "course_tabs": tabs_for(request.user, str(key)),
    }
    return render(request, "sandbox_lms/course.html", context)


def _offer(request: HttpRequest, key: CourseKey) -> dict | None:
    """The price and buy link of a paid run (issue 17), where a learner meets the course."""
    from django.apps import apps

    if not apps.is_installed("xueshi_payments"):
        return None
    from xueshi_payments.api import course_offer

    return course_offer(request.user, key)


def _render(request: HttpRequest, usage_key: UsageKey, view_name: str, template: str) -> HttpResponse:
    try:
        block = load_block(request.user, usage_key)
    except ContentBlock.DoesNotExist as exc:
        raise Http404("no such block") from exc
    try:
        fragment = block.runtime.render(block, view_name, {})
    except NoSuchViewError as exc:
        raise Http404(f"{usage_key.block_type} has no {view_name}") from exc
    row = ContentBlock.objects.select_related("course").get(usage_key=usage_key)
    context = {"fragment": fragment, "block": block, "row": row, "view_name": view_name}
    return render(request, template, context)


def _has_public_view(request: HttpRequest, usage_key: UsageKey) -> bool:
    """Whether the block's class defines ``public_view`` (the platform's default one says "enrol")."""
    try:
        block = load_block(request.user, usage_key)
    except ContentBlock.DoesNotExist:
        return False
    return callable(getattr(type(block), "public_view", None))


@login_required
def render_xblock(request: HttpRequest, usage_key: str) -> HttpResponse:
    """``/xblock/<usage_key>``: the LMS's chromeless student view (what the MFE and mobile apps embed).

    Like the LMS's ``render_xblock`` (``check_if_enrolled``): only enrolled learners and staff, except
    in a run whose ``course_visibility`` is ``public``: there the LMS renders the block's
    ``public_view`` to others (a block without one refuses, as ``XModuleMixin.public_view`` says
    "enrol to see this"). Previews (试听) are such views.
    """
    key = _usage_key(usage_key)
    if not enrollment.may_load(request.user, key.course_key):
        course = get_object_or_404(CourseRun, course_key=key.course_key)
        if course.course_visibility == "public" and _has_public_view(request, key):
            return _render(request, key, "public_view", "sandbox_lms/xblock.html")
        return not_enrolled_page(request, course)
    return _render(request, key, "student_view", "sandbox_lms/xblock.html")


@staff_member_required
def studio_edit(request: HttpRequest, usage_key: str) -> HttpResponse:
    """``/studio/xblock/<usage_key>``: the block's ``studio_view`` editor, as Studio shows it."""
    return _render(request, _usage_key(usage_key), "studio_view", "sandbox_lms/studio.html")


@csrf_exempt
def handler(
    request: HttpRequest,
    course_key: str,
    usage_key: str,
    handler: str,
    suffix: str = "",
    noauth: bool = False,
) -> HttpResponse:
    """Dispatch to an XBlock handler like ``handle_xblock_callback``.

    JWT callers (the mobile apps) skip CSRF; session callers must send the CSRF header;
    anonymous callers may only use ``handler_noauth`` or GET. Signed-in callers reach a block's
    handlers only when enrolled or staff (403 ``not_enrolled`` otherwise).
    """
    try:
        jwt_user = authenticate_jwt(request)
    except AuthenticationFailed as exc:
        return HttpResponse(str(exc.detail), status=401)
    if jwt_user is not None:
        request.user = jwt_user
    elif request.method not in ("GET", "HEAD", "OPTIONS"):
        rejected = CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, handler, (), {})  # type: ignore[arg-type]
        if rejected is not None:
            return rejected
    if not noauth and not request.user.is_authenticated and request.method != "GET":
        return HttpResponseForbidden("sign in first")
    key = _usage_key(usage_key)
    if str(key.course_key) != course_key:
        return HttpResponseBadRequest("block is not in this course")
    # Anonymous GETs reach the block, as the LMS allows them (transcripts; the H5 page asks to sign in).
    anonymous_get = not request.user.is_authenticated and request.method == "GET"
    if not noauth and not anonymous_get and not enrollment.may_load(request.user, key.course_key):
        return not_enrolled_json(key.course_key)
    try:
        block = load_block(request.user, key)
    except ContentBlock.DoesNotExist:
        return HttpResponseNotFound("no such block")
    # The LMS's own adapters (handle_xblock_callback): the handler sees a webob view of this Django
    # request, so a form the CSRF check already parsed is read from Django's copy, not the stream.
    try:
        response = block.runtime.handle(block, handler, django_to_webob_request(request), suffix)
    except NoSuchHandlerError:
        return HttpResponseNotFound(f"no handler {handler}")
    return webob_to_django_response(response)


def xblock_resource(request: HttpRequest, block_type: str, uri: str) -> HttpResponse:
    """``/xblock/resource/<type>/<path>``: a file from a block's ``public/`` (``open_local_resource``)."""
    try:
        block_class = XBlock.load_class(block_type)
        content = block_class.open_local_resource(uri)
    except Exception as exc:
        raise Http404("no such resource") from exc
    mimetype, _ = mimetypes.guess_type(uri)
    response = HttpResponse(content.read(), content_type=mimetype or "application/octet-stream")
    response["Cache-Control"] = "no-cache" if settings.DEBUG else "public, max-age=3600"
    return response
