"""The ``xueshi_live`` XBlock: a scheduled live lesson (直播) with attendance credited by the ledger.

Before the start it counts down; on air it plays the provider's HLS stream (the video block's
player code: session, heartbeats, "still there?"); afterwards it is the video block itself,
playing the recording from the course's library. It subclasses ``XueshiVideoBlock`` for that last
phase, so the recording is a normal guarded video with no second copy of its handlers (ADR 0353).

Attendance goes through the same ledger: a live session's policy has ``live_origin`` (the first
push), so the ledger credits server time inside the stream's on-air intervals only (ADR 0351).
Field names are stored in course OLX forever: never rename one.
"""

from __future__ import annotations

import time
from typing import Any

from web_fragments.fragment import Fragment
from webob import Response
from xblock.core import XBlock
from xblock.fields import Float, Scope, String

from xueshi_video.block import CLIENTS, XueshiVideoBlock
from xueshi_video.web import MAX_STUDIO_BYTES, HandlerError, json_api, json_error

from . import render, schedule


def _(text: str) -> str:
    """Mark a string for extraction; it is translated where it is shown (``self.ugettext``)."""
    return text


HLS = "application/x-mpegURL"


@XBlock.needs("i18n")
@XBlock.wants("user", "settings")
class XueshiLiveBlock(XueshiVideoBlock):
    """A live lesson: countdown, the live stream with credited attendance, then its recording."""

    block_settings_key = "xueshi_live"
    has_score = False
    icon_class = "video"
    # The video player's catalog global: Django's JS catalogs merge into it, and the player modules
    # the live page imports read it (ADR 0353).
    i18n_js_namespace = "XueshiVideoI18N"

    display_name = String(display_name=_("Title"), default="直播课", scope=Scope.settings)
    stream_name = String(
        display_name=_("Stream name"),
        default="",
        scope=Scope.settings,
        help=_("The live provider's StreamName: letters, digits, '_' or '-'; unique on the site."),
    )
    starts_at = String(display_name=_("Starts at"), default="", scope=Scope.settings)
    ends_at = String(display_name=_("Ends at"), default="", scope=Scope.settings)
    attendance_required = Float(
        display_name=_("Attendance needed for completion"),
        default=0.8,
        scope=Scope.settings,
        help=_("Share of the on-air time a learner must attend (or replay) to complete the lesson."),
    )
    weight = Float(display_name=_("Grading weight"), default=0.0, scope=Scope.settings)

    # -- the lesson ----------------------------------------------------------------------------
    def instance_settings(self) -> dict[str, Any]:
        """The video block's operator settings, overridden by ``XBLOCK_SETTINGS["xueshi_live"]``."""
        merged = dict(self.get_xblock_settings(default={}) or {})
        from django.conf import settings

        video = dict(getattr(settings, "XBLOCK_SETTINGS", {}).get("xueshi_video", {}))
        return {**video, **merged}

    def live_state(self) -> Any:
        """The lesson now (``xueshi_livestream.api.LiveState``); registers a stream an import brought."""
        from xueshi_livestream import api as live

        usage = self.scope_ids.usage_id
        found = live.state(usage)
        starts, ends = schedule.epoch(self.starts_at), schedule.epoch(self.ends_at)
        if found is None and self.stream_name and starts and ends:
            try:
                live.register(usage, self.stream_name, starts, ends)
            except ValueError:
                return None
            found = live.state(usage)
        return found

    def library_video(self) -> Any:
        """The recording: the author's library choice, else the one the stop callback brought."""
        from xueshi_media import api as media_api

        state = self.live_state()
        asset = self.media_asset or (state.recording_asset if state is not None else "")
        return media_api.playback(asset, self.scope_ids.usage_id.course_key) if asset else None

    def replaying(self, state: Any) -> bool:
        """Whether the lesson is over and has a recording to play (the video block's phase)."""
        from xueshi_livestream.data import AFTER

        if state is None or state.phase != AFTER:
            return False
        library = self.library_video()
        return library is not None and library.ready

    # -- views --------------------------------------------------------------------------------
    def student_view_data(self, context: dict[str, Any] | None = None) -> dict[str, Any]:
        """The video block's data (the recording, once there is one) and the lesson's schedule.

        Course-wide and cacheable as the platform requires: the phase is not here; an app asks
        ``live_status`` or opens its session (``POST /api/xueshi/studytime/v1/sessions``).
        """
        data = super().student_view_data(context)
        data["live"] = {
            "stream_name": self.stream_name,
            "starts_at": schedule.epoch(self.starts_at),
            "ends_at": schedule.epoch(self.ends_at),
            "attendance_required": float(self.attendance_required),
        }
        return data

    @XBlock.handler
    def h5(self, request: Any, suffix: str = "") -> Response:
        """The mobile (H5) page: the recording's player once it plays here, else the live page."""
        if request.method not in ("GET", "HEAD"):
            return json_error(405, "method_not_allowed", "GET only")
        state = self.live_state()
        if self.replaying(state):
            return render.recording_h5(self, signed_in=self._current_user() is not None)
        return render.live_h5(self, state, signed_in=self._current_user() is not None)

    @XBlock.supports("multi_device")
    def student_view(self, context: dict[str, Any] | None = None) -> Fragment:
        """Countdown or live player; the recording's guarded player once the lesson is over."""
        state = self.live_state()
        if self.replaying(state):
            return render.recording_fragment(self)
        return render.live_fragment(self, state)

    def public_view(self, context: dict[str, Any] | None = None) -> Fragment:
        """Unenrolled visitors see the schedule only."""
        return render.live_fragment(self, self.live_state(), public=True)

    def studio_view(self, context: dict[str, Any] | None = None) -> Fragment:
        """The author's editor: title, stream name, schedule, rules, the recording; the push URL."""
        return render.studio_fragment(self, self.live_state())

    @classmethod
    def workbench_scenarios(cls) -> list[tuple[str, str]]:
        """The demo course's live lessons, when a provider is configured (``make sandbox``: its sandbox).

        One in its slot now (a newcomer puts it on air) and yesterday's with its recording; the
        live app's demo hook schedules their streams (ADR 0355).
        """
        from django.core.exceptions import ImproperlyConfigured

        from xueshi_livestream import api as live

        try:
            lessons = live.demo_lessons()
        except ImproperlyConfigured:  # no Django settings (a bare XBlock workbench)
            return []
        return [
            (
                lesson["title"],
                f'<xueshi_live url_name="{lesson["url_name"]}" display_name="{lesson["title"]}" '
                f'stream_name="{lesson["stream"]}" starts_at="{schedule.china_text(lesson["starts_at"])}" '
                f'ends_at="{schedule.china_text(lesson["ends_at"])}"/>',
            )
            for lesson in lessons
        ]

    # -- handlers -----------------------------------------------------------------------------
    @json_api
    def live_status(self, data: dict[str, Any], request: Any) -> dict[str, Any]:
        """The phase and schedule by the server clock (the page's countdown and its switch to replay)."""
        state = self.live_state()
        return render.status(self, state, time.time())

    @json_api
    def open_live(self, data: dict[str, Any], request: Any) -> Any:
        """Start this learner's live attendance session: the ledger's grant and the signed play URL."""
        return self.live_grant(data, request)

    @json_api
    def open_session(self, data: dict[str, Any], request: Any) -> Any:
        """The handler apps open sessions with (ADR 0033, 0357), whatever the lesson's phase.

        The replay's once the recording plays here, else the live session (``open_live``).
        """
        if self.replaying(self.live_state()):
            return XueshiVideoBlock.open_session.__wrapped__(self, data, request)
        return self.live_grant(data, request)

    def live_grant(self, data: dict[str, Any], request: Any) -> Any:
        """The live session's grant; for an app also what its player plays (``video``) and ``rules``."""
        from xueshi_livestream import api as live
        from xueshi_studytime.data import VideoPolicy

        user = self._require_user()
        self._require_enrolment(user)
        client = data.get("client", "web")
        if client not in CLIENTS:
            raise HandlerError(400, "invalid_client", "client must be one of web, h5, app")
        if not live.enabled():
            message = self.ugettext("Live lessons are not configured on this site (XUESHI_LIVE_PROVIDER).")
            raise HandlerError(503, "live_off", message)
        state = self.live_state()
        if state is None or state.phase not in ("on_air", "paused") or not state.on_air:
            message = self.ugettext("The live lesson is not on air. This page starts it when it is.")
            raise HandlerError(409, "not_on_air", message, phase=getattr(state, "phase", "none"))
        origin = state.on_air[0][0]
        rules = self.rules()
        policy = VideoPolicy(
            duration=schedule.live_length(origin, state.ends_at),
            allowed_rates=(1.0,),
            completion_coverage=1.0,
            anti_idle_seconds=rules["anti_idle_seconds"],
            heartbeat_seconds=rules["heartbeat_seconds"],
            live_origin=origin,
        )
        live.share_on_air(self.scope_ids.usage_id)
        grant = self.ledger_session(user, policy, client, request)
        if isinstance(grant, Response):
            return grant
        payload = grant.as_dict()
        payload["sources"] = [{"url": live.play_url(state.stream), "type": HLS}]
        payload["status"] = render.status(self, state, time.time())
        payload["live"] = True
        payload["replaced_message"] = (
            self.ugettext("Your playback elsewhere was stopped; this page now counts your study time.")
            if payload.get("replaced_session")
            else ""
        )
        if client == "app":  # a native player has no page: the stream and the rules come here
            from xueshi_studytime import api as ledger

            barrier = ledger.barrier_state(user.id, self.scope_ids.usage_id).as_dict()
            payload["checkpoints"] = {"items": [], "barrier": barrier}  # checkpoints are the replay's
            payload["video"] = {
                "title": self.display_name,
                "sources": payload["sources"],
                "encoded_videos": {"hls": {"url": payload["sources"][0]["url"], "file_size": 0}},
                "transcripts": {},
            }
            payload["rules"] = rules
        return payload

    @json_api
    def live_progress(self, data: dict[str, Any], request: Any) -> dict[str, Any]:
        """Attended and on-air seconds from the ledger and the callbacks; publishes completion."""
        from xueshi_studytime import api as ledger

        user = self._require_user()
        state = self.live_state()
        now = time.time()
        attended = ledger.get_progress(user.id, self.scope_ids.usage_id).watched_seconds
        aired = state.aired_seconds(now) if state is not None else 0.0
        done = schedule.completion(attended, aired, float(self.attendance_required))
        if done > 0:
            self.emit_completion(done)
        return {"attended_seconds": round(attended), "aired_seconds": round(aired), "completion": done}

    @json_api(max_bytes=MAX_STUDIO_BYTES)
    def submit_studio_edits(self, data: dict[str, Any], request: Any) -> dict[str, Any]:
        """Validate and save the editor's values, and register the stream and schedule."""
        from xueshi_livestream import api as live

        service = self.runtime.service(self, "user")
        role = service.get_current_user().opt_attrs.get("edx-platform.user_role") if service else None
        if role == "student":
            raise HandlerError(403, "forbidden", self.ugettext("Only the course team can edit this lesson."))
        values = data.get("values", data)
        if not isinstance(values, dict):
            raise HandlerError(400, "invalid_json", "values must be an object")
        clean, errors = schedule.validate(values, self.ugettext)
        if not errors:
            try:
                starts, ends = schedule.epoch(clean["starts_at"]), schedule.epoch(clean["ends_at"])
                live.register(self.scope_ids.usage_id, clean["stream_name"], starts or 0, ends or 0)
            except ValueError:
                errors["stream_name"] = self.ugettext("Another live lesson uses this stream name.")
        if errors:
            message = self.ugettext("Please correct the highlighted fields.")
            raise HandlerError(400, "invalid_fields", message, field_errors=errors)
        for name, value in clean.items():
            setattr(self, name, value)
        self.save()
        return {"result": "success", "values": clean}
