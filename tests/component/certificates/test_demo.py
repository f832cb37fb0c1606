"""``make sandbox`` shows a certificate: zhangsan holds last year's, issued from his real hour account."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from xueshi_certificates.models import Certificate
from xueshi_hours import api as hours

pytestmark = pytest.mark.django_db


def test_zhangsan_holds_last_years_certificate(seeded_demo: dict[str, Any]) -> None:
    cert = Certificate.objects.get(user__username="zhangsan")
    account = hours.hour_account(cert.user_id, cert.period_year)
    assert account.met and cert.snapshot["total"] == "94" and cert.rule_id == "cn-zj-2015"
    call_command("seed_sandbox", stdout=open(os.devnull, "w"))  # noqa: SIM115 — a second seeding
    assert Certificate.objects.count() == 1
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-cn")
    assert client.login(username="zhangsan", password=seeded_demo["password"])
    page = client.get("/xueshi/certificates/").content.decode()
    verify = f"/xueshi/certificates/verify/{cert.serial}/{cert.check_code}/"
    assert cert.serial in page and verify in page
    public = Client().get(verify)
    assert public.status_code == 200 and cert.serial in public.content.decode()
