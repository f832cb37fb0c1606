"""Words for codes shown on pages: reasons, sources, categories, units, what is still missing."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import data as d

REASONS = {
    d.COUNTED: _("Counted"),
    d.DAILY_CAP: _("Not counted: the rule's daily cap was reached"),
    d.DAILY_CAP + "_partly": _("Partly counted: the rule's daily cap was reached"),
    d.WRONG_CATEGORY: _("Not counted: the course does not count for your personnel category"),
    d.NOT_IN_RULE_REGION: _("Not counted: the course does not count in your region"),
    d.NOT_COMPLETED: _("Not counted yet: the course is not completed"),
    d.NOT_COUNTED_BY_RULE: _("Not counted: your rule does not count this source"),
    d.SOURCE_CAP: _("Not counted: the rule's limit for this source was reached"),
    d.SOURCE_CAP_PARTLY: _("Partly counted: the rule's limit for this source was reached"),
    d.NOT_PASSED: _("Not counted: below the pass mark"),
}
SOURCES = {
    d.VIDEO: _("Online video"),
    d.COMPLETION: _("Completed course"),
    d.PRACTICE: _("Practice"),
    d.EXAM: _("Exam"),
    d.EXTERNAL: _("External hours"),
    d.CARRY_OVER: _("Carried over"),
}
CATEGORIES = {
    d.PUBLIC: _("Public subjects"),
    d.PROFESSIONAL: _("Professional subjects"),
    "": _("Uncategorised"),
}
UNITS = {"xueshi": _("学时 (study hours)"), "xuefen": _("学分 (credits)"), "keshi": _("课时 (class hours)")}


def missing_text(code: str) -> str:
    """``total:12.50`` → "12.50 more in total"; ``category:professional:3`` / ``round:key`` likewise."""
    kind, _sep, rest = code.partition(":")
    if kind == "total":
        return str(_("%(n)s more in total") % {"n": rest})
    if kind == "category":
        category, _sep, amount = rest.partition(":")
        return str(
            _("%(n)s more in %(category)s") % {"n": amount, "category": CATEGORIES.get(category, category)}
        )
    if kind == "round":
        return str(_("required round %(key)s not completed with a passing test") % {"key": rest})
    return code
