"""Fragments of the ``xueshi_practice`` block: the learner's page and the Studio editor.

Templates are Django templates rendered with the block's own i18n service; JS strings come from
the block's compiled ``djangojs`` catalog (ADR 0081). Neither ever contains a question: the page asks the
``state``/``start`` handlers, which send question views only.
"""

from __future__ import annotations

from typing import Any

from web_fragments.fragment import Fragment
from xblock.utils.resources import ResourceLoader

from xueshi_core.xblock_i18n import add_js_catalog

loader = ResourceLoader(__name__)


def _(text: str) -> str:
    """Mark a string for extraction; ``_strings`` translates it with the block's catalog."""
    return text


LEARNER_STRINGS = {
    "practice": _("Practice"),
    "exam": _("Mock exam"),
    "loading": _("Loading…"),
    "start_practice": _("Start practising"),
    "start_exam": _("Start the mock exam"),
    "wrong_book": _("Wrong-answer book"),
    "retry_wrong": _("Retry my wrong answers"),
    "rules_practice": _("Each answer is checked at once and the explanation is shown."),
    "rules_exam": _(
        "The timer is kept by the server. When time is up, the exam is submitted with the answers you saved."
    ),
}
STUDIO_STRINGS = {
    "title": _("Title"),
    "mode": _("Mode"),
    "practice": _("Practice (immediate feedback)"),
    "exam": _("Mock exam (timed, graded)"),
    "trades": _("Trades (工种), one per line; empty = any"),
    "points": _("Knowledge points (知识点), one per line; empty = any"),
    "difficulties": _("Difficulties; none ticked = any"),
    "easy": _("easy"),
    "medium": _("medium"),
    "hard": _("hard"),
    "count": _("Number of questions"),
    "time_limit": _("Exam time limit (minutes)"),
    "pass_percent": _("Pass mark (%)"),
    "attempts": _("Exam attempts (0 = unlimited)"),
    "weight": _("Grading weight"),
    "explanations": _("Show explanations after answering"),
    "available": _("Questions in the bank with these tags"),
    "known_tags": _("Tags in this course's bank"),
    "save": _("Save"),
    "cancel": _("Cancel"),
    # The editor's status line after a save (the JS fills in {reason}).
    "saved": _("Saved."),
    "save_failed": _("Saving failed: {reason}"),
    "unreachable": _("the server could not be reached"),
}


def _strings(block: Any, strings: dict[str, str]) -> dict[str, str]:
    return {key: block.ugettext(text) for key, text in strings.items()}


def _add_resources(block: Any, frag: Fragment, css: str, js: str) -> None:
    frag.add_css_url(block.runtime.local_resource_url(block, css))
    add_js_catalog(block, frag)
    frag.add_javascript_url(block.runtime.local_resource_url(block, js))


def student_fragment(block: Any) -> Fragment:
    """The learner's page; JS loads the state from the server."""
    data = block.student_view_data()
    html = loader.render_django_template(
        "templates/practice.html",
        {"data": data, "t": _strings(block, LEARNER_STRINGS), "exam": block.mode == "exam"},
    )
    frag = Fragment(html)
    _add_resources(block, frag, "public/css/practice.css", "public/js/practice.js")
    frag.initialize_js("XueshiPracticeBlock", data)
    return frag


def studio_fragment(block: Any) -> Fragment:
    """The author's editor, with the bank's tags and how many questions match."""
    from xueshi_questionbank import api as bank

    values = {
        "display_name": block.display_name,
        "mode": block.mode,
        "trades": list(block.trades),
        "knowledge_points": list(block.knowledge_points),
        "difficulties": [int(d) for d in block.difficulties],
        "question_count": block.question_count,
        "time_limit_minutes": block.time_limit_minutes,
        "pass_percent": block.pass_percent,
        "max_attempts": block.max_attempts,
        "weight": block.weight,
        "show_explanations": block.show_explanations,
    }
    context = {
        "values": values,
        "trades_text": "\n".join(block.trades),
        "points_text": "\n".join(block.knowledge_points),
        "known": bank.tag_values(block.course_key),
        "available": bank.count_available(block.course_key, block.tags()),
        "t": _strings(block, STUDIO_STRINGS),
    }
    frag = Fragment(loader.render_django_template("templates/studio.html", context))
    _add_resources(block, frag, "public/css/practice.css", "public/js/studio.js")
    frag.initialize_js("XueshiPracticeStudio", {"values": values})
    return frag
