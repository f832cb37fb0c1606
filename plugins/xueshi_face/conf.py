"""Settings of face checks, read at access time so ``override_settings`` and late plugin settings win."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings

ENGINE_ALIASES = {
    "local": "xueshi_face.engines.local.LocalEngine",
    "tencent": "xueshi_face.engines.tencent.TencentEngine",
    "aliyun": "xueshi_face.engines.aliyun.AliyunEngine",
}
LIVENESS_OFF, LIVENESS_HEAD_TURN = "off", "head_turn"


def _get(name: str, default: Any) -> Any:
    return getattr(settings, f"XUESHI_FACE_{name}", default)


def engine_path() -> str:
    """Dotted path of the engine class; ``local``, ``tencent`` and ``aliyun`` are short names."""
    value = str(_get("ENGINE", "local") or "local")
    return ENGINE_ALIASES.get(value, value)


def threshold(engine_name: str, default: float) -> float:
    """Score at or above which two faces are the same person, per engine (``XUESHI_FACE_THRESHOLDS``)."""
    values = _get("THRESHOLDS", {}) or {}
    return float(values.get(engine_name, default))


def engine_options(engine_name: str) -> dict[str, Any]:
    """Credentials and endpoint of a cloud engine (``XUESHI_FACE_TENCENT`` / ``XUESHI_FACE_ALIYUN``)."""
    return dict(_get(engine_name.upper(), {}) or {})


def liveness_mode() -> str:
    """``head_turn`` (default): one frame per pose of a server challenge; ``off``: one frame.

    With ``head_turn`` the page first asks the server for a random pose sequence (a challenge).
    """
    mode = str(_get("LIVENESS", LIVENESS_HEAD_TURN))
    return mode if mode in (LIVENESS_OFF, LIVENESS_HEAD_TURN) else LIVENESS_HEAD_TURN


def min_head_turn() -> float:
    """Smallest change of the yaw ratio between frames that counts as a head turn."""
    return float(_get("MIN_HEAD_TURN", 0.12))


def challenge_poses() -> int:
    """How many poses a liveness challenge asks for (at least 2, at most ``max_frames()``)."""
    return max(2, min(int(_get("CHALLENGE_POSES", 3)), max_frames()))


def challenge_seconds() -> float:
    """Time from issuing a challenge to receiving its frames, after which the frames are refused."""
    return float(_get("CHALLENGE_SECONDS", 30))


def min_seconds_per_pose() -> float:
    """Frames arriving sooner than this per pose after the challenge were not filmed for it."""
    return float(_get("MIN_SECONDS_PER_POSE", 0.5))


PENDING_HOLD, PENDING_RECORD = "hold", "record"


def pending_enrolment() -> str:
    """What a check does while the registered photo awaits approval (it never passes either way).

    ``hold`` (default): the check is refused with a message and study stays held; ``record``: the
    check runs and is kept as evidence, but fails with reason ``enrolment_pending``.
    """
    value = str(_get("PENDING_ENROLMENT", PENDING_HOLD))
    return value if value in (PENDING_HOLD, PENDING_RECORD) else PENDING_HOLD


def check_at_signin() -> bool:
    """After each sign-in the learner passes a face check before studying (off by default)."""
    return bool(_get("CHECK_AT_SIGNIN", False))


def study_check_minutes() -> float:
    """Mean minutes of study between random checks, for courses without their own rate (0 = none)."""
    return float(_get("STUDY_CHECK_MINUTES", 0))


def min_check_gap_seconds() -> float:
    """A random check never comes sooner than this after a session opens or a check passes."""
    return float(_get("MIN_CHECK_GAP_SECONDS", 60))


def max_image_bytes() -> int:
    """Largest accepted photo or camera frame."""
    return int(_get("MAX_IMAGE_BYTES", 2 * 1024 * 1024))


def max_image_pixels() -> int:
    """Largest accepted image area (width x height): bigger images are refused before decoding."""
    return int(_get("MAX_IMAGE_PIXELS", 4096 * 4096))


def max_frames() -> int:
    """Most frames one check may send."""
    return int(_get("MAX_FRAMES", 3))


def max_checks_per_hour() -> int:
    """Checks one learner may submit per hour (0 = unlimited): stops trying photo after photo."""
    return int(_get("MAX_CHECKS_PER_HOUR", 30))


def image_retention_days() -> int:
    """Days camera frames of checks are kept (encrypted) before the purge task deletes them."""
    return int(_get("IMAGE_RETENTION_DAYS", 30))


def token_max_age_seconds() -> int:
    """Lifetime of the signed context token carried by a hold's check URL."""
    return int(_get("TOKEN_MAX_AGE_SECONDS", 48 * 3600))


def check_url_base() -> str:
    """Path of the check page (the LMS mounts our URLs at ``/xueshi/face/``)."""
    return str(_get("CHECK_URL", "/xueshi/face/check/"))


def now() -> float:
    """Server time, epoch seconds: the study-time ledger's clock, so holds and checks agree in tests."""
    clock = getattr(settings, "XUESHI_STUDYTIME_CLOCK", None)
    if clock is None:
        return time.time()
    if isinstance(clock, str):
        from django.utils.module_loading import import_string

        clock = import_string(clock)
    return float(clock())
