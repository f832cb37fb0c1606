"""Face engines behind one interface (:class:`~xueshi_face.engines.base.FaceEngine`).

The ``XUESHI_FACE_ENGINE`` setting chooses one (a short name or a dotted path).
"""

from __future__ import annotations

from functools import lru_cache

from django.utils.module_loading import import_string

from .. import conf
from .base import EngineError, FaceEngine, NoFace

__all__ = ["EngineError", "FaceEngine", "NoFace", "get_engine"]


@lru_cache(maxsize=8)
def _engine(path: str) -> FaceEngine:
    engine = import_string(path)()
    if not isinstance(engine, FaceEngine):
        raise TypeError(f"{path} is not a FaceEngine")
    return engine


def get_engine(path: str | None = None) -> FaceEngine:
    """The configured engine (one instance per process: models and SDK clients load once)."""
    return _engine(path or conf.engine_path())
