"""Stored codes (``replaced``, ``pc``, ``session``, ``takeover``) reach people as labels, never raw.

Before issue 16 the sign-in audit page and its export printed the codes as stored, and the study
time admin listed sessions' raw client and end-reason codes.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from xueshi_access.models import AccessEvent
from xueshi_studytime.models import PlaybackSession, RefusedHeartbeat

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-cn"}


def _ended_event(user: Any) -> AccessEvent:
    return AccessEvent.objects.create(
        at=timezone.now(), event=AccessEvent.ENDED, reason="replaced", user=user, username=user.username,
        kind="pc", channel="session",
    )  # fmt: skip


def _operator() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="operator"))
    return client


def test_audit_page_shows_labels_not_codes(demo_site: Any) -> None:
    _ended_event(get_user_model().objects.get(username="zhangsan"))
    page = _operator().get("/xueshi/access/audit/", **ZH).content.decode()
    assert "<td>已被其他设备的登录替换</td>" in page
    assert "<td>电脑</td><td>网页会话</td>" in page
    assert "<td>replaced</td>" not in page and "<td>pc</td>" not in page


def test_audit_export_shows_labels_not_codes(demo_site: Any) -> None:
    _ended_event(get_user_model().objects.get(username="zhangsan"))
    reply = _operator().get("/xueshi/access/audit/export.xlsx", **ZH)
    rows = list(load_workbook(io.BytesIO(reply.content)).active.iter_rows(values_only=True))
    cells = {str(cell) for row in rows[1:] for cell in row}
    assert {"已被其他设备的登录替换", "电脑", "网页会话"} <= cells
    assert not {"replaced", "pc", "session"} & cells


def test_study_admin_shows_session_labels(demo_site: Any) -> None:
    learner = get_user_model().objects.get(username="zhangsan")
    usage_key = "block-v1:XueshiDemo+AQ101+2026+type@video+block@x"
    session = PlaybackSession.objects.create(
        user=learner, course_key=demo_site["course_key"], usage_key=usage_key,
        opened_at=timezone.now(), ended_at=timezone.now(), end_reason="takeover", client="web",
    )  # fmt: skip
    now = timezone.now()
    RefusedHeartbeat.objects.create(
        event_id="i18n-refused-1", session=session, seq=3, user=learner, course_key=demo_site["course_key"],
        usage_key=usage_key, reason="speed", event="play", reported_position=10.0, reported_rate=2.0,
        reported_visible=True, reported_playing=True, position=8.0, received_at=now, china_day=now.date(),
    )  # fmt: skip
    admin = Client()
    admin.force_login(
        get_user_model().objects.create_superuser("i18n-root", "r@example.invalid", "pw-i18n-root")
    )
    page = admin.get("/admin/xueshi_studytime/playbacksession/", **ZH).content.decode()
    assert "已在别处开始播放" in page and "网页" in page
    assert ">takeover<" not in page
    refused = admin.get("/admin/xueshi_studytime/refusedheartbeat/", **ZH).content.decode()
    assert "倍速不允许" in refused and ">speed<" not in refused
