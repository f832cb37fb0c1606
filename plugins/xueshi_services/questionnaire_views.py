"""The learner's questionnaire page, opened from the QR code or short link (``q/<slug>/``), phone first.

Signing in is required (real-name: the answer counts once per learner); a second visit after
answering is refused with the reason, as is any answer the rules refuse (``questionnaire_answers``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from xueshi_core.jsonbody import BadInput

from . import questionnaire_answers as answering
from .pages import refuse


@login_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, slug: str) -> HttpResponse:
    """The questionnaire form; POST records the learner's one answer and shows the thanks page."""
    try:
        row = answering.find(slug)
        if answering.has_answered(row, request.user):
            raise BadInput("already_answered", "you have already answered this questionnaire", 409)
        if request.method == "POST":
            answering.submit(row, request.user, answering.answers_from_form(row, request.POST))
            return redirect("xueshi_services:questionnaire-thanks", slug=row.slug)
        answering.check_audience(row, request.user)
        answering.check_open(row)
    except BadInput as exc:
        return refuse(request, exc)
    questions = row.questions.prefetch_related("options")
    return render(request, "xueshi_services/questionnaire_answer.html", {"q": row, "questions": questions})


@login_required
@require_GET
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    """After answering: thanks (and nothing of the answers, which may be anonymous)."""
    try:
        row = answering.find(slug)
    except BadInput as exc:
        return refuse(request, exc)
    return render(request, "xueshi_services/questionnaire_thanks.html", {"q": row})
