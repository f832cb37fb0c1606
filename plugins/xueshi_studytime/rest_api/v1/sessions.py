"""``POST v1/sessions``: a native app opens a playback session (ADR 0033).

The app signs in with OAuth (an opaque DOT ``Bearer`` token or a ``JWT``) and names a video; the
session is opened by the video block's own ``open_session`` handler (``app_sessions``), so the
ledger, its gates and its refusals are the browser's. Gates that sit in front of every study
request (the real-name profile, one device at a time) are middleware on this path too. There is
no close endpoint, as the block has no close handler: a heartbeat with ``event: "unload"`` ends
the session, as the web player's last beat does.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from xueshi_core import params
from xueshi_core.rest_auth import CallerAuthentication
from xueshi_studytime import app_sessions, compat

from . import serializers as s
from . import session_serializers as ss
from .views import LedgerView, error

DESCRIPTION = """\
Open (or take over) the learner's playback session in one `xueshi_video` block, or in a
`xueshi_live` lesson (while on air a live session, `live: true`, whose `video` is the stream;
afterwards its recording's), for a native app's own player or its webview. Authenticate with the
app's OAuth token (`Authorization: Bearer <DOT token>` or `JWT <token>`); a browser session works
too, with its CSRF header. The session is opened by the block's own handler, so it is credited
exactly as the web player's: send the returned `token` in heartbeats to `heartbeat_url` with the
same `Authorization` header, answer picture challenges at `challenge_url` with the `code` the image
shows, and end with a heartbeat whose `event` is `unload`. Refusals: 400 bad keys, 401 bad
credentials or a device signed out, 403 not enrolled or no real-name profile (`error_code:
identity_profile_required`), 404 no such video, 409 another playback of the account is live (refuse
policy) or the video is not ready, 429 too many opens (`Retry-After`).

为原生 App 打开（或接管）学员在某个 `xueshi_video` 视频块（或 `xueshi_live`
直播课）中的播放会话，供 App 自带播放器或内嵌 H5 页面使用。使用 App 的 OAuth
令牌认证（`Authorization: Bearer <令牌>` 或 `JWT <令牌>`）。会话由视频块自身的
处理器打开，学时按与网页播放器完全相同的规则计算：携带返回的 `token` 和同一认证头向
`heartbeat_url` 发送心跳，在 `challenge_url` 提交图片中显示的验证码 `code`，最后以
`event` 为 `unload` 的心跳结束。未选课、未完成实名信息返回 403；打开过于频繁返回
429（带 `Retry-After`）。
"""

OPEN_EXAMPLE = OpenApiExample(
    "open",
    summary="Open lesson 1 / 打开第一课",
    request_only=True,
    value={
        "course_id": "course-v1:XueshiDemo+AQ101+2026",
        "usage_key": "block-v1:XueshiDemo+AQ101+2026+type@xueshi_video+block@video_lesson1",
    },
)
GRANT_EXAMPLE = OpenApiExample(
    "opened",
    summary="Session opened / 会话已打开",
    response_only=True,
    status_codes=["200"],
    value={
        "session_id": "5f0c8c1e-9b7a-4c55-8f43-2f7d3c1a9e10",
        "token": "v2.X0EMHpt6TFWPQy99PBqeEAAAAAAAAAAC….Zq1…",
        "heartbeat_url": "https://lms.example.com/api/xueshi/studytime/v1/heartbeats",
        "challenge_url": "https://lms.example.com/api/xueshi/studytime/v1/challenges/answer",
        "heartbeat_seconds": 30,
        "challenge_interval_seconds": 900,
        "resume_position": 42.0,
        "frontier": 42.0,
        "coverage": 0.35,
        "watched_seconds": 42.0,
        "credited_today_seconds": 600,
        "duration": 120.0,
        "completed": False,
        "replaced_session": False,
        "replaced_message": "",
        "holds": [],
        "video": {
            "title": "第一课：安全生产法概述",
            "sources": [{"url": "https://media.example.com/lesson1.mp4?xst=…", "type": "video/mp4"}],
            "encoded_videos": {
                "desktop_mp4": {"url": "https://media.example.com/lesson1.mp4?xst=…", "file_size": 0}
            },
            "transcripts": {"zh-cn": "/media/xueshi-demo/lesson1.zh.vtt"},
        },
        "rules": {
            "allowed_rates": [1.0],
            "completion_coverage": 0.95,
            "anti_idle_seconds": 900,
            "free_seek_after_complete": False,
            "heartbeat_seconds": 30,
        },
        "checkpoints": {
            "items": [{"id": "cp-1", "at": 60.0, "kind": "question", "passed": False, "over": False}],
            "barrier": {"times": [60.0], "due": None},
        },
        "h5_url": "https://lms.example.com/courses/course-v1:XueshiDemo+AQ101+2026/xblock/…/handler/h5",
        "progress_url": "https://lms.example.com/courses/…/handler/sync_progress",
        "checkpoint_question_url": "https://lms.example.com/courses/…/handler/checkpoint_question",
        "checkpoint_answer_url": "https://lms.example.com/courses/…/handler/answer_checkpoint",
    },
)
THROTTLED_EXAMPLE = OpenApiExample(
    "throttled",
    summary="Opened too often / 打开过于频繁",
    response_only=True,
    status_codes=["429"],
    value={
        "error": "too_many_sessions",
        "detail": "视频打开过于频繁，请等待 20 秒后再试。",
        "message": "视频打开过于频繁，请等待 20 秒后再试。",
        "retry_after": 20,
    },
)


class SessionOpenView(LedgerView):
    """``POST v1/sessions``."""

    authentication_classes = [CallerAuthentication]
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="studytime_sessions_open",
        summary="Open a playback session for an app / App 打开播放会话",
        description=DESCRIPTION,
        request=ss.SessionOpenRequestSerializer,
        responses={
            200: ss.SessionOpenResponseSerializer,
            400: s.ErrorSerializer,
            401: s.ErrorSerializer,
            403: s.ErrorSerializer,
            404: s.ErrorSerializer,
            409: ss.SessionRefusedSerializer,
            429: OpenApiResponse(ss.SessionRefusedSerializer, description="Wait Retry-After seconds."),
        },
        examples=[OPEN_EXAMPLE, GRANT_EXAMPLE, THROTTLED_EXAMPLE],
    )
    def post(self, request: Request) -> Response:
        """Open the session through the video block's handler and return what the app needs."""
        data: Any = request.data
        course = params.course_key(data.get("course_id"))
        usage = params.usage_key(data.get("usage_key"))
        if usage.course_key != course:
            return error(400, "usage_not_in_course", "usage_key is not a block of course_id")
        if usage.block_type not in app_sessions.BLOCK_TYPES:
            kinds = " or ".join(app_sessions.BLOCK_TYPES)
            return error(400, "not_a_video", f"usage_key must name a {kinds} block")
        try:
            opened = app_sessions.open_for_app(request._request, request.user, usage)
        except compat.BlockNotFound:
            return error(404, "block_not_found", "no such video in this course")
        except compat.BlockAccessDenied as exc:
            refused = error(403, "not_enrolled", str(exc))
            refused.data["message"] = _("Enroll in this course to study its videos.")
            return refused
        return Response(opened.body, status=opened.status, headers=opened.headers)
