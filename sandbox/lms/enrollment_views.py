"""Enrolling and the enrolment gate, at the LMS's own URL and with its answers.

``POST /change_enrollment`` (``course_id``, ``enrollment_action`` = ``enroll`` | ``unenroll``) is
``common/djangoapps/student/views/management.py`` ``change_enrollment``: CSRF-protected, 403 for
anonymous callers, 400 with a reason for a bad course or action or a refusing filter step. The LMS
answers the page's AJAX call with 200; the sandbox's course page posts a plain form, so a success
redirects back to it (or to a same-site ``next``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from . import enrollment
from .models import CourseRun

ACTIONS = ("enroll", "unenroll")


def _course(raw: str) -> CourseRun | None:
    try:
        key = CourseKey.from_string(raw)
    except InvalidKeyError:
        return None
    return CourseRun.objects.filter(course_key=key).first()


def _next(request: HttpRequest, course: CourseRun) -> str:
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return wanted
    return f"/courses/{course.course_key}/"


@require_POST
def change_enrollment(request: HttpRequest) -> HttpResponse:
    """Enrol in or leave a course (form fields ``course_id``, ``enrollment_action``, optional ``next``)."""
    if not request.user.is_authenticated:
        return HttpResponseForbidden(_("Sign in first."))
    action = request.POST.get("enrollment_action", "")
    if action not in ACTIONS:
        return HttpResponseBadRequest(_("The enrollment action must be enroll or unenroll."))
    course = _course(request.POST.get("course_id", ""))
    if course is None:
        return HttpResponseBadRequest(_("There is no such course."))
    enrolled = enrollment.is_enrolled(request.user, course.course_key)
    try:
        if action == "enroll" and not enrolled:
            enrollment.enroll(request.user, course.course_key)
            messages.success(
                request,
                _("You are enrolled in %(title)s. You can start studying now.") % {"title": course.title},
            )
        elif action == "unenroll":
            if not enrolled:
                return HttpResponseBadRequest(_("You are not enrolled in this course."))
            enrollment.unenroll(request.user, course.course_key)
            messages.info(request, _("You have left %(title)s.") % {"title": course.title})
    except enrollment.CourseEnrollmentException as exc:
        return HttpResponseBadRequest(str(exc) or _("Enrollment in this course is not possible."))
    return redirect(_next(request, course))


def not_enrolled_message() -> str:
    """What a learner who is not enrolled reads (the LMS's "You are not enrolled in this course")."""
    return _("You are not enrolled in this course. Enrol on the course page to study it.")


def not_enrolled_page(request: HttpRequest, course: CourseRun) -> HttpResponse:
    """403 page in place of a unit: the reason and the enrol button, which comes back to the unit."""
    context: dict[str, Any] = {"course": course, "message": not_enrolled_message(), "next": request.path}
    return render(request, "sandbox_lms/not_enrolled.html", context, status=403)


def not_enrolled_json(course_key: Any) -> JsonResponse:
    """403 for a handler call, shaped like our blocks' errors so the player shows the message."""
    body = {
        "error": "not_enrolled",
        "message": not_enrolled_message(),
        "enrol_url": f"/courses/{course_key}/",
    }
    return JsonResponse(body, status=403, json_dumps_params={"ensure_ascii": False})
