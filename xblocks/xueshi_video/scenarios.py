"""Demo units for the sandbox course (``workbench_scenarios``): three lessons, one served as HLS.

Every field is an attribute (lists as JSON) so the same OLX works with ``parse_xml`` and with
the platform's ``create_child(fields=...)``. ``{media}`` becomes the demo media URL; the files
are made by ``sandbox/demo_media.py``.
"""

from __future__ import annotations

import json
from xml.sax.saxutils import quoteattr


def _olx(url_name: str, title: str, sources: str, duration: int, stem: str) -> str:
    tracks = [("zh-cn", f"{{media}}/{stem}.zh.vtt"), ("en", f"{{media}}/{stem}.en.vtt")]
    captions = json.dumps([{"lang": lang, "url": url} for lang, url in tracks])
    return (
        f"<xueshi_video url_name={quoteattr(url_name)} display_name={quoteattr(title)}"
        f' sources={quoteattr(sources)} duration="{duration}" captions={quoteattr(captions)}/>'
    )


SCENARIOS: tuple[tuple[str, str], ...] = (
    (
        "第一课：安全生产法概述",
        _olx("video_lesson1", "第一课：安全生产法概述", '["{media}/lesson1.mp4"]', 120, "lesson1"),
    ),
    (
        "第二课：危险化学品管理（HLS）",
        _olx("video_lesson2", "第二课：危险化学品管理", '["{media}/lesson2/index.m3u8"]', 150, "lesson2"),
    ),
    (
        "第三课：应急预案与演练",
        _olx("video_lesson3", "第三课：应急预案与演练", '["{media}/lesson3.webm"]', 90, "lesson3"),
    ),
)
