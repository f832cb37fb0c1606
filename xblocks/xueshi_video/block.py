"""The ``xueshi_video`` XBlock: a guarded video whose study time the server credits.

The browser is untrusted. This block renders the player, hands the ledger
(``xueshi_studytime.api``) the rules the author set, and publishes completion and grade from
the ledger's server-side coverage only, never from anything the page reports.

Field names are stored in course OLX forever: never rename one; migrate values instead.
"""

from __future__ import annotations

from typing import Any

from webob import Response
from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Boolean, Float, Integer, List, Scope, String
from xblock.utils.settings import XBlockWithSettingsMixin

from . import compat, logic, render
from .quiz import CheckpointsMixin
from .web import MAX_STUDIO_BYTES, HandlerError, client_address, json_api, json_error, query_text

DEFAULT_HEARTBEAT_SECONDS = 30
CLIENTS = ("web", "h5", "app")


def _(text: str) -> str:
    """Mark a string for extraction; it is translated where it is shown (``self.ugettext``)."""
    return text


@XBlock.needs("i18n")
@XBlock.wants("user", "settings")
class XueshiVideoBlock(CheckpointsMixin, CompletableXBlockMixin, XBlockWithSettingsMixin, XBlock):
    """A guarded video: no skipping ahead, no speed-up, server-credited study time."""

    block_settings_key = "xueshi_video"
    has_score = True
    icon_class = "video"
    # The global the compiled JS catalog defines (frontend/src/i18n.js reads it; ADR 0081).
    i18n_js_namespace = "XueshiVideoI18N"

    display_name = String(display_name=_("Title"), default="视频", scope=Scope.settings)
    sources = List(
        display_name=_("Video URLs"),
        default=[],
        scope=Scope.settings,
        help=_("MP4, WebM or HLS (.m3u8) URLs; the first one the browser can play is used."),
    )
    edx_video_id = String(
        display_name=_("Video ID"),
        default="",
        scope=Scope.settings,
        help=_("An edx-val video ID, where the platform hosts the video."),
    )
    duration = Float(display_name=_("Duration (seconds)"), default=0.0, scope=Scope.settings)
    media_asset = String(
        display_name=_("Library video"),
        default="",
        scope=Scope.settings,
        help=_("A video of the course's video library (xueshi_media); its duration is measured, not typed."),
    )
    captions = List(
        display_name=_("Captions"),
        default=[],
        scope=Scope.settings,
        help=_('WebVTT tracks: [{"lang": "zh-cn", "url": "..."}, ...]'),
    )
    transcript_download = Boolean(display_name=_("Transcript download"), default=True, scope=Scope.settings)
    completion_coverage = Float(
        display_name=_("Coverage needed for completion"), default=0.95, scope=Scope.settings
    )
    allowed_rates = List(display_name=_("Allowed playback rates"), default=[1.0], scope=Scope.settings)
    anti_idle_minutes = Float(
        display_name=_("Anti-idle interval (minutes)"),
        default=15.0,
        scope=Scope.settings,
        help=_("Ask 'Are you still studying?' after this many minutes of play; 0 = off."),
    )
    free_seek_after_complete = Boolean(
        display_name=_("Free seeking once completed"), default=False, scope=Scope.settings
    )
    weight = Float(display_name=_("Grading weight"), default=1.0, scope=Scope.settings)
    preview = Boolean(
        display_name=_("Preview"),
        default=False,
        scope=Scope.settings,
        help=_("Anyone may watch this video without enrolling (试听), where the course is public."),
    )
    # Seconds, like the operator's XUESHI_MEDIA_PREVIEW_MAX_SECONDS it is paired with (ADR 0329).
    preview_max_seconds = Integer(
        display_name=_("Preview length"),
        default=0,
        scope=Scope.settings,
        help=_("A preview plays only the first minutes of the video; 0 = the whole video."),
    )

    # -- helpers ------------------------------------------------------------------------------
    def ugettext(self, text: str) -> str:
        """Translate with the block's ``text`` catalog (via the runtime's i18n service)."""
        return str(self.runtime.service(self, "i18n").gettext(text))

    def max_score(self) -> float:
        """The most a learner can earn: the grading weight (0 makes the video ungraded)."""
        return float(self.weight)

    def instance_settings(self) -> dict[str, Any]:
        """Operator defaults from ``XBLOCK_SETTINGS["xueshi_video"]`` (e.g. ``heartbeat_seconds``)."""
        return dict(self.get_xblock_settings(default={}) or {})

    def heartbeat_seconds(self) -> int:
        """Seconds between heartbeats, from the operator's settings (default 30, at least 1)."""
        try:
            return max(1, int(self.instance_settings().get("heartbeat_seconds", DEFAULT_HEARTBEAT_SECONDS)))
        except (TypeError, ValueError):
            return DEFAULT_HEARTBEAT_SECONDS

    def resolved_media(self) -> tuple[list[dict[str, str]], float]:
        """Playable sources (author URLs, then edx-val profiles) and the effective duration."""
        media = [{"url": url, "type": logic.source_type(url) or "video/mp4"} for url in self.sources]
        duration = float(self.duration or 0)
        library = self.library_video()
        if library is not None:
            # The ladder first; the duration is ffprobe's, never the typed one (issue 24).
            duration = float(library.duration)
            if library.ready:
                media.insert(0, {"url": library.hls_url, "type": "application/x-mpegURL", "profile": "hls"})
        if self.edx_video_id:
            val = compat.resolve_val_video(self.edx_video_id) or {}
            for profile, url in val.get("urls", {}).items():
                kind = "application/x-mpegURL" if profile == "hls" else logic.source_type(url) or "video/mp4"
                media.append({"url": url, "type": kind, "profile": profile})
            duration = duration or float(val.get("duration") or 0)
        return media, duration

    def library_video(self) -> Any:
        """The chosen video of the course's library (``xueshi_media.api.Playback``), or ``None``."""
        if not self.media_asset:
            return None
        from xueshi_media import api as media_api

        return media_api.playback(self.media_asset, self.scope_ids.usage_id.course_key)

    def all_captions(self) -> list[dict[str, str]]:
        """The author's caption tracks, else those carried from the library video's file."""
        if self.captions:
            return list(self.captions)
        library = self.library_video()
        return [dict(c) for c in library.captions] if library is not None else []

    def rules(self, duration: float | None = None) -> dict[str, Any]:
        """The author's rules as the player and the apps see them (the ledger enforces them)."""
        return {
            "allowed_rates": [float(r) for r in self.allowed_rates] or [1.0],
            "completion_coverage": float(self.completion_coverage),
            "anti_idle_seconds": round(float(self.anti_idle_minutes) * 60),
            "free_seek_after_complete": bool(self.free_seek_after_complete),
            "heartbeat_seconds": self.heartbeat_seconds(),
        }

    def _current_user(self) -> Any:
        """The Django user behind this request, or None when anonymous."""
        from django.contrib.auth import get_user_model

        service = self.runtime.service(self, "user")
        user_id = service.get_current_user().opt_attrs.get("edx-platform.user_id") if service else None
        if not user_id:
            return None
        return get_user_model().objects.filter(pk=user_id).first()

    def signed_sources(self, media: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Sources signed for the viewing learner, so the media server logs their delivery (issue 15)."""
        from xueshi_studytime import api as ledger

        service = self.runtime.service(self, "user")
        user_id = service.get_current_user().opt_attrs.get("edx-platform.user_id") if service else None
        if not user_id:
            return media
        return ledger.sign_media_urls(int(user_id), self.scope_ids.usage_id, media)

    def _require_user(self) -> Any:
        user = self._current_user()
        if user is None:
            raise HandlerError(403, "sign_in_required", self.ugettext("Sign in to study this video."))
        return user

    def _require_enrolment(self, user: Any) -> None:
        """Refuse a learner who is not enrolled (ADR 0094): no session, so no credit.

        The LMS's courseware pages check enrolment, but its handler URL can be called directly;
        the ledger must not credit study in a course the learner has not joined.
        """
        from xueshi_core.api import may_study

        if not may_study(user, self.scope_ids.usage_id.course_key):
            raise HandlerError(
                403,
                "not_enrolled",
                self.ugettext("You are not enrolled in this course. Enrol on the course page to study it."),
            )

    # -- views --------------------------------------------------------------------------------
    def student_view_data(self, context: dict[str, Any] | None = None) -> dict[str, Any]:
        """Course-wide data for the mobile apps and the JS player (no per-learner state: it is cached)."""
        media, duration = self.resolved_media()
        encoded = render.encoded_videos(media)
        return {
            "block_id": str(self.scope_ids.usage_id),
            "title": self.display_name,
            "duration": duration,
            "sources": media,
            "all_sources": [m["url"] for m in media],
            "encoded_videos": encoded,
            "transcripts": {c["lang"]: c["url"] for c in self.all_captions()},
            "transcript_download": bool(self.transcript_download),
            "rules": self.rules(duration),
            "only_on_web": False,
        }

    @XBlock.supports("multi_device")
    def student_view(self, context: dict[str, Any] | None = None) -> Any:
        """The learner's player (also what the Open edX apps show in their webview)."""
        return render.student_fragment(self)

    def public_view(self, context: dict[str, Any] | None = None) -> Any:
        """For learners who are not enrolled, in a public run: the preview if marked (``preview``)."""
        from .preview import public_fragment

        return public_fragment(self)

    def studio_view(self, context: dict[str, Any] | None = None) -> Any:
        """The author's editor."""
        return render.studio_fragment(self)

    @classmethod
    def workbench_scenarios(cls) -> list[tuple[str, str]]:
        """Demo videos for the sandbox course (``{media}`` is the demo media URL)."""
        from .scenarios import SCENARIOS

        return list(SCENARIOS)

    @classmethod
    def demo_scenarios(cls, course: str) -> list[tuple[str, str]]:
        """Units of another demo course (``xueshi_core.demo.DEMO_COURSES``): the face-check course."""
        from .scenarios import FACE_COURSE_SCENARIOS

        return list(FACE_COURSE_SCENARIOS) if course == "face" else []

    # -- handlers -----------------------------------------------------------------------------
    @json_api
    def open_session(self, data: dict[str, Any], request: Any) -> Any:
        """Start (or take over) this learner's playback session with the ledger; return the grant."""
        from xueshi_studytime import api as ledger
        from xueshi_studytime.data import VideoPolicy

        user = self._require_user()
        self._require_enrolment(user)
        client = data.get("client", "web")
        if client not in CLIENTS:
            raise HandlerError(400, "invalid_client", "client must be one of web, h5, app")
        media, duration = self.resolved_media()
        if duration <= 0:
            raise HandlerError(
                409,
                "video_not_ready",
                self.ugettext("This video has no duration yet; ask the course team to set it."),
            )
        rules = self.rules(duration)
        policy = VideoPolicy(
            duration=duration,
            allowed_rates=tuple(rules["allowed_rates"]),
            completion_coverage=rules["completion_coverage"],
            anti_idle_seconds=rules["anti_idle_seconds"],
            heartbeat_seconds=rules["heartbeat_seconds"],
            free_seek_after_complete=rules["free_seek_after_complete"],
        )
        barriers = self.sync_barriers(user.id, duration)
        grant = self.ledger_session(user, policy, client, request)
        if isinstance(grant, Response):
            return grant
        payload = grant.as_dict()
        # The same sources, signed for this session: what the player plays is what earns (ADR 0053).
        payload["sources"] = ledger.sign_media_urls(
            user.id, self.scope_ids.usage_id, media, session_id=grant.session_id
        )
        payload["checkpoints"] = self.checkpoint_summary(user.id, duration, barriers)
        payload["replaced_message"] = (
            self.ugettext("Your playback elsewhere was stopped; this page now counts your study time.")
            if payload.get("replaced_session")
            else ""
        )
        if client == "app":  # a native player has no fragment: it gets the media and rules here
            payload["video"] = render.app_video(self, media)
            payload["rules"] = rules
        return payload

    def ledger_session(self, user: Any, policy: Any, client: str, request: Any) -> Any:
        """Open the learner's ledger session for this block: the grant, or the 409/429 refusing it.

        Shared by the live block (``xueshi_live``), whose live sessions differ only by their policy.
        """
        from xueshi_studytime import api as ledger
        from xueshi_studytime.exceptions import LeaseRefused, SessionsThrottled

        try:
            return ledger.open_session(
                user=user,
                usage_key=self.scope_ids.usage_id,
                policy=policy,
                client=client,
                user_agent=str(request.user_agent or "")[:400],
                ip=client_address(request),
            )
        except LeaseRefused as exc:
            code = getattr(exc, "reason_code", "lease_refused")
            message = self.ugettext(
                "You are already studying a video on another page or device. Stop it there, then try again."
            )
            return json_error(409, code, message)
        except SessionsThrottled as exc:  # the message is the ledger's, already translated
            response = json_error(429, exc.reason_code, str(exc), retry_after=exc.retry_after)
            response.headers["Retry-After"] = str(exc.retry_after)
            return response

    @json_api
    def sync_progress(self, data: dict[str, Any], request: Any) -> dict[str, Any]:
        """Publish completion and grade from the ledger's server-side progress (browser input ignored)."""
        from xueshi_studytime import api as ledger

        user = self._require_user()
        progress = ledger.get_progress(user.id, self.scope_ids.usage_id)
        passed = self.all_passed(user.id)
        completion = logic.completion_for(
            progress.coverage, float(self.completion_coverage), progress.completed and passed
        )
        if completion > 0:
            self.emit_completion(completion)
        graded = self.publish_score(user.id)
        _media, duration = self.resolved_media()
        return {
            "completion": completion,
            "graded": graded,
            "completed": progress.completed and passed,
            "coverage": progress.coverage,
            "watched_seconds": progress.watched_seconds,
            "frontier": progress.frontier,
            "resume_position": progress.last_position,
            "duration": duration,
            "checkpoints": self.checkpoint_summary(user.id, duration, self.sync_barriers(user.id, duration)),
        }

    @json_api
    def track_event(self, data: dict[str, Any], request: Any) -> dict[str, Any]:
        """Publish a whitelisted Open edX video event with sanitised fields."""
        self._require_user()
        _media, duration = self.resolved_media()
        try:
            event = logic.sanitize_event(
                data.get("name"), data.get("data"), duration, str(self.scope_ids.usage_id)
            )
        except ValueError as exc:
            raise HandlerError(400, "invalid_event", str(exc)) from exc
        self.runtime.publish(self, data["name"], event)
        return {"published": data["name"]}

    @json_api(max_bytes=MAX_STUDIO_BYTES)
    def submit_studio_edits(self, data: dict[str, Any], request: Any) -> dict[str, Any]:
        """Validate and save the editor's values; answer per-field errors in the author's language."""
        service = self.runtime.service(self, "user")
        role = service.get_current_user().opt_attrs.get("edx-platform.user_role") if service else None
        if role == "student":
            raise HandlerError(403, "forbidden", self.ugettext("Only the course team can edit this video."))
        values = data.get("values", data)
        if not isinstance(values, dict):
            raise HandlerError(400, "invalid_json", "values must be an object")
        clean, errors = logic.validate_edits(values, self.ugettext)
        if clean.get("media_asset"):
            from xueshi_media import api as media_api

            found = media_api.playback(clean["media_asset"], self.scope_ids.usage_id.course_key)
            if found is None:
                errors["media_asset"] = self.ugettext("Choose a video of the course's library.")
            else:
                clean["duration"] = float(found.duration)  # measured by ffprobe, not typed
                errors.pop("duration", None)
        if "preview_max_seconds" in values:
            from .preview import clean_preview_cap

            library = clean.get("media_asset", self.media_asset) if "media_asset" not in errors else ""
            cap, error = clean_preview_cap(values, library, self.ugettext)
            if error:
                errors["preview_max_seconds"] = error
            else:
                clean["preview_max_seconds"] = cap
        duration = float(clean.get("duration", self.duration) or 0)
        quiz_clean, quiz_errors = self.clean_checkpoint_edits(values, duration)
        clean.update(quiz_clean)
        errors.update(quiz_errors)
        if errors:
            raise HandlerError(
                400,
                "invalid_fields",
                self.ugettext("Please correct the highlighted fields."),
                field_errors=errors,
            )
        for name, value in clean.items():
            setattr(self, name, value)
        self.save()
        return {"result": "success", "values": clean}

    @XBlock.handler
    def transcript(self, request: Any, suffix: str = "") -> Response:
        """Download the transcript of one caption language as plain text (``?lang=zh-cn``)."""
        if not self.transcript_download:
            return json_error(403, "download_disabled", self.ugettext("Transcript download is turned off."))
        try:
            lang = (
                query_text(request, "lang") or suffix or (self.captions[0]["lang"] if self.captions else "")
            )
        except HandlerError as exc:
            return json_error(exc.status, exc.code, exc.message)
        track = next((c for c in self.captions if c["lang"].lower() == str(lang).lower()), None)
        text = self.transcript_text(track, str(lang))
        if text is None:
            if track and track["url"].startswith(("http://", "https://")):
                return Response(status=302, location=track["url"])
            return json_error(404, "no_transcript", self.ugettext("There is no transcript in this language."))
        lang = track["lang"] if track else lang
        response = Response(text, content_type="text/plain", charset="utf-8")
        response.content_disposition = f'attachment; filename="transcript-{lang}.txt"'
        return response

    def transcript_text(self, track: dict[str, str] | None, lang: str) -> str | None:
        """Plain text of a caption track (a course file), else of the edx-val transcript in ``lang``."""
        if track is not None:
            raw = compat.read_course_media(track["url"], str(self.scope_ids.usage_id.context_key))
            return None if raw is None else logic.vtt_to_text(raw.decode("utf-8", errors="replace"))
        found = compat.read_val_transcript(self.edx_video_id, lang) if self.edx_video_id and lang else None
        if found is None:
            return None
        file_format, content = found
        decoded = content.decode("utf-8", errors="replace")
        return logic.sjson_to_text(decoded) if file_format == "sjson" else logic.vtt_to_text(decoded)

    @XBlock.handler
    def h5(self, request: Any, suffix: str = "") -> Response:
        """A complete mobile (H5) page for this video: phone browsers and WeChat links."""
        if request.method not in ("GET", "HEAD"):
            return json_error(405, "method_not_allowed", "GET only")
        return render.h5_page(self, signed_in=self._current_user() is not None)
