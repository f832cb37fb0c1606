"""The only module of ``xueshi_video`` that imports edx-platform, always lazily inside a function.

Each function names the platform code it wraps and the release it was checked against
(Verawood, ``release/verawood.1``). The sandbox and tests supply stand-ins of the same names
through ``settings.XUESHI_PLATFORM_SHIM`` (see ``xueshi_core.shim`` and ``sandbox/platform.py``).
"""

from __future__ import annotations

from typing import Any

from xueshi_core.shim import platform_function

#: edx-val profiles the block can play, best first (``xmodule/video_block/video_block.py``).
VAL_PROFILES = ["hls", "desktop_mp4", "desktop_webm", "mobile_high", "mobile_low"]


@platform_function
def resolve_val_video(edx_video_id: str) -> dict[str, Any] | None:
    """Look an edx-val video up; ``{"urls": {profile: url}, "duration": s, "transcripts": [lang]}`` or None.

    Wraps ``edxval.api.get_video_info``, ``get_urls_for_profiles`` and
    ``get_available_transcript_languages`` (edx-val as pinned by Verawood), the calls the platform
    video block makes for ``edx_video_id``. Unknown ids give None, never an exception, so a bad id
    shows "no source" instead of a 500.
    """
    from edxval import api as edxval_api

    try:
        info = edxval_api.get_video_info(edx_video_id)
    except edxval_api.ValVideoNotFoundError:
        return None
    urls = edxval_api.get_urls_for_profiles(edx_video_id, VAL_PROFILES)
    return {
        "urls": {k: v for k, v in urls.items() if v},
        "duration": float(info.get("duration") or 0),
        "transcripts": sorted(edxval_api.get_available_transcript_languages(edx_video_id)),
    }


@platform_function
def read_val_transcript(edx_video_id: str, language: str) -> tuple[str, bytes] | None:
    """An edx-val transcript as ``(file_format, content)`` (``"srt"`` or ``"sjson"``); None if absent.

    Wraps ``edxval.api.get_video_transcript`` (its format) and ``get_video_transcript_data`` (the
    file from the transcript storage), as the platform's ``get_transcript_from_val`` does.
    """
    from edxval import api as edxval_api

    found = edxval_api.get_video_transcript(edx_video_id, language)
    data = edxval_api.get_video_transcript_data(edx_video_id, language) if found else None
    if not found or not data:
        return None
    content = data["content"]
    return str(found["file_format"]), content.encode("utf-8") if isinstance(content, str) else bytes(content)


@platform_function
def read_course_media(url: str, course_key: str) -> bytes | None:
    """Read a course file as bytes: an ``/asset-v1:…`` URL or a ``/static/…`` path of ``course_key``.

    Wraps ``xmodule.contentstore.django.contentstore().find`` (``xmodule/contentstore/content.py``):
    ``/asset-v1:`` URLs through ``StaticContent.get_location_from_path``, ``/static/name`` paths
    through ``StaticContent.get_asset_key_from_path(course_key, path)``, as the platform's
    ``static_replace`` and ``transcripts_utils`` resolve them. None for any other URL or a
    missing file.
    """
    from opaque_keys import InvalidKeyError
    from opaque_keys.edx.keys import CourseKey
    from xmodule.contentstore.content import StaticContent
    from xmodule.contentstore.django import contentstore
    from xmodule.exceptions import NotFoundError

    path = url.split("?")[0]
    try:
        if path.startswith("/asset-v1:"):
            location = StaticContent.get_location_from_path(path)
        elif path.startswith("/static/") and len(path) > len("/static/"):
            location = StaticContent.get_asset_key_from_path(CourseKey.from_string(course_key), path)
        else:
            return None
        content = contentstore().find(location)
    except (NotFoundError, ValueError, InvalidKeyError):
        return None
    return bytes(content.data)
