"""Serializers describing ``POST v1/sessions`` (the app's playback session) for the OpenAPI schema.

Validation is done by ``xueshi_core.params`` in the view; these only document the shapes.
"""

from __future__ import annotations

from rest_framework import serializers

from .serializers import HoldSerializer


class SessionOpenRequestSerializer(serializers.Serializer):
    """Which video to open: the course and the usage key of a ``xueshi_video`` or ``xueshi_live`` block."""

    course_id = serializers.CharField(help_text="Course key, e.g. course-v1:Org+Course+Run. 课程标识。")
    usage_key = serializers.CharField(
        help_text="Usage key of a xueshi_video or xueshi_live block in that course. "
        "课程中 xueshi_video 视频块或 xueshi_live 直播课的标识。"
    )


class SourceSerializer(serializers.Serializer):
    """One playable source, signed for this learner and block (the media server logs delivery)."""

    url = serializers.CharField()
    type = serializers.CharField(help_text="video/mp4, video/webm or application/x-mpegURL (HLS).")
    profile = serializers.CharField(required=False, help_text="edx-val profile, when the platform hosts it.")


class VideoSerializer(serializers.Serializer):
    """What the app's own player plays."""

    title = serializers.CharField()
    sources = SourceSerializer(many=True, help_text="Best first; play the first the device can.")
    encoded_videos = serializers.DictField(help_text="The sources keyed as the platform video block's are.")
    transcripts = serializers.DictField(child=serializers.CharField(), help_text="WebVTT URL per language.")


class RulesSerializer(serializers.Serializer):
    """The author's rules; the server enforces them whatever the player does."""

    allowed_rates = serializers.ListField(child=serializers.FloatField())
    completion_coverage = serializers.FloatField()
    anti_idle_seconds = serializers.IntegerField(help_text="Seconds of play between challenges; 0 = none.")
    free_seek_after_complete = serializers.BooleanField()
    heartbeat_seconds = serializers.IntegerField()


class CheckpointItemSerializer(serializers.Serializer):
    """A checkpoint of the learner's schedule: where it is and whether it is done, never its answer."""

    id = serializers.CharField()
    at = serializers.FloatField(help_text="Media second where playback stops for it.")
    kind = serializers.ChoiceField(choices=["question", "card"])
    passed = serializers.BooleanField()
    over = serializers.BooleanField(help_text="Passed, or recorded as failed: it no longer stops playback.")


class CheckpointsSerializer(serializers.Serializer):
    """The learner's checkpoint schedule and the ledger's barrier state."""

    items = CheckpointItemSerializer(many=True)
    barrier = serializers.DictField(help_text="Unpassed barrier times and the one due (the ledger's).")


class SessionOpenResponseSerializer(serializers.Serializer):
    """A session opened for the app: the token to beat with, where to resume, what to play."""

    session_id = serializers.CharField()
    token = serializers.CharField(help_text="Send in every heartbeat; bound to this account and sign-in.")
    heartbeat_url = serializers.CharField()
    challenge_url = serializers.CharField(help_text="Where to POST the code of a picture challenge.")
    heartbeat_seconds = serializers.IntegerField()
    challenge_interval_seconds = serializers.IntegerField(
        help_text="Play between 'still studying?' challenges (0 = none). 防挂机验证间隔（秒）。"
    )
    resume_position = serializers.FloatField(help_text="Start playback here. 续播位置（秒）。")
    frontier = serializers.FloatField(help_text="Furthest point watched; seeking past it is refused.")
    coverage = serializers.FloatField()
    watched_seconds = serializers.FloatField()
    credited_today_seconds = serializers.IntegerField()
    duration = serializers.FloatField()
    completed = serializers.BooleanField()
    replaced_session = serializers.BooleanField(help_text="A playback elsewhere was stopped for this one.")
    replaced_message = serializers.CharField(allow_blank=True)
    holds = HoldSerializer(many=True, help_text="Checks (a face check) to clear before credit resumes.")
    video = VideoSerializer()
    rules = RulesSerializer()
    checkpoints = CheckpointsSerializer()
    live = serializers.BooleanField(
        required=False,
        help_text="A live lesson (xueshi_live) on air: positions are the server's clock, attendance "
        "counts only while on air; progress_url is its live_progress. 直播课会话。",
    )
    h5_url = serializers.CharField(help_text="The unit's H5 page, for the app's webview. H5 播放页。")
    progress_url = serializers.CharField(help_text="The block's sync_progress handler (completion).")
    checkpoint_question_url = serializers.CharField()
    checkpoint_answer_url = serializers.CharField()


class SessionRefusedSerializer(serializers.Serializer):
    """A refusal: a stable code, a reason, and the translated message to show."""

    error = serializers.CharField()
    detail = serializers.CharField()
    message = serializers.CharField(required=False)
    retry_after = serializers.IntegerField(required=False, help_text="On a 429: seconds to wait.")
