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
    """Look an edx-val video up; return ``{"urls": {profile: url}, "duration": seconds}`` or None.

    Wraps ``edxval.api.get_video_info`` and ``edxval.api.get_urls_for_profiles`` (edx-val as
    pinned by Verawood), the calls the platform video block makes for ``edx_video_id``.
    Unknown ids give None, never an exception, so a bad id shows "no source" instead of a 500.
    """
    from edxval import api as edxval_api

    try:
        info = edxval_api.get_video_info(edx_video_id)
    except edxval_api.ValVideoNotFoundError:
        return None
    urls = edxval_api.get_urls_for_profiles(edx_video_id, VAL_PROFILES)
    return {"urls": {k: v for k, v in urls.items() if v}, "duration": float(info.get("duration") or 0)}


@platform_function
def read_course_media(url: str) -> bytes | None:
    """Read a course file (``/asset-v1:…`` or ``/static/…`` URL) as bytes; None when it is not one.

    Wraps ``xmodule.contentstore.django.contentstore().find`` with
    ``StaticContent.get_location_from_path`` (``xmodule/contentstore/content.py``), as the
    platform's ``transcripts_utils`` does to read uploaded transcripts.
    """
    from xmodule.contentstore.content import StaticContent
    from xmodule.contentstore.django import contentstore
    from xmodule.exceptions import NotFoundError

    if not url.startswith("/asset-v1:"):
        return None
    try:
        content = contentstore().find(StaticContent.get_location_from_path(url.split("?")[0]))
    except (NotFoundError, ValueError):
        return None
    return bytes(content.data)
