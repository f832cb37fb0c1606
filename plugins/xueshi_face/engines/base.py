"""The one interface every face engine implements: detect faces, compare two faces, judge liveness."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from ..data import SKIPPED, Comparison, FaceBox, Liveness


class EngineError(RuntimeError):
    """The engine could not answer (service unreachable, refused credentials, bad reply)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class NoFace(EngineError):
    """No face (or not exactly one where one is required) in an image."""


class FaceEngine(ABC):
    """Detect, compare (score on the engine's own scale, with its recommended threshold), liveness."""

    #: Stored on every check: which engine scored it.
    name: str = ""
    #: Score at or above which the engine's vendor says two faces are one person (operators may
    #: override it per engine with ``XUESHI_FACE_THRESHOLDS``).
    default_threshold: float = 0.0

    @abstractmethod
    def detect(self, image: bytes) -> list[FaceBox]:
        """Faces found in ``image`` (largest first)."""

    @abstractmethod
    def compare(self, enrolled: bytes, probe: bytes) -> Comparison:
        """Similarity of the largest face in each image.

        Raises:
            NoFace: either image has no face.
            EngineError: the engine could not answer.
        """

    def liveness(self, frames: Sequence[bytes], min_turn: float, poses: Sequence[str] = ()) -> Liveness:
        """Liveness from several frames (one per requested pose, when ``poses`` are given).

        Engines without a liveness step say so.
        """
        return Liveness(SKIPPED, None, f"{self.name} has no liveness step")
