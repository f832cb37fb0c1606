"""Fragments of the ``xueshi_live`` block: the live page, the recording's player, the Studio editor.

The recording is shown by the video block's own renderer (``xueshi_video.render``): the same
template, bundle and handlers, so a replay is exactly a guarded video (ADR 0353).
"""

from __future__ import annotations

import time
from typing import Any

from web_fragments.fragment import Fragment
from xblock.utils.resources import ResourceLoader

from xueshi_core.xblock_i18n import add_js_catalog
from xueshi_video import render as video_render

from . import schedule

loader = ResourceLoader(__name__)
LIVE_JS = "public/js/dist/live.js"


def _(text: str) -> str:
    """Mark a string for extraction; ``_strings`` translates it with the block's catalog."""
    return text


STRINGS = {
    "on_air": _("On air"),
    "join": _("Join the live lesson"),
    "no_stream": _("This live lesson has no stream yet; ask the course team."),
    "rules": _(
        "Attendance counts only while the broadcast is on air, the page is visible and you confirm "
        "you are there when asked; one device at a time."
    ),
    "still_here": _("Are you still studying?"),
    "confirm": _("Yes, continue"),
    "code_picture": _("Picture of the code to type"),
    "code_label": _("Code shown in the picture"),
    "sign_in": _("Sign in to join this live lesson."),
    "sign_in_link": _("Sign in"),
}
#: The handlers the live page's script calls (the H5 page has no runtime to name them).
H5_HANDLERS = ("open_live", "live_progress", "live_status")
STUDIO_STRINGS = {
    "title": _("Title"),
    "stream": _("Stream name"),
    "stream_help": _("Letters, digits, '_' or '-'; the teacher's encoder pushes to this stream."),
    "starts": _("Starts at (China time)"),
    "ends": _("Ends at (China time)"),
    "attendance": _("Attendance needed for completion (share of the on-air time, 0.1 to 1)"),
    "anti_idle": _("Ask 'Are you still studying?' every (minutes, 0 = off)"),
    "recording": _("Recording (a video of the course library)"),
    "recording_auto": _("Automatic: the recording the provider sends after the broadcast"),
    "push": _("Push address for the teacher's encoder (OBS: server and stream key)"),
    "push_off": _("Live lessons are not configured on this site (XUESHI_LIVE_PROVIDER)."),
    "save": _("Save"),
    "cancel": _("Cancel"),
    "saved": _("Saved."),
    "save_failed": _("Saving failed: {reason}"),
}


def _strings(block: Any, strings: dict[str, str]) -> dict[str, str]:
    return {key: block.ugettext(text) for key, text in strings.items()}


def status(block: Any, state: Any, now: float) -> dict[str, Any]:
    """What the page needs to show the phase: times by the server clock (the page's may be wrong)."""
    if state is None:
        return {"phase": "none", "server_time": now}
    return {
        "phase": "replay" if block.replaying(state) else state.phase,
        "starts_at": state.starts_at,
        "ends_at": state.ends_at,
        "on_air": bool(state.on_air and state.on_air[-1][1] is None),
        "aired_seconds": round(state.aired_seconds(now)),
        "server_time": now,
    }


def _live_page(block: Any, state: Any, public: bool) -> tuple[str, dict[str, Any], dict[str, str]]:
    """The live page's markup, its script's arguments and the strings: one for the LMS and H5."""
    t = _strings(block, STRINGS)
    args = {
        "block_id": str(block.scope_ids.usage_id),
        "status": status(block, state, time.time()),
        "public": public,
        "heartbeat_seconds": block.heartbeat_seconds(),
    }
    starts = schedule.china_text(state.starts_at).replace("T", " ") if state is not None else ""
    modal = video_render.modal_html(args["block_id"], t)
    context = {
        "title": block.display_name,
        "t": t,
        "starts": starts,
        "state": state,
        "args": args,
        "modal": modal,
    }
    return loader.render_django_template("templates/live.html", context), args, t


def live_fragment(block: Any, state: Any, public: bool = False) -> Fragment:
    """The live page: countdown, waiting, the live player, or "over"."""
    html, args, _t = _live_page(block, state, public)
    frag = Fragment(html)
    frag.add_css_url(block.runtime.local_resource_url(block, "public/css/live.css"))
    add_js_catalog(block, frag)
    frag.add_javascript_url(block.runtime.local_resource_url(block, LIVE_JS))
    frag.initialize_js("XueshiLiveBlock", args)
    return frag


def live_h5(block: Any, state: Any, signed_in: bool) -> Any:
    """The live page as a complete mobile (H5) page, for phone browsers, WeChat and the apps' webview.

    The video block's H5 document around the live page; its script boots from the page's JSON
    with ``client: "h5"`` (ADR 0357).
    """
    html, args, t = _live_page(block, state, public=False)
    handlers = {name: block.runtime.handler_url(block, name) for name in H5_HANDLERS}
    page = video_render.H5Page(html, "public/css/live.css", LIVE_JS, handlers, {**args, "client": "h5"}, t)
    return video_render.h5_document(block, signed_in, page)


def recording_h5(block: Any, signed_in: bool) -> Any:
    """After the lesson: the recording's H5 page, the video block's own."""
    return video_render.h5_page(block, signed_in)


def recording_fragment(block: Any) -> Fragment:
    """The recording as the video block shows any library video (its player, rules and handlers)."""
    return video_render.student_fragment(block)


def studio_fragment(block: Any, state: Any) -> Fragment:
    """The author's editor, with the teacher's push URL when a provider is configured."""
    from xueshi_livestream import api as live

    push = ""
    if live.enabled() and state is not None:
        push = live.push_url(state.stream, state.ends_at)
    values = {
        "display_name": block.display_name,
        "stream_name": block.stream_name,
        "starts_at": block.starts_at,
        "ends_at": block.ends_at,
        "attendance_required": block.attendance_required,
        "anti_idle_minutes": block.anti_idle_minutes,
        "media_asset": block.media_asset,
    }
    context = {
        "values": values,
        "t": _strings(block, STUDIO_STRINGS),
        "push": push,
        "live_enabled": live.enabled(),
        **video_render.library_choices(block),
    }
    frag = Fragment(loader.render_django_template("templates/studio.html", context))
    frag.add_javascript(loader.load_unicode("public/js/studio.js"))
    frag.initialize_js("XueshiLiveStudio", {})
    return frag
