"""Retiring a learner erases what they wrote and keeps what is counted (stars, ticket states)."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from xueshi_services import api
from xueshi_services.models import CourseRating, Ticket, TicketMessage
from xueshi_services.tickets import open_ticket, staff_reply

from ..permkit import signed_in
from .conftest import COURSE

pytestmark = pytest.mark.django_db(transaction=True)


def test_retirement_erases_comments_and_ticket_texts_and_keeps_the_figures(
    studied: User, operator: User
) -> None:
    assert (
        signed_in(studied)
        .post(f"/xueshi/services/courses/{COURSE}/rate/", {"stars": 4, "comment": "我叫李雷"})
        .status_code
        == 302
    )
    ticket = open_ticket(studied, "complaint", "李雷的投诉", "我的电话是13912345678")
    staff_reply(ticket.serial, operator, "李雷您好，已处理。", "resolved")
    call_command("retire_user", studied.username, stdout=open(os.devnull, "w"))  # noqa: SIM115
    # the platform's driver retries: nothing changes twice
    call_command("retire_user", "--user-id", str(studied.pk), stdout=open(os.devnull, "w"))  # noqa: SIM115
    texts = [CourseRating.objects.get().comment, Ticket.objects.get().subject]
    texts += list(TicketMessage.objects.values_list("body", flat=True))
    assert not [t for t in texts if "李雷" in t or "1391234" in t]
    assert api.rating_stats(COURSE).count == 1 and api.rating_stats(COURSE).average == 4.0
    assert Ticket.objects.get().state == "resolved"
