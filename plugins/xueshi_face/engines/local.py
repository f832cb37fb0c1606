"""The offline engine: dlib's HOG face detector and ResNet face descriptor.

The model files come from the ``face_recognition_models`` package on PyPI (no network, no GPU).

Score = 100 x (1 - Euclidean distance of the two 128-d descriptors). dlib's model separates people at
distance 0.6 (99.38 % on LFW), so the default threshold is 40. Liveness: the 68-point landmarks give
a yaw ratio per frame (nose tip between the jaw corners); the head must turn between frames and
every frame must show the same person.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from .. import images
from ..data import LIVE, NOT_LIVE, Comparison, FaceBox, Liveness, head_turn
from .base import EngineError, FaceEngine, NoFace

SAME_PERSON_DISTANCE = 0.6
MODEL_FILES = {
    "landmarks5": "shape_predictor_5_face_landmarks.dat",
    "landmarks68": "shape_predictor_68_face_landmarks.dat",
    "descriptor": "dlib_face_recognition_resnet_model_v1.dat",
}


def model_dir() -> Path:
    """Folder of the model files, found without importing ``face_recognition_models``.

    Its ``__init__`` imports ``pkg_resources``, which recent setuptools no longer provides.
    """
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise EngineError("models_missing", "face_recognition_models is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


class LocalEngine(FaceEngine):
    """dlib on the LMS host; models load once per process, on first use."""

    name = "local"
    default_threshold = round(100 * (1 - SAME_PERSON_DISTANCE), 1)

    def __init__(self) -> None:
        self._lock = threading.Lock()

    @cached_property
    def _models(self) -> dict[str, Any]:
        import dlib

        base = model_dir()
        return {
            "detector": dlib.get_frontal_face_detector(),
            "landmarks5": dlib.shape_predictor(str(base / MODEL_FILES["landmarks5"])),
            "landmarks68": dlib.shape_predictor(str(base / MODEL_FILES["landmarks68"])),
            "descriptor": dlib.face_recognition_model_v1(str(base / MODEL_FILES["descriptor"])),
        }

    def _boxes(self, array: Any) -> list[Any]:
        rects = list(self._models["detector"](array, 1))
        return sorted(rects, key=lambda r: r.width() * r.height(), reverse=True)

    def detect(self, image: bytes) -> list[FaceBox]:
        """Faces in the image, largest first, in the coordinates of the working copy (<= 800 px)."""
        array = images.to_rgb_array(image)
        with self._lock:
            rects = self._boxes(array)
        return [FaceBox(r.left(), r.top(), r.width(), r.height()) for r in rects]

    def descriptor(self, image: bytes) -> Any:
        """128-d descriptor of the largest face (the template stored, encrypted, at enrolment)."""
        import numpy

        array = images.to_rgb_array(image)
        with self._lock:
            rects = self._boxes(array)
            if not rects:
                raise NoFace("no_face", "no face found in the image")
            shape = self._models["landmarks5"](array, rects[0])
            values = self._models["descriptor"].compute_face_descriptor(array, shape, 1)
        return numpy.array(values, dtype=numpy.float64)

    def score(self, enrolled: Any, probe: Any) -> float:
        """Similarity of two descriptors on a 0-100 scale."""
        import numpy

        distance = float(numpy.linalg.norm(enrolled - probe))
        return round(max(0.0, 1.0 - distance) * 100, 2)

    def compare(self, enrolled: bytes, probe: bytes) -> Comparison:
        """Score the largest face of each image."""
        return Comparison(self.score(self.descriptor(enrolled), self.descriptor(probe)), self.name)

    def compare_template(self, template: bytes, probe: bytes) -> Comparison:
        """Score a probe against a stored descriptor (float64 bytes), without decoding the photo again."""
        import numpy

        enrolled = numpy.frombuffer(template, dtype=numpy.float64)
        return Comparison(self.score(enrolled, self.descriptor(probe)), self.name)

    def yaw(self, image: bytes) -> float | None:
        """Yaw ratio of the largest face: where the nose tip sits between the jaw corners, minus 0.5."""
        array = images.to_rgb_array(image)
        with self._lock:
            rects = self._boxes(array)
            if not rects:
                return None
            shape = self._models["landmarks68"](array, rects[0])
        left, right, nose = shape.part(0).x, shape.part(16).x, shape.part(30).x
        return (nose - left) / max(1, right - left) - 0.5

    def liveness(self, frames: Sequence[bytes], min_turn: float) -> Liveness:
        """A head turn across the frames, all of one person."""
        result = head_turn([self.yaw(frame) for frame in frames], min_turn)
        if result.result != LIVE:
            return result
        try:
            first = self.descriptor(frames[0])
            for frame in frames[1:]:
                if self.score(first, self.descriptor(frame)) < self.default_threshold:
                    return Liveness(NOT_LIVE, result.measure, "the frames show different people")
        except NoFace:
            pass  # a frame without a face was already ignored for the turn; it does not swap a person in
        return result
