"""Notifications are recorded with the caller's transaction and sent once on each chosen channel.

SMS goes through the providers' official SDKs to the sandboxes, which check the signatures as the
real services do; mail lands in Django's outbox; WeChat through the official account's API.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from xueshi_core.models import PersonalDataView
from xueshi_notify import api, sending, tasks
from xueshi_notify.models import Delivery, Notification
from xueshi_notify.preferences import save_choices

PAID = {"name": "王学员", "order_no": "XO2026120400001", "amount": "300.00"}


def _states(notification: Notification) -> dict[str, str]:
    return dict(notification.deliveries.values_list("channel", "state"))


@pytest.mark.django_db(transaction=True)
def test_sent_once_by_sms_mail_and_wechat_when_chosen(learner, aliyun_sms, wechat) -> None:
    server, _options = aliyun_sms
    api.bind_wechat(learner, "o" + "x" * 27)
    with transaction.atomic():
        note = api.notify(learner, "payment_paid", PAID, dedupe_key="order_paid:XO2026120400001")
        assert not mail.outbox and not server.inbox.messages  # nothing leaves before commit
    assert _states(note) == {"email": "sent", "sms": "sent", "wechat": "sent"}
    # SMS: signed with ACS3 and accepted by the sandbox; our reference and their BizId recorded.
    [sms] = server.inbox.messages
    assert sms["phone"] == "13900000771" and sms["template"] == "SMS_480000001"
    assert json.loads(sms["params"]) == PAID
    row = note.deliveries.get(channel="sms")
    assert row.provider == "aliyun" and row.provider_message_id == sms["message_id"]
    assert sms["reference"] == f"xn{row.pk}" and row.address_masked == "139****0771"
    # The phone was decrypted to send, and that view is in the personal-data audit.
    assert PersonalDataView.objects.filter(subject_user_id=learner.pk, purpose="notification SMS").exists()
    # Mail in the learner's language (zh_CN by default), with the recorded Message-ID.
    [message] = mail.outbox
    assert message.to == [learner.email] and message.subject == "订单XO2026120400001已支付成功"
    assert "已收到付款300.00元" in message.body
    assert note.deliveries.get(channel="email").provider_message_id == message.extra_headers["Message-ID"]
    # WeChat: the template's fields filled from the values.
    [sent] = wechat.messages
    assert sent["template_id"] == "tpl-paid" and sent["data"]["amount2"] == {"value": "300.00"}
    # The same fact again (a replayed signal): no new notification, nothing sent twice.
    again = api.notify(learner, "payment_paid", PAID, dedupe_key="order_paid:XO2026120400001")
    tasks.sweep()
    assert again.pk == note.pk and Notification.objects.count() == 1
    assert len(server.inbox.messages) == 1 and len(mail.outbox) == 1 and len(wechat.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_rolled_back_caller_records_and_sends_nothing(learner, aliyun_sms) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        api.notify(learner, "payment_paid", PAID, dedupe_key="order_paid:rolled")
        raise RuntimeError("the caller's transaction fails")
    assert not Notification.objects.exists() and not mail.outbox and not aliyun_sms[0].inbox.messages


@pytest.mark.django_db(transaction=True)
def test_preferences_are_honoured_and_unreachable_channels_are_skipped(learner, tencent_sms) -> None:
    server, _options = tencent_sms
    save_choices(learner, {"certificate_issued": ["sms", "wechat"]})
    note = api.notify(learner, "certificate_issued", {"name": "王", "serial": "XC1"}, dedupe_key="cert:XC1")
    assert _states(note) == {"sms": "sent", "wechat": "skipped"}  # no email: not chosen
    assert note.deliveries.get(channel="wechat").last_error == "WeChat not bound"
    assert not mail.outbox
    [sms] = server.inbox.messages  # Tencent: TC3-signed, E.164 number, ordered values
    assert sms["phone"] == "+8613900000771" and json.loads(sms["params"]) == ["王", "XC1"]
    assert note.deliveries.get(channel="sms").provider_message_id == sms["message_id"]


@pytest.mark.django_db(transaction=True)
def test_transient_failure_is_retried_then_given_up_with_the_reason(learner, aliyun_sms) -> None:
    server, _options = aliyun_sms
    save_choices(learner, {"payment_paid": ["sms"]})
    server.inbox.fail_next("isv.BUSINESS_LIMIT_CONTROL", times=1)
    note = api.notify(learner, "payment_paid", PAID, dedupe_key="order_paid:retry")
    row = note.deliveries.get()
    assert row.state == "queued" and row.attempts == 1 and "BUSINESS_LIMIT_CONTROL" in row.last_error
    assert tasks.sweep() == 1  # the next try (delay 0) sends it
    row.refresh_from_db()
    assert row.state == "sent" and row.attempts == 2 and len(server.inbox.messages) == 1

    server.inbox.fail_next("isp.SYSTEM_ERROR", times=5)
    note = api.notify(learner, "payment_paid", PAID, dedupe_key="order_paid:giveup")
    tasks.sweep()
    tasks.sweep()
    row = note.deliveries.get()
    assert row.state == "failed" and row.attempts == 3
    assert row.last_error.startswith("gave up after 3 tries: isp.SYSTEM_ERROR")
    tasks.sweep()
    assert Delivery.objects.get(pk=row.pk).attempts == 3  # given up: no more tries


@pytest.mark.django_db(transaction=True)
def test_permanent_failure_and_a_bad_signature_give_up_at_once(learner, aliyun_sms, settings) -> None:
    server, options = aliyun_sms
    save_choices(learner, {"payment_paid": ["sms"]})
    settings.XUESHI_NOTIFY_SMS = {**options, "ACCESS_KEY_SECRET": "not-the-secret"}
    note = api.notify(learner, "payment_paid", PAID, dedupe_key="order_paid:badsig")
    row = note.deliveries.get()
    assert row.state == "failed" and row.attempts == 1 and "SignatureDoesNotMatch" in row.last_error
    assert server.inbox.refused and not server.inbox.messages


@pytest.mark.django_db(transaction=True)
def test_a_sender_that_died_mid_send_is_never_resent_by_itself(learner, aliyun_sms) -> None:
    server, _options = aliyun_sms
    save_choices(learner, {"payment_paid": ["sms"]})
    note = api.notify(learner, "payment_paid", PAID, dedupe_key="order_paid:died")
    row = note.deliveries.get()
    # As a worker killed after claiming leaves it (the task's enqueue ran eagerly, so undo that send):
    Delivery.objects.filter(pk=row.pk).update(
        state="sending", sending_since=timezone.now() - timedelta(hours=1), provider_message_id=""
    )
    server.inbox.messages.clear()
    assert sending.deliver(row.pk) == "sending"  # the redelivered task message finds nothing to claim
    tasks.sweep()
    row.refresh_from_db()
    assert row.state == "unconfirmed" and "not resent" in row.last_error and not server.inbox.messages
    assert sending.resend(row.pk) and sending.deliver(row.pk) == "sent"  # an operator's decision
    assert len(server.inbox.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_english_learners_get_english_text(learner) -> None:
    api.notify(learner, "payment_paid", PAID, dedupe_key="order_paid:en", language="en")
    assert mail.outbox[0].subject == "Payment received for order XO2026120400001"


@pytest.mark.django_db
def test_bad_input_is_refused_before_anything_is_recorded(learner) -> None:
    for kind, context, key in (
        ("no_such_kind", PAID, "k1"),
        ("payment_paid", {"name": "王"}, "k2"),
        ("payment_paid", {**PAID, "amount": ["300"]}, "k3"),
        ("payment_paid", PAID, ""),
        ("payment_paid", PAID, "k" * 151),
    ):
        with pytest.raises(api.BadContext):
            api.notify(learner, kind, context, dedupe_key=key)
    assert not Notification.objects.exists()
