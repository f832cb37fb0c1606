"""Common settings for ``xueshi_face`` (platform ``add_plugins(..., SettingsType.COMMON)``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

PURGE_TASK = "xueshi_face.tasks.purge_check_images"
MIDDLEWARE = "xueshi_face.middleware.FaceSignInMiddleware"


def plugin_settings(settings: Any) -> None:
    """Defaults; operators override them in production settings (``ENV_TOKENS``) or Tutor patches."""
    # "local" (dlib, offline), "tencent", "aliyun", or a dotted path to a FaceEngine subclass.
    settings.XUESHI_FACE_ENGINE = "local"
    # Per-engine score thresholds overriding each engine's vendor-advised default.
    settings.XUESHI_FACE_THRESHOLDS = {}
    settings.XUESHI_FACE_TENCENT = {}
    settings.XUESHI_FACE_ALIYUN = {}
    settings.XUESHI_FACE_LIVENESS = "head_turn"
    settings.XUESHI_FACE_MIN_HEAD_TURN = 0.12
    settings.XUESHI_FACE_CHECK_AT_SIGNIN = False
    # Mean minutes of study between random checks for courses without their own rate (0 = none).
    settings.XUESHI_FACE_STUDY_CHECK_MINUTES = 0
    settings.XUESHI_FACE_MIN_CHECK_GAP_SECONDS = 60
    settings.XUESHI_FACE_MAX_IMAGE_BYTES = 2 * 1024 * 1024
    settings.XUESHI_FACE_IMAGE_RETENTION_DAYS = 30
    settings.XUESHI_FACE_MAX_CHECKS_PER_HOUR = 30
    middleware = list(getattr(settings, "MIDDLEWARE", None) or [])
    if MIDDLEWARE not in middleware:
        # After authentication and sessions; plugin settings run after the platform's list is built.
        middleware.append(MIDDLEWARE)
    settings.MIDDLEWARE = middleware
    schedule = getattr(settings, "CELERYBEAT_SCHEDULE", None)
    if schedule is None:
        schedule = settings.CELERYBEAT_SCHEDULE = {}
    schedule["xueshi-face-purge-check-images"] = {"task": PURGE_TASK, "schedule": timedelta(hours=1)}
