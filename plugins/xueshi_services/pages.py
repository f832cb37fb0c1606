"""Small helpers every page of ``xueshi_services`` shares: refusals as pages, query filters, links."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xueshi_core.jsonbody import BadInput

#: Reasons shown to people for each refusal code (the code stays in the page for machines).
REASONS = {
    "missing_subject": gettext_lazy("Please write a subject."),
    "missing_body": gettext_lazy("Please write your message."),
    "invalid_stars": gettext_lazy("Choose from 1 to 5 stars."),
    "not_studied": gettext_lazy("Only learners who have studied this course can rate it."),
    "too_many_open": gettext_lazy(
        "You have many questions still waiting for an answer; please wait for them."
    ),
    "ticket_closed": gettext_lazy("This ticket is closed."),
    "invalid_transition": gettext_lazy("The ticket cannot move to that state now."),
    "no_such_ticket": gettext_lazy("There is no such ticket."),
    "no_such_rating": gettext_lazy("There is no such rating."),
    # questionnaires
    "no_such_questionnaire": gettext_lazy("There is no such questionnaire."),
    "already_answered": gettext_lazy(
        "You have already answered this questionnaire. Each learner answers once."
    ),
    "not_open": gettext_lazy("This questionnaire is closed."),
    "not_started": gettext_lazy("This questionnaire has not started yet."),
    "ended": gettext_lazy("This questionnaire has ended."),
    "real_name_required": gettext_lazy("Please complete your real-name information before answering."),
    "not_in_audience": gettext_lazy(
        "This questionnaire is for other learners (courses, regions or categories)."
    ),
    "missing_answer": gettext_lazy("Please answer every required question (marked *)."),
    "unknown_option": gettext_lazy("An answer chose an option the question does not have."),
    "unknown_question": gettext_lazy("An answer is for a question this questionnaire does not have."),
    "invalid_scale": gettext_lazy("A scale answer is outside its range."),
    "text_too_long": gettext_lazy("A text answer is longer than 2000 characters."),
    "questions_frozen": gettext_lazy(
        "People have answered: the questions and anonymity can no longer change."
    ),
    "audience_outside_scope": gettext_lazy("The audience may only include regions within your scope."),
    "not_yours": gettext_lazy("Only its author or an operator may change this questionnaire."),
}


def refuse(request: HttpRequest, exc: BadInput) -> HttpResponse:
    """The refusal as a page with its status (400, 403, 404, 409, 429), never a 500."""
    reason = str(REASONS.get(exc.code, "")) or _("The request could not be accepted: %(reason)s") % {
        "reason": exc.reason
    }
    return render(
        request, "xueshi_services/error.html", {"reason": reason, "code": exc.code}, status=exc.status
    )


def first_url(*names: str) -> str:
    """The first of ``names`` that resolves here (another app's page may not be installed)."""
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


def optional_int(raw: str | None) -> int | None:
    """A positive id from a query value, None when absent or not a number (a filter, not an error)."""
    text = (raw or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None
