"""Provider answers become the right outcome: a wrong Tencent key, a stale WeChat token, a refusal."""

from __future__ import annotations

import pytest

from xueshi_notify import api
from xueshi_notify.preferences import save_choices

CERT = {"name": "王学员", "serial": "XC2026000009"}
PAID = {"name": "王学员", "order_no": "XO2026120400031", "amount": "88.00"}


@pytest.mark.django_db(transaction=True)
def test_tencent_refuses_a_wrong_key_and_we_give_up_at_once(learner, tencent_sms, settings) -> None:
    server, options = tencent_sms
    settings.XUESHI_NOTIFY_SMS = {**options, "SECRET_KEY": "not-the-key"}
    save_choices(learner, {"certificate_issued": ["sms"]})
    row = api.notify(learner, "certificate_issued", CERT, dedupe_key="cert:badkey").deliveries.get()
    assert row.state == "failed" and row.attempts == 1
    assert row.last_error.startswith("AuthFailure.SignatureFailure")
    assert server.inbox.refused and not server.inbox.messages


@pytest.mark.django_db(transaction=True)
def test_wechat_token_shared_refreshed_when_stale_and_a_refusal_is_final(learner, wechat) -> None:
    api.bind_wechat(learner, "o" + "w" * 27)
    save_choices(learner, {"payment_paid": ["wechat"], "certificate_issued": ["wechat"]})
    first = api.notify(learner, "payment_paid", PAID, dedupe_key="order_paid:wx1").deliveries.get()
    assert first.state == "sent" and wechat.token_requests == 1
    # Another system fetched a token for the same account: ours is no longer the latest (40001).
    wechat.handle("GET", "/cgi-bin/token", {"grant_type": "client_credential", "appid": wechat.appid,
                                             "secret": wechat.secret}, {})  # fmt: skip
    second = api.notify(learner, "certificate_issued", CERT, dedupe_key="cert:wx2").deliveries.get()
    assert second.state == "sent" and wechat.token_requests == 3  # refreshed once, then sent
    assert [m["template_id"] for m in wechat.messages] == ["tpl-paid", "tpl-cert"]
    wechat.refusing.add("o" + "w" * 27)  # the learner no longer accepts the template
    third = api.notify(learner, "payment_paid", {**PAID, "order_no": "XO3"}, dedupe_key="order_paid:wx3")
    row = third.deliveries.get()
    assert row.state == "failed" and row.last_error.startswith("43101")
