"""The offline engine: dlib's HOG face detector and ResNet face descriptor.

The model files come from the ``face_recognition_models`` package on PyPI (no network, no GPU).

Score = 100 x (1 - Euclidean distance of the two 128-d descriptors). dlib's model separates people at
distance 0.6 (99.38 % on LFW), so the default threshold is 40. Liveness: the 68-point landmarks give
a yaw ratio per frame (nose tip between the jaw corners); the head must turn between frames and
every frame must show the same person.
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from .. import images
from ..data import LIVE, NOT_LIVE, Comparison, FaceBox, Liveness, follows_poses, head_turn
from .base import EngineError, FaceEngine, NoFace

SAME_PERSON_DISTANCE = 0.6
#: Analyses kept per process: the frames of the check in progress (keyed by their SHA-256).
RECENT = 8
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


@dataclass(frozen=True)
class Analysis:
    """What one image yields: the largest face's descriptor and yaw ratio (``None`` without a face)."""

    descriptor: Any
    yaw: float | None


class LocalEngine(FaceEngine):
    """dlib on the LMS host; models load once per process, on first use."""

    name = "local"
    default_threshold = round(100 * (1 - SAME_PERSON_DISTANCE), 1)

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._recent: dict[bytes, Analysis] = {}

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

    def _boxes(self, array: Any, upsample: int = 1) -> list[Any]:
        rects = list(self._models["detector"](array, upsample))
        return sorted(rects, key=lambda r: r.width() * r.height(), reverse=True)

    def detect(self, image: bytes) -> list[FaceBox]:
        """Faces in the image, largest first, in the coordinates of the working copy (<= 800 px).

        Always with one upsampling step, so a small second face in a group photo is not missed.
        """
        array = images.to_rgb_array(image)
        with self._lock:
            rects = self._boxes(array)
        return [FaceBox(r.left(), r.top(), r.width(), r.height()) for r in rects]

    def analyse(self, image: bytes) -> Analysis:
        """Descriptor and yaw of the largest face, computed once per image (a check reuses them).

        Camera frames hold one large face, so the detector first runs without upsampling (4x
        cheaper) and upsamples only when that finds nothing.
        """
        key = hashlib.sha256(image).digest()
        cached = self._recent.get(key)
        if cached is not None:
            return cached
        import numpy

        array = images.to_rgb_array(image)
        with self._lock:
            rects = self._boxes(array, 0) or self._boxes(array, 1)
            if not rects:
                result = Analysis(None, None)
            else:
                shape5 = self._models["landmarks5"](array, rects[0])
                values = self._models["descriptor"].compute_face_descriptor(array, shape5, 1)
                shape = self._models["landmarks68"](array, rects[0])
                left, right, nose = shape.part(0).x, shape.part(16).x, shape.part(30).x
                yaw = (nose - left) / max(1, right - left) - 0.5
                result = Analysis(numpy.array(values, dtype=numpy.float64), yaw)
            self._recent[key] = result
            while len(self._recent) > RECENT:
                self._recent.pop(next(iter(self._recent)))
        return result

    def descriptor(self, image: bytes) -> Any:
        """128-d descriptor of the largest face (the template stored, encrypted, at enrolment)."""
        found = self.analyse(image).descriptor
        if found is None:
            raise NoFace("no_face", "no face found in the image")
        return found

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
        return self.analyse(image).yaw

    def liveness(self, frames: Sequence[bytes], min_turn: float, poses: Sequence[str] = ()) -> Liveness:
        """The requested poses in order (else any head turn) across the frames, all of one person."""
        found = [self.analyse(frame) for frame in frames]
        yaws = [f.yaw for f in found]
        result = follows_poses(poses, yaws, min_turn) if poses else head_turn(yaws, min_turn)
        if result.result != LIVE:
            return result
        faces = [f.descriptor for f in found if f.descriptor is not None]
        if any(self.score(faces[0], other) < self.default_threshold for other in faces[1:]):
            return Liveness(NOT_LIVE, result.measure, "the frames show different people")
        return result
