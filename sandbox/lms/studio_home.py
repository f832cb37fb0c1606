"""``/studio/``: the sandbox's stand-in for Studio's course list, where authors find each unit's editor.

Studio itself is another service (``CMS_BASE``) under Tutor; the sandbox edits blocks in place
(``views.studio_edit``), and this page lists them so the header's "Studio" entry leads somewhere.
Each course also shows the cards our apps add to Studio's *Pages & Resources*
(``openedx.course_app``, ADR 0181).
"""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xueshi_core.coursetabs import apps_for

from .models import CourseRun


@staff_member_required
def studio_home(request: HttpRequest) -> HttpResponse:
    """Every course run with its units and their editors (staff only, like ``studio_edit``)."""
    courses = [
        (course, course.blocks.order_by("position"), apps_for(str(course.course_key)))
        for course in CourseRun.objects.all()
    ]
    return render(request, "sandbox_lms/studio_home.html", {"courses": courses})
