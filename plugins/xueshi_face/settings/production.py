"""Production settings for ``xueshi_face``: values from the platform's YAML (``ENV_TOKENS``)."""

from __future__ import annotations

from typing import Any

_KEYS = (
    "ENGINE",
    "THRESHOLDS",
    "TENCENT",
    "ALIYUN",
    "LIVENESS",
    "MIN_HEAD_TURN",
    "CHECK_AT_SIGNIN",
    "STUDY_CHECK_MINUTES",
    "MIN_CHECK_GAP_SECONDS",
    "MAX_IMAGE_BYTES",
    "IMAGE_RETENTION_DAYS",
    "MAX_CHECKS_PER_HOUR",
    "PENDING_ENROLMENT",
)


def plugin_settings(settings: Any) -> None:
    """Take each ``XUESHI_FACE_*`` the operator put in ``lms.env.yml``."""
    env_tokens = getattr(settings, "ENV_TOKENS", {}) or {}
    for key in _KEYS:
        name = f"XUESHI_FACE_{key}"
        if name in env_tokens:
            setattr(settings, name, env_tokens[name])
