"""The learner's choices page and the operator's send log: masked, filtered, refusing bad input."""

from __future__ import annotations

import pytest

from tests.component.permkit import account, signed_in
from xueshi_core import roles
from xueshi_notify import api
from xueshi_notify.models import Delivery, Preference

PAID = {"name": "王学员", "order_no": "XO2026120400001", "amount": "300.00"}


@pytest.mark.django_db
def test_learner_chooses_channels_and_bad_choices_change_nothing(learner) -> None:
    client = signed_in(learner)
    page = client.get("/xueshi/notify/preferences/", HTTP_ACCEPT_LANGUAGE="zh-cn")
    assert page.status_code == 200
    text = page.content.decode()
    assert "年度学时未达标提醒" in text and "Reminders of" not in text
    assert "139****0771" in text and "13900000771" not in text  # the phone, masked
    answer = client.post(
        "/xueshi/notify/preferences/", {"payment_paid:sms": "on", "hours_reminder:email": "on"}
    )
    assert answer.status_code == 302
    assert Preference.objects.get(user=learner, kind="payment_paid").channels == "sms"
    assert Preference.objects.get(user=learner, kind="certificate_issued").channels == ""
    bad = client.post("/xueshi/notify/preferences/", {"payment_paid:fax": "on", "hours_reminder:sms": "on"})
    assert bad.status_code == 400 and "payment_paid:fax" in bad.content.decode()
    assert Preference.objects.get(user=learner, kind="hours_reminder").channels == "email"  # unchanged
    note = api.notify(learner, "payment_paid", PAID, dedupe_key="order_paid:pref")
    assert list(note.deliveries.values_list("channel", flat=True)) == ["sms"]


@pytest.mark.django_db(transaction=True)
def test_send_log_is_masked_filtered_and_for_operators_only(learner, aliyun_sms) -> None:
    api.notify(learner, "payment_paid", PAID, dedupe_key="order_paid:log")
    operator = account("ntf_operator", roles.OPERATOR)
    client = signed_in(operator)
    page = client.get("/xueshi/notify/manage/log/", {"channel": "sms", "state": "sent"})
    text = page.content.decode()
    assert page.status_code == 200 and "139****0771" in text and "13900000771" not in text
    assert text.count("data-delivery=") == 1
    assert client.get("/xueshi/notify/manage/log/", {"state": "lost"}).status_code == 400
    assert signed_in(learner).get("/xueshi/notify/manage/log/").status_code == 403
    sent = Delivery.objects.get(channel="sms")
    assert client.post(f"/xueshi/notify/manage/log/{sent.pk}/resend/").status_code == 409  # sent: not again
    assert client.post("/xueshi/notify/manage/log/999999/resend/").status_code == 404
