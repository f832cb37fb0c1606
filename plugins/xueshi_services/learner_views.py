"""Signed-in learner pages: My study, a course's ratings (and the learner's own), questions and complaints."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xueshi_core import params
from xueshi_core.jsonbody import BadInput

from . import courses, mystudy, ratings, tickets
from .models import CourseRating, Ticket
from .pages import first_url, refuse


@login_required
@require_GET
def my_study(request: HttpRequest) -> HttpResponse:
    """我的学习: completed and unfinished courses, progress, scores, minutes per day and week, hours."""
    page = mystudy.my_study(request.user)
    peak = max([m for _d, m in page.days] + [m for _w, m in page.weeks] + [1])
    context = {
        "page": page,
        "peak": peak,
        "archive_url": first_url("xueshi_hours:archive"),
        "hours_url": first_url("xueshi_hours:mine"),
        "certificates_url": first_url("xueshi_certificates:mine"),
    }
    return render(request, "xueshi_services/my_study.html", context)


@require_GET
def course_ratings(request: HttpRequest, course_key: str) -> HttpResponse:
    """A course's published ratings and distribution; the learner's own rating form when allowed."""
    key = str(params.course_key(course_key, "course_key"))
    title = dict(courses.named([key]))[key]
    mine = None
    if request.user.is_authenticated:
        mine = CourseRating.objects.filter(user=request.user, course_key=key).first()
    context = {
        "key": key,
        "title": title,
        "card": courses.cards([(key, title)])[0],
        "ratings": CourseRating.objects.filter(course_key=key, state=CourseRating.PUBLISHED)
        .select_related("user")
        .order_by("-updated_at")[:100],
        "mine": mine,
        "may_rate": ratings.may_rate(request.user, key),
    }
    return render(request, "xueshi_services/course_ratings.html", context)


@login_required
@require_POST
def rate(request: HttpRequest, course_key: str) -> HttpResponse:
    """Save (create or edit) the learner's stars and comment for the course."""
    try:
        key = str(params.course_key(course_key, "course_key"))
        ratings.save_rating(request.user, key, request.POST.get("stars"), request.POST.get("comment", ""))
    except BadInput as exc:
        return refuse(request, exc)
    return redirect("xueshi_services:course-ratings", course_key=key)


@login_required
@require_http_methods(["GET", "POST"])
def help_desk(request: HttpRequest) -> HttpResponse:
    """The learner's questions and complaints, and the form to ask or complain."""
    if request.method == "POST":
        try:
            raw_course = request.POST.get("course_key", "").strip()
            course = str(params.course_key(raw_course, "course_key")) if raw_course else ""
            ticket = tickets.open_ticket(
                request.user,
                request.POST.get("kind", ""),
                request.POST.get("subject"),
                request.POST.get("body"),
                course,
            )
        except BadInput as exc:
            return refuse(request, exc)
        return redirect("xueshi_services:ticket", serial=ticket.serial)
    from xueshi_core import compat as core_compat

    context = {
        "tickets": Ticket.objects.filter(user=request.user).order_by("-created_at")[:100],
        "kind": request.GET.get("kind", Ticket.QUESTION),
        "course_key": params.query_text(request.GET, "course", max_length=255),
        "my_courses": core_compat.enrollments_of(request.user),
    }
    return render(request, "xueshi_services/help.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def ticket(request: HttpRequest, serial: str) -> HttpResponse:
    """One of the learner's tickets with its messages; POST adds a follow-up or closes it."""
    row = Ticket.objects.filter(serial=serial[:20], user=request.user).first()
    if row is None:
        return refuse(request, BadInput("no_such_ticket", "there is no such ticket", status=404))
    if request.method == "POST":
        try:
            if request.POST.get("action") == "close":
                tickets.learner_close(row.serial, request.user)
            else:
                tickets.learner_reply(row.serial, request.user, request.POST.get("body"))
        except BadInput as exc:
            return refuse(request, exc)
        return redirect("xueshi_services:ticket", serial=row.serial)
    context = {"ticket": row, "messages_": row.messages.all(), "overdue": tickets.is_overdue(row)}
    return render(request, "xueshi_services/ticket.html", context)
