"""Staff pages: the ticket desk (overdue first), answering, complaint counts per period, rating moderation.

Every view is gated by one ``xueshi_core.permissions`` action (``@requires``) and lives under
``staff/``, so the permission test that walks staff routes covers each new one.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xueshi_core import params
from xueshi_core.days import china_day
from xueshi_core.guards import requires
from xueshi_core.jsonbody import BadInput
from xueshi_core.permissions import ANSWER_TICKETS, MANAGE_PORTAL, MODERATE_RATINGS

from . import api, ratings, tickets
from .models import CourseRating, Ticket
from .pages import optional_int, refuse

PERIODS = ("month", "quarter", "year")


@requires(ANSWER_TICKETS)
@require_GET
def ticket_desk(request: HttpRequest) -> HttpResponse:
    """Tickets waiting for staff first, overdue ones on top and highlighted; filter by kind and state."""
    now = timezone.now()
    kind = request.GET.get("kind", "")
    state = request.GET.get("state", "")
    rows = Ticket.objects.select_related("user")
    if kind in Ticket.KINDS:
        rows = rows.filter(kind=kind)
    if state in Ticket.STATES:
        rows = rows.filter(state=state)
    waiting = Q(state__in=Ticket.WAITING_FOR_STAFF)
    rows = rows.annotate(
        rank=Case(
            When(waiting & Q(due_at__lt=now), then=Value(0)),
            When(waiting, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("rank", "due_at", "-created_at")
    page = Paginator(rows, 50).get_page(optional_int(request.GET.get("page")) or 1)
    overdue = Ticket.objects.filter(waiting, due_at__lt=now).count()
    context = {
        "page": page,
        "kind": kind,
        "state": state,
        "overdue": overdue,
        "now": now,
        "kinds": Ticket.KINDS,
    }
    context["states"] = Ticket.STATES
    return render(request, "xueshi_services/staff_tickets.html", context)


@requires(ANSWER_TICKETS)
@require_http_methods(["GET", "POST"])
def ticket_detail(request: HttpRequest, serial: str) -> HttpResponse:
    """A ticket's messages; POST answers it (optionally moving it) or only moves it."""
    row = Ticket.objects.select_related("user").filter(serial=serial[:20]).first()
    if row is None:
        return refuse(request, BadInput("no_such_ticket", "there is no such ticket", status=404))
    if request.method == "POST":
        new_state = request.POST.get("state", "")
        try:
            if request.POST.get("body", "").strip():
                tickets.staff_reply(row.serial, request.user, request.POST.get("body"), new_state)
            else:
                tickets.move(row.serial, new_state)
        except BadInput as exc:
            return refuse(request, exc)
        return redirect("xueshi_services:staff-ticket", serial=row.serial)
    moves = sorted(tickets.TRANSITIONS[row.kind].get(row.state, frozenset()))
    context = {
        "ticket": row,
        "messages_": row.messages.select_related("author"),
        "overdue": tickets.is_overdue(row),
        "moves": [(s, Ticket.STATES[s]) for s in moves],
    }
    return render(request, "xueshi_services/staff_ticket.html", context)


def _periods(kind: str, year: int) -> list[tuple[str, object]]:
    if kind == "year":
        return [(str(year), api.ticket_counts(Ticket.COMPLAINT, date(year, 1, 1), date(year, 12, 31)))]
    rows = []
    step = 3 if kind == "quarter" else 1
    for first in range(1, 13, step):
        start = date(year, first, 1)
        following = date(year + 1, 1, 1) if first + step > 12 else date(year, first + step, 1)
        label = f"{year} Q{(first - 1) // 3 + 1}" if kind == "quarter" else f"{year}-{first:02d}"
        rows.append((label, api.ticket_counts(Ticket.COMPLAINT, start, following - timedelta(days=1))))
    return rows


@requires(ANSWER_TICKETS)
@require_GET
def complaint_counts(request: HttpRequest) -> HttpResponse:
    """Complaints per month, quarter or year, by state (需求 002: 投诉处理统计, for the yearly review)."""
    this_year = china_day(timezone.now()).year
    year = params.bounded_int(request.GET.get("year", this_year), "year", low=2000, high=2099)
    period = request.GET.get("period", "month")
    if period not in PERIODS:
        raise BadInput("invalid_period", "period must be month, quarter or year")
    complaint_states = [(s, Ticket.STATES[s]) for s in tickets.TRANSITIONS[Ticket.COMPLAINT]]
    context = {"rows": _periods(period, year), "year": year, "period": period, "states": complaint_states}
    return render(request, "xueshi_services/staff_counts.html", context)


@requires(MODERATE_RATINGS)
@require_GET
def rating_list(request: HttpRequest) -> HttpResponse:
    """Ratings newest first; filter by state or course; lowest stars are where trouble shows."""
    rows = CourseRating.objects.select_related("user", "moderated_by").order_by("-updated_at")
    state = request.GET.get("state", "")
    if state in CourseRating.STATES:
        rows = rows.filter(state=state)
    course = params.query_text(request.GET, "course", max_length=255).strip()
    if course:
        rows = rows.filter(course_key=course)
    page = Paginator(rows, 50).get_page(optional_int(request.GET.get("page")) or 1)
    context = {"page": page, "state": state, "course": course, "states": CourseRating.STATES}
    return render(request, "xueshi_services/staff_ratings.html", context)


@requires(MODERATE_RATINGS)
@require_POST
def rating_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    """Hide or restore one rating, with a note."""
    try:
        ratings.moderate(pk, request.user, request.POST.get("state", ""), request.POST.get("note", ""))
    except BadInput as exc:
        return refuse(request, exc)
    return redirect("xueshi_services:staff-ratings")


@requires(MANAGE_PORTAL)
@require_GET
def portal_content(request: HttpRequest) -> HttpResponse:
    """Where operators edit the portal: links to each kind of content in the admin, and the live page."""
    from .admin import EDITABLE

    return render(request, "xueshi_services/staff_portal.html", {"sections": EDITABLE})
