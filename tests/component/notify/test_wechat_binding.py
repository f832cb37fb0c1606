"""WeChat binding (ADR 0341): the openid comes from the OAuth sandbox's flow, is stored encrypted,
addresses subscription messages, and is gone after unbinding; a replayed return is refused."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from django.db import connection
from django.urls import reverse

from sandbox.wechat_oauth.server import COOKIE
from tests.component.permkit import signed_in
from xueshi_notify import api
from xueshi_notify.models import WechatBinding
from xueshi_notify.preferences import save_choices

PAID = {"name": "王学员", "order_no": "XO2026120500001", "amount": "30.00"}


@pytest.mark.django_db(transaction=True)
def test_binding_through_wechat_oauth_saves_the_openid_encrypted_and_unbinding_clears_it(
    learner, wechat, settings
) -> None:
    base = settings.XUESHI_NOTIFY_WECHAT["BASE_URL"]
    settings.XUESHI_NOTIFY_WECHAT = {
        **settings.XUESHI_NOTIFY_WECHAT,
        "OAUTH_AUTHORIZE_URL": base + "/connect/oauth2/authorize",
    }
    client = signed_in(learner)
    to_wechat = client.get(reverse("xueshi_notify:wechat-bind"), HTTP_HOST="127.0.0.1")
    assert to_wechat.status_code == 302 and "scope=snsapi_base" in to_wechat["Location"]
    # The learner's WeChat (the sandbox, as its cookie names them) authorises and sends them back.
    back = requests.get(
        to_wechat["Location"], cookies={COOKIE: "wx-user-1"}, allow_redirects=False, timeout=5
    )
    returned = urlsplit(back.headers["Location"])
    done = client.get(f"{returned.path}?{returned.query}", HTTP_HOST="127.0.0.1")
    assert done.status_code == 302 and done["Location"] == reverse("xueshi_notify:preferences")

    openid = wechat.openid_of("wx-user-1")
    binding = WechatBinding.objects.get(user=learner)
    assert binding.openid.reveal() == openid and binding.appid == wechat.appid
    with connection.cursor() as cursor:  # at rest: ciphertext, never the openid
        cursor.execute("SELECT openid FROM xueshi_notify_wechatbinding WHERE id = %s", [binding.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("xs1.") and openid not in stored
    page = client.get(reverse("xueshi_notify:preferences")).content.decode()
    assert openid[:4] + "****" in page and openid not in page and "ntf-wechat-unbind" in page

    save_choices(learner, {"payment_paid": ["wechat"]})
    api.notify(learner, "payment_paid", PAID, dedupe_key="order_paid:XO2026120500001")
    assert [m["touser"] for m in wechat.messages] == [openid]

    replay = client.get(f"{returned.path}?{returned.query}", HTTP_HOST="127.0.0.1")  # state used up
    assert replay.status_code == 400
    assert client.post(reverse("xueshi_notify:wechat-unbind")).status_code == 302
    assert not WechatBinding.objects.filter(user=learner).exists()
    later = api.notify(learner, "payment_paid", {**PAID, "order_no": "XO2"}, dedupe_key="order_paid:XO2")
    assert later.deliveries.get().state == "skipped" and len(wechat.messages) == 1
