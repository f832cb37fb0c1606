"""Demo units for the sandbox course (``workbench_scenarios``): three lessons, one served as HLS.

Each of the three lessons stops at quiz checkpoints: lesson 1 asks a question written in the block (a wrong
answer rewinds) and shows a knowledge-point card, lesson 2 asks a true-or-false question (try
again), lesson 3 a fill-in-the-blank (record and go on) plus two checkpoints at random times per
learner with questions drawn from the course's bank. Two short units show one rule each within
minutes: playback at 1.25× and 1.5×, and "are you still studying?" after one minute of play.
A second course (``FACE_COURSE_SCENARIOS``) has random face checks on (``xueshi_face.demo``).

Every field is an attribute (lists as JSON) so the same OLX works with ``parse_xml`` and with
the platform's ``create_child(fields=...)``. ``{media}`` becomes the demo media URL; the files
are made by ``sandbox/demo_media.py``.
"""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import quoteattr


def _olx(
    url_name: str,
    title: str,
    sources: str,
    duration: int,
    stem: str,
    checkpoints: list[dict[str, Any]],
    random_checkpoints: dict[str, Any] | None = None,
    **rules: str,
) -> str:
    tracks = [("zh-cn", f"{{media}}/{stem}.zh.vtt"), ("en", f"{{media}}/{stem}.en.vtt")]
    captions = json.dumps([{"lang": lang, "url": url} for lang, url in tracks])
    quiz = f" checkpoints={quoteattr(json.dumps(checkpoints, ensure_ascii=False))}"
    if random_checkpoints:
        quiz += f" random_checkpoints={quoteattr(json.dumps(random_checkpoints, ensure_ascii=False))}"
    quiz += "".join(f" {name}={quoteattr(value)}" for name, value in rules.items())
    return (
        f"<xueshi_video url_name={quoteattr(url_name)} display_name={quoteattr(title)}"
        f' sources={quoteattr(sources)} duration="{duration}" captions={quoteattr(captions)}{quiz}/>'
    )


LESSON1_CHECKPOINTS = [
    {
        "id": "cp-l1-duty",
        "at": 30.0,
        "kind": "question",
        "policy": "rewind",
        "rewind_to": None,
        "tags": {"trade": "安全生产", "knowledge_point": "安全生产法", "difficulty": 1},
        "question": {
            "type": "single",
            "stem": "生产经营单位的主要负责人对本单位的安全生产工作负什么责任？",
            "options": [
                {"key": "A", "text": "全面负责"},
                {"key": "B", "text": "部分负责"},
                {"key": "C", "text": "不负责任"},
            ],
            "answer": ["A"],
            "explanation": (
                "《安全生产法》规定：生产经营单位的主要负责人是本单位安全生产第一责任人，"
                "对本单位的安全生产工作全面负责。"
            ),
        },
    },
    {
        "id": "cp-l1-card",
        "at": 75.0,
        "kind": "card",
        "policy": "continue",
        "rewind_to": None,
        "card": {
            "title": "知识点：三同时",
            "text": "建设项目的安全设施必须与主体工程同时设计、同时施工、同时投入生产和使用。",
            "image_url": "",
        },
    },
]
LESSON2_CHECKPOINTS = [
    {
        "id": "cp-l2-label",
        "at": 40.0,
        "kind": "question",
        "policy": "retry",
        "rewind_to": None,
        "tags": {"trade": "危险化学品", "knowledge_point": "储存管理", "difficulty": 2},
        "question": {
            "type": "truefalse",
            "stem": "危险化学品可以与禁忌物料混合储存。",
            "answer": ["false"],
            "explanation": "危险化学品应当按照国家标准分类、分区储存，禁忌物料不得混存。",
        },
    }
]
LESSON3_CHECKPOINTS = [
    {
        "id": "cp-l3-drill",
        "at": 45.0,
        "kind": "question",
        "policy": "continue",
        "rewind_to": None,
        "tags": {"trade": "安全生产", "knowledge_point": "应急预案", "difficulty": 2},
        "question": {
            "type": "blank",
            "stem": "生产经营单位应当至少每____组织一次生产安全事故应急预案演练。",
            "blanks": [["半年", "6个月", "六个月"]],
            "explanation": "《生产安全事故应急条例》：至少每半年组织一次应急预案演练。",
        },
    }
]


SCENARIOS: tuple[tuple[str, str], ...] = (
    (
        "第一课：安全生产法概述",
        _olx(
            "video_lesson1",
            "第一课：安全生产法概述",
            '["{media}/lesson1.mp4"]',
            120,
            "lesson1",
            LESSON1_CHECKPOINTS,
        ),
    ),
    (
        "第二课：危险化学品管理（HLS）",
        _olx(
            "video_lesson2",
            "第二课：危险化学品管理",
            '["{media}/lesson2/index.m3u8"]',
            150,
            "lesson2",
            LESSON2_CHECKPOINTS,
        ),
    ),
    (
        "第三课：应急预案与演练",
        _olx(
            "video_lesson3",
            "第三课：应急预案与演练",
            '["{media}/lesson3.webm"]',
            90,
            "lesson3",
            LESSON3_CHECKPOINTS,
            {"count": 2, "tags": {}, "policy": "retry", "rewind_to": None},
        ),
    ),
    (
        "第四课：倍速播放（1.25×、1.5×）",
        _olx(
            "video_rates",
            "第四课：倍速播放（1.25×、1.5×）",
            '["{media}/lesson1.mp4"]',
            120,
            "lesson1",
            [],
            allowed_rates="[1.0, 1.25, 1.5]",
        ),
    ),
    (
        "第五课：学习确认（每 1 分钟）",
        _olx(
            "video_still_here",
            "第五课：学习确认（每 1 分钟询问“您还在学习吗？”）",
            '["{media}/lesson2/index.m3u8"]',
            150,
            "lesson2",
            [],
            anti_idle_minutes="1",
        ),
    ),
)

#: The face-check demo course (``xueshi_core.demo``'s "face" course): one lesson, no quiz, so the
#: random face check (about one a minute, set by ``xueshi_face.demo``) is the thing to see.
FACE_COURSE_SCENARIOS: tuple[tuple[str, str], ...] = (
    (
        "人脸核验演示：安全生产法概述",
        _olx(
            "video_face_checks",
            "人脸核验演示：安全生产法概述",
            '["{media}/lesson1.mp4"]',
            120,
            "lesson1",
            [],
        ),
    ),
)
