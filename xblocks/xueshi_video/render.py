"""Fragments and pages of the ``xueshi_video`` block: learner player, Studio editor, H5 page.

Kept apart from ``block.py`` so the block stays a list of fields and thin handlers. Templates
are Django templates rendered with the block's own i18n service (``{% trans %}`` uses the
``text`` catalog); JS strings come from the block's compiled ``djangojs`` catalog (ADR 0081).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.utils import translation
from web_fragments.fragment import Fragment
from webob import Response
from xblock.utils.resources import ResourceLoader

from xueshi_core.xblock_i18n import add_js_catalog, js_catalog_url

from . import logic

loader = ResourceLoader(__name__)
PLAYER_JS = "public/js/dist/player.js"
STUDIO_JS = "public/js/dist/studio.js"
HANDLERS = (
    "open_session",
    "sync_progress",
    "track_event",
    "transcript",
    "checkpoint_question",
    "answer_checkpoint",
)
LANGUAGE_LABELS = {"zh": "中文", "zh-cn": "中文", "zh-hans": "中文", "en": "English", "en-us": "English"}
_PROFILE_FOR_TYPE = {"application/x-mpegURL": "hls", "video/webm": "desktop_webm", "video/mp4": "desktop_mp4"}


def js_catalog_locale() -> str | None:
    """The H5 page's language: Chinese for any ``zh`` variant, else English (the source)."""
    language = (translation.get_language() or "").lower()
    return "zh_CN" if language.startswith("zh") else None


def encoded_videos(media: list[dict[str, str]]) -> dict[str, dict[str, Any]]:
    """Describe sources with the platform video block's ``encoded_videos`` keys (what the apps read)."""
    encoded: dict[str, dict[str, Any]] = {}
    for item in media:
        profile = item.get("profile") or _PROFILE_FOR_TYPE.get(item["type"], "fallback")
        encoded.setdefault(profile, {"url": item["url"], "file_size": 0})
    if media and "fallback" not in encoded:
        progressive = [m for m in media if m["type"] != "application/x-mpegURL"]
        encoded["fallback"] = {"url": (progressive or media)[0]["url"], "file_size": 0}
    return encoded


def _(text: str) -> str:
    """Mark a string for extraction; ``_strings`` translates it with the block's catalog."""
    return text


#: Labels of the server-rendered markup (the JS catalog covers what the player writes later).
PLAYER_STRINGS = {
    "play": _("Play"),
    "position": _("Video position"),
    "controls": _("Video controls"),
    "rate": _("Playback rate"),
    "captions": _("Captions"),
    "transcript": _("Transcript"),
    "download": _("Download transcript"),
    "fullscreen": _("Full screen"),
    "still_here": _("Are you still studying?"),
    "confirm": _("Yes, continue"),
    "code_picture": _("Picture of the code to type"),
    "code_label": _("Code shown in the picture"),
    "loading": _("Loading your progress…"),
    "no_source": _("This video has no playable source yet."),
    "sign_in": _("Sign in to study this video."),
    "sign_in_link": _("Sign in"),
    "rules": _(
        "Study time is counted by the server while the video plays in a visible page; "
        "you can only skip to parts you have already watched."
    ),
}
STUDIO_STRINGS = {
    "title": _("Title"),
    "library": _("Video from the course library"),
    "library_none": _("None (use the URLs below)"),
    "library_help": _(
        "Upload videos in the course's video library: the streaming ladder, poster and captions are "
        "made for you, and the duration is measured from the file."
    ),
    "library_open": _("Open the video library"),
    "library_pending": _("(not ready yet)"),
    "sources": _("Video URLs"),
    "sources_help": _("One per line: MP4, WebM or HLS (.m3u8). The first one the browser can play is used."),
    "val": _("Video ID (edx-val, optional)"),
    "duration": _("Duration (seconds)"),
    "duration_help": _("Detected from the media in the preview below; you may correct it."),
    "detect": _("Detect from media"),
    "captions": _("Captions (WebVTT)"),
    "captions_help": _(
        "One per line: language code, a space, then the .vtt URL (e.g. zh-cn /static/l1.zh.vtt)."
    ),
    "transcript_download": _("Learners may download the transcript"),
    "coverage": _("Coverage needed for completion (%)"),
    "coverage_help": _("Share of the video the learner must have watched (50 to 100)."),
    "rates": _("Allowed playback rates"),
    "anti_idle": _("Anti-idle interval (minutes, 0 = off)"),
    "anti_idle_help": _(
        "After this many minutes of play the video pauses and asks 'Are you still studying?'."
    ),
    "free_seek": _("Allow free seeking once the learner has completed the video"),
    "preview_unit": _(
        "Preview (试听): anyone may watch it without buying, in a course visible to unenrolled learners"
    ),
    "preview_cap": _("Preview length (minutes)"),
    "preview_cap_help": _(
        "A preview plays only the first minutes of the library video (0 = the whole video, or the "
        "site's limit if shorter). For no preview at all, leave Preview unticked."
    ),
    "weight": _("Grading weight"),
    "preview": _("Preview"),
    "checkpoints": _("Quiz checkpoints"),
    "checkpoints_help": _(
        "The video stops at each checkpoint and the learner must answer (or read a card) to go on; "
        "no study time is counted past a checkpoint until it is passed. Pause the preview and "
        "press the button to add one at that time."
    ),
    "add_here": _("Add checkpoint here"),
    "random": _("Random checkpoints"),
    "random_help": _(
        "Each learner also gets this many checkpoints at their own random times, with questions "
        "drawn from the course's question bank by these tags."
    ),
    "score_checkpoints": _("The score includes checkpoint results (right at the first attempt)"),
    "save": _("Save"),
    "cancel": _("Cancel"),
    # The editor's status line after a save (the JS fills in {reason}).
    "saved": _("Saved."),
    "save_failed": _("Saving failed: {reason}"),
    "unreachable": _("the server could not be reached"),
}


def app_video(block: Any, media: list[dict[str, str]]) -> dict[str, Any]:
    """What a native app's player plays (ADR 0033): title, sources signed for the learner, captions.

    The web player reads the same from its fragment (``student_view_data`` plus signed sources).
    """
    sources = block.signed_sources(media)
    return {
        "title": block.display_name,
        "sources": sources,
        "encoded_videos": encoded_videos(sources),
        "transcripts": {c["lang"]: c["url"] for c in block.all_captions()},
    }


def _strings(block: Any, strings: dict[str, str]) -> dict[str, str]:
    return {key: block.ugettext(text) for key, text in strings.items()}


def modal_html(block_id: str, t: dict[str, str]) -> str:
    """The "still there?" dialog (``challenge.js`` drives it); the live page shows the same one."""
    from django.utils.safestring import mark_safe

    context = {"block_id": block_id, "t": t}
    return mark_safe(loader.render_django_template("templates/modal.html", context))  # noqa: S308 (escaped)


def _player_context(block: Any) -> dict[str, Any]:
    data = block.student_view_data()
    data = {**data, "sources": block.signed_sources(data["sources"])}
    captions = [
        {**c, "label": LANGUAGE_LABELS.get(c["lang"].lower(), c["lang"])} for c in block.all_captions()
    ]
    rates = data["rules"]["allowed_rates"]
    t = _strings(block, PLAYER_STRINGS)
    return {
        "data": data,
        "title": block.display_name,
        "captions": captions,
        "t": t,
        "modal": modal_html(data["block_id"], t),
        "rates": rates if len(rates) > 1 else [],
        "has_source": bool(data["sources"]),
    }


def _add_player_resources(block: Any, frag: Fragment) -> None:
    frag.add_css_url(block.runtime.local_resource_url(block, "public/css/player.css"))
    add_js_catalog(block, frag)
    frag.add_javascript_url(block.runtime.local_resource_url(block, PLAYER_JS))


def student_fragment(block: Any) -> Fragment:
    """The learner's player; ``student_view_data()`` is its JS init payload."""
    context = _player_context(block)
    html = loader.render_django_template("templates/player.html", context)
    frag = Fragment(html)
    _add_player_resources(block, frag)
    frag.initialize_js("XueshiVideoBlock", context["data"])
    return frag


def library_choices(block: Any) -> dict[str, Any]:
    """The course's library videos for the editor's picker, and the library page's address."""
    from xueshi_media import api as media_api

    course_key = block.scope_ids.usage_id.course_key
    videos = [
        {"id": v.asset_id, "title": v.title, "state": v.state, "duration": round(v.duration)}
        for v in media_api.course_videos(course_key)
    ]
    return {"library_videos": videos, "library_url": media_api.library_url(course_key)}


def studio_fragment(block: Any) -> Fragment:
    """The author's editor, with a preview that detects the duration from the media."""
    values = {
        "display_name": block.display_name,
        "sources": list(block.sources),
        "edx_video_id": block.edx_video_id,
        "media_asset": block.media_asset,
        "duration": block.duration,
        "captions": list(block.captions),
        "transcript_download": block.transcript_download,
        "completion_coverage": block.completion_coverage,
        "allowed_rates": list(block.allowed_rates),
        "anti_idle_minutes": block.anti_idle_minutes,
        "free_seek_after_complete": block.free_seek_after_complete,
        "preview": block.preview,
        "preview_max_seconds": block.preview_max_seconds,
        "weight": block.weight,
        "checkpoints": list(block.checkpoints),
        "random_checkpoints": dict(block.random_checkpoints),
        "score_checkpoints": block.score_checkpoints,
    }
    context = {
        "values": values,
        "sources_text": "\n".join(block.sources),
        "rate_choices": logic.RATE_CHOICES,
        "coverage_percent": round(block.completion_coverage * 100),
        "preview_minutes": round((block.preview_max_seconds or 0) / 60),
        "t": _strings(block, STUDIO_STRINGS),
        "captions_text": "\n".join(f"{c['lang']} {c['url']}" for c in block.captions),
        **library_choices(block),
    }
    html = loader.render_django_template("templates/studio.html", context)
    frag = Fragment(html)
    frag.add_css_url(block.runtime.local_resource_url(block, "public/css/studio.css"))
    add_js_catalog(block, frag)
    frag.add_javascript_url(block.runtime.local_resource_url(block, STUDIO_JS))
    frag.initialize_js("XueshiVideoStudio", {"values": values, "rate_choices": list(logic.RATE_CHOICES)})
    return frag


def h5_page(block: Any, signed_in: bool) -> Response:
    """A complete HTML page for phone browsers and WeChat: the same player under the same rules."""
    handlers = {name: block.runtime.handler_url(block, name) for name in HANDLERS}
    context = _player_context(block)
    player = loader.render_django_template("templates/player.html", context)
    page = H5Page(player, "public/css/player.css", PLAYER_JS, handlers, context["data"], context["t"])
    return h5_document(block, signed_in, page)


@dataclass(frozen=True)
class H5Page:
    """What a block's H5 page holds: markup, stylesheet, script, and what the script boots with.

    There is no XBlock runtime on the page: the handlers' URLs and the script's arguments come in
    its JSON; ``t`` holds the sign-in strings.
    """

    body: str
    css: str
    script: str
    handlers: dict[str, str]
    args: dict[str, Any]
    t: dict[str, str]


def h5_document(block: Any, signed_in: bool, page: H5Page) -> Response:
    """The complete H5 document around ``page`` (also the live block's, ADR 0357); not cached."""
    from django.conf import settings

    resource = block.runtime.local_resource_url
    login = getattr(settings, "LOGIN_URL", "/login")
    html = loader.render_django_template(
        "templates/h5.html",
        {
            "title": block.display_name,
            "player": page.body if signed_in else "",
            "signed_in": signed_in,
            "login_url": f"{login}?next={quote(block.runtime.handler_url(block, 'h5'), safe='/')}",
            "lang": "zh-CN" if js_catalog_locale() else "en",
            "css_url": resource(block, page.css),
            "catalog_url": js_catalog_url(block) or "",
            "player_url": resource(block, page.script),
            "boot": _script_json({"handlers": page.handlers, "args": page.args, "csrf": _csrf_token()}),
            "t": page.t,
        },
    )
    response = Response(html, content_type="text/html", charset="utf-8")
    response.cache_control = "no-store"
    return response


def _script_json(value: Any) -> str:
    """JSON safe to place inside ``<script type="application/json">`` (no ``</script>`` break-out)."""
    return (
        json.dumps(value, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def _csrf_token() -> str:
    """The CSRF token of the current Django request, so the H5 page can POST to handlers.

    Calling ``get_token`` also makes Django's CSRF middleware set the cookie on this response.
    """
    try:
        from crum import get_current_request
        from django.middleware.csrf import get_token
    except ImportError:  # pragma: no cover  (both ship with the LMS and the sandbox)
        return ""
    request = get_current_request()
    return str(get_token(request)) if request is not None else ""
