"""Facts from other apps become notifications once: payments, invoices, certificates, unmet hours."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail

from xueshi_certificates.signals import CERTIFICATE_ISSUED
from xueshi_hours import api as hours_api
from xueshi_invoices.signals import INVOICE_ISSUED, InvoiceIssued
from xueshi_notify import reminders
from xueshi_notify.models import Notification
from xueshi_payments.signals import ORDER_PAID, OrderPaid


@pytest.mark.django_db(transaction=True)
def test_signals_of_payments_invoices_and_certificates_notify_once(learner) -> None:
    for _ in range(2):  # each fact told twice
        ORDER_PAID.send(sender=None, event=OrderPaid("XO2026120400077", learner.pk, 30050))
        INVOICE_ISSUED.send(sender=None, event=InvoiceIssued("26350000000000000001", "XI01", learner.pk))
        CERTIFICATE_ISSUED.send(sender=None, serial="XC2026000001", user_id=learner.pk)
    kinds = sorted(Notification.objects.filter(user=learner).values_list("kind", flat=True))
    assert kinds == ["certificate_issued", "invoice_issued", "payment_paid"]
    paid = Notification.objects.get(kind="payment_paid")
    assert paid.context["amount"] == "300.50" and paid.context["name"] == "王学员"
    assert len(mail.outbox) == 3  # SMS and WeChat are not configured here: skipped, with the reason
    assert set(paid.deliveries.values_list("channel", "state")) == {
        ("email", "sent"),
        ("sms", "skipped"),
        ("wechat", "skipped"),
    }


def _account(user_id: int, end: date, met: bool) -> hours_api.HourAccount:
    return hours_api.HourAccount(
        user_id=user_id,
        period_label="2026",
        period_start=date(end.year, 1, 1),
        period_end=end,
        rule_id="fj-2026",
        rule_version=1,
        rule_title="福建省专业技术人员继续教育",
        unit="学时",
        required_total=Decimal("90"),
        required_by_category={},
        earned_total=Decimal("42.5"),
        earned_by_category={},
        met=met,
        missing=(),
        lines=(),
    )


@pytest.mark.django_db(transaction=True)
def test_hours_reminders_go_once_per_reminder_day(learner, monkeypatch, settings) -> None:
    settings.XUESHI_NOTIFY_HOURS_REMINDER_DAYS = [30, 7]
    today = date(2026, 12, 5)
    end = {"day": today + timedelta(days=26)}
    met = {"value": False}
    monkeypatch.setattr(
        hours_api, "hour_account", lambda uid, year=None: _account(uid, end["day"], met["value"])
    )
    reminders.run(today)
    reminders.run(today)  # the beat ran twice
    [note] = Notification.objects.filter(kind="hours_reminder")
    assert note.context["earned"] == "42.5" and note.context["days"] == "26"
    assert "26" in mail.outbox[0].subject
    end["day"] = today + timedelta(days=6)  # the next reminder day
    reminders.run(today)
    assert Notification.objects.filter(kind="hours_reminder").count() == 2
    met["value"] = True
    end["day"] = today + timedelta(days=1)
    reminders.run(today)
    assert Notification.objects.filter(kind="hours_reminder").count() == 2  # met: no reminder


@pytest.mark.django_db(transaction=True)
def test_a_staff_answer_to_a_question_notifies_the_asker_once_per_answer(learner) -> None:
    from django.contrib.auth import get_user_model

    from xueshi_services import tickets
    from xueshi_services.signals import TICKET_ANSWERED

    staff = get_user_model().objects.create(username="ntf_desk", is_staff=True)
    ticket = tickets.open_ticket(learner, "question", "继续教育学时如何计算？", "请问视频学习怎么折算学时？")
    tickets.staff_reply(ticket.serial, staff, "每 45 分钟折算 1 学时。")
    (note,) = Notification.objects.filter(user=learner, kind="question_answered")
    assert note.context["title"] == "继续教育学时如何计算？"
    assert note.dedupe_key.startswith("ticket_answered:")
    # The same answer told again (a replayed signal) sends nothing new; a second answer does.
    message_id = int(note.dedupe_key.split(":")[1])
    event = type("Answer", (), {"user_id": learner.pk, "subject": "x", "serial": ticket.serial,
                                "message_id": message_id})  # fmt: skip
    TICKET_ANSWERED.send(sender=None, event=event)
    assert Notification.objects.filter(user=learner, kind="question_answered").count() == 1
    tickets.staff_reply(ticket.serial, staff, "另外，线下培训需经审核。")
    assert Notification.objects.filter(user=learner, kind="question_answered").count() == 2
    assert any("继续教育学时如何计算" in m.subject + m.body for m in mail.outbox)
