"""Serializers describing the REST API for the OpenAPI schema.

Validation itself is in ``heartbeat``, which gives each bad field its own error code.
"""

from __future__ import annotations

from rest_framework import serializers

from xueshi_studytime.crediting import EVENTS, REASONS


class HeartbeatRequestSerializer(serializers.Serializer):
    """A heartbeat: every ~30 s while playing and at play, pause, seek, hide, show, rate, ended, unload."""

    token = serializers.CharField(help_text="Session token from the player's init payload.")
    seq = serializers.IntegerField(min_value=1, help_text="Strictly increasing per session.")
    position = serializers.FloatField(min_value=0, help_text="Media position, seconds.")
    playing = serializers.BooleanField(
        help_text="Playing from now on (the segment just ended is judged by the previous beat's state)."
    )
    visible = serializers.BooleanField(help_text="document.visibilityState == 'visible'.")
    rate = serializers.FloatField(help_text="playbackRate.")
    event = serializers.ChoiceField(choices=EVENTS)


class ChallengeSerializer(serializers.Serializer):
    """A pending anti-idle challenge."""

    id = serializers.CharField(help_text="Opaque; answering needs the code shown in the image too.")
    prompt = serializers.CharField()
    image_url = serializers.CharField(
        help_text="PNG showing the code a person must type (never sent as text)."
    )
    expires_at = serializers.FloatField(help_text="Server time after which the code is replaced.")
    digits = serializers.IntegerField()


class HoldSerializer(serializers.Serializer):
    """A check another app requires before crediting resumes (a face check, say)."""

    kind = serializers.CharField()
    url = serializers.CharField(allow_blank=True, help_text="Page to show (in an overlay) to clear it.")
    not_before = serializers.FloatField()


class HeartbeatResponseSerializer(serializers.Serializer):
    """The server's view after a heartbeat; refusals are 200 with accepted=false and a reason."""

    accepted = serializers.BooleanField()
    credited = serializers.FloatField(help_text="Seconds credited by this beat.")
    reason = serializers.ChoiceField(choices=REASONS, allow_null=True)
    frontier = serializers.FloatField(help_text="Furthest watched point; seeking beyond it is refused.")
    position = serializers.FloatField(
        help_text="Authoritative position: move the player here if it differs "
        "by more than a couple of seconds."
    )
    coverage = serializers.FloatField()
    watched_seconds = serializers.FloatField()
    credited_today_seconds = serializers.IntegerField()
    completed = serializers.BooleanField()
    lease = serializers.ChoiceField(choices=["held", "lost"])
    stop = serializers.BooleanField(
        help_text="Stop playback now (another playback took over, or the session ended)."
    )
    message = serializers.CharField(allow_blank=True)
    challenge = ChallengeSerializer(allow_null=True)
    holds = HoldSerializer(many=True, help_text="Holds in force; non-empty when reason is 'hold'.")
    server_time = serializers.FloatField()


class ChallengeAnswerSerializer(serializers.Serializer):
    """Answer to a "still there?" challenge."""

    token = serializers.CharField()
    challenge_id = serializers.CharField()
    code = serializers.CharField(help_text="The digits shown in the challenge's image.")


class ChallengeAnswerResponseSerializer(serializers.Serializer):
    """Challenge cleared."""

    answered = serializers.BooleanField()


class ErrorSerializer(serializers.Serializer):
    """A 4xx: a stable code and a human-readable detail."""

    error = serializers.CharField()
    detail = serializers.CharField()


class DaySecondsSerializer(serializers.Serializer):
    """Seconds on one China day."""

    day = serializers.DateField()
    seconds = serializers.IntegerField()


class BlockSecondsSerializer(serializers.Serializer):
    """Seconds in one block over the period."""

    usage_id = serializers.CharField()
    seconds = serializers.IntegerField()


class SummarySerializer(serializers.Serializer):
    """The learner's own credited study time in a course."""

    user_id = serializers.IntegerField()
    course_id = serializers.CharField()
    period = serializers.ChoiceField(choices=["day", "week", "month"])
    start = serializers.DateField()
    end = serializers.DateField()
    total_seconds = serializers.IntegerField()
    days = DaySecondsSerializer(many=True)
    blocks = BlockSecondsSerializer(many=True)
