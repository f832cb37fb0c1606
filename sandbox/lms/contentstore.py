"""The sandbox's contentstore: course assets (Studio's "Files & Uploads") as files on disk.

In the LMS, ``xmodule.contentstore`` keeps assets in MongoDB GridFS under an asset key
``asset-v1:Org+Course+Run+type@asset+block@name`` and serves them at ``/asset-v1:…``; a course
refers to them as ``/static/name``. Here each asset is a file under
``MEDIA_ROOT/contentstore/<course key>/<name>``, found from either form by the same key rules
(``StaticContent.get_asset_key_from_path``, ``compute_location``: a ``/`` in the name becomes ``_``).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import AssetKey, CourseKey


def asset_key(path: str, course_key: str) -> AssetKey:
    """The asset key of a ``/static/…`` path in ``course_key`` or of an ``/asset-v1:…`` URL."""
    path = path.split("?")[0]
    if path.startswith("/static/"):
        path = path[len("/static/") :]
    path = path.lstrip("/")
    try:
        return AssetKey.from_string(path)
    except InvalidKeyError:
        return CourseKey.from_string(course_key).make_asset_key("asset", path.replace("/", "_"))


def _file(key: AssetKey) -> Path | None:
    root = (Path(settings.MEDIA_ROOT) / "contentstore").resolve()
    file = (root / str(key.course_key) / key.block_id).resolve()
    return file if file.is_relative_to(root) and file.parent != root else None


def read(path: str, course_key: str) -> bytes | None:
    """An asset's bytes; None when the path names no asset of the sandbox's store."""
    try:
        file = _file(asset_key(path, course_key))
    except (InvalidKeyError, ValueError):
        return None
    return file.read_bytes() if file is not None and file.is_file() else None


def save(course_key: str, name: str, data: bytes) -> str:
    """Store an asset (Studio's upload); return its ``/asset-v1:…`` URL."""
    key = CourseKey.from_string(course_key).make_asset_key("asset", name.replace("/", "_"))
    file = _file(key)
    if file is None:
        raise ValueError(f"bad asset name {name!r}")
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(data)
    return f"/{key}"
