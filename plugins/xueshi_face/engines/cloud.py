"""What the two cloud engines share.

Credentials from settings, JPEG re-encoding, base64 payloads, and local detection and liveness
(neither cloud's compare API takes several frames; their liveness products need their own mobile
SDKs).
"""

from __future__ import annotations

import base64
import json
from abc import abstractmethod
from collections.abc import Sequence
from typing import Any

from .. import conf, images
from ..data import FaceBox, Liveness
from .base import EngineError, FaceEngine


class CloudEngine(FaceEngine):
    """Base of engines that call a vendor's API through its official SDK."""

    #: Keys required in the engine's settings dict.
    required: tuple[str, ...] = ()

    _client_key: str = ""
    _client_value: Any = None

    @abstractmethod
    def build_client(self, options: dict[str, Any]) -> Any:
        """The vendor SDK's client for these options (each vendor's engine builds its own)."""

    @property
    def client(self) -> Any:
        """The SDK client, rebuilt when the engine's settings change (one per process otherwise)."""
        options = self.options()
        key = json.dumps(options, sort_keys=True, default=str)
        if key != self._client_key:
            self._client_value, self._client_key = self.build_client(options), key
        return self._client_value

    def options(self) -> dict[str, Any]:
        """The engine's settings (``XUESHI_FACE_TENCENT`` / ``XUESHI_FACE_ALIYUN``), checked."""
        options = conf.engine_options(self.name)
        missing = [key for key in self.required if not options.get(key)]
        if missing:
            raise EngineError("not_configured", f"{self.name} face engine needs {', '.join(missing)}")
        return options

    @staticmethod
    def payload(image: bytes) -> str:
        """The image as the APIs want it: a JPEG of at most 800 px, base64."""
        return base64.b64encode(images.to_jpeg(image)).decode("ascii")

    @staticmethod
    def _local() -> FaceEngine:
        from . import get_engine

        return get_engine("xueshi_face.engines.local.LocalEngine")

    def detect(self, image: bytes) -> list[FaceBox]:
        """Counting faces at enrolment runs locally: it needs no vendor call and sends no photo out."""
        return self._local().detect(image)

    def liveness(self, frames: Sequence[bytes], min_turn: float, poses: Sequence[str] = ()) -> Liveness:
        """The local head-turn step (landmarks on the LMS host) stands in for the vendors' SDK-only ones."""
        return self._local().liveness(frames, min_turn, poses)
