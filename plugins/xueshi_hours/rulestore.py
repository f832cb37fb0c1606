"""Rule versions in the database: add a version, read one, find which rule applies to a learner.

Versions are never changed once written, so a parsed version is kept in this process by
``(rule_id, version)`` without invalidation.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from .data import HoursError
from .models import RuleVersion
from .rules import Rule, parse_rule

SHIPPED = Path(__file__).resolve().parent / "rulefiles"


@lru_cache(maxsize=512)
def _parsed(rule_id: str, version: int) -> Rule:
    row = RuleVersion.objects.filter(rule_id=rule_id, version=version).first()
    if row is None:
        raise HoursError("no_rule_version", f"{rule_id} v{version} does not exist")
    return parse_rule(row.body)


def rule_version(rule_id: str, version: int) -> Rule:
    """One version's rule (immutable, so remembered in this process)."""
    return _parsed(rule_id, version)


def latest_versions() -> dict[str, int]:
    """Rule set id → its newest version number."""
    rows = RuleVersion.objects.values("rule_id").annotate(newest=Max("version"))
    return {r["rule_id"]: int(r["newest"]) for r in rows}


def add_version(rule: Rule, *, user: Any = None, note: str = "") -> tuple[int, bool]:
    """Store ``rule`` as the next version of its set; an unchanged rule adds nothing.

    Returns (version, created). Two editors saving at once: the unique (rule_id, version) makes
    one of them retry with the next number instead of overwriting.
    """
    body = json.loads(json.dumps(rule.to_json()))
    for _attempt in range(3):
        newest = RuleVersion.objects.filter(rule_id=rule.id).order_by("-version").first()
        if newest is not None and newest.body == body:
            return newest.version, False
        version = (newest.version if newest else 0) + 1
        try:
            with transaction.atomic():
                RuleVersion.objects.create(
                    rule_id=rule.id,
                    version=version,
                    title=rule.title,
                    region=rule.region,
                    category=rule.category,
                    body=body,
                    note=note[:255],
                    created_by=user if getattr(user, "pk", None) else None,
                )
            return version, True
        except IntegrityError:
            continue
    raise HoursError("busy", "another editor is saving this rule set; try again")


def load_shipped(user: Any = None) -> list[tuple[str, int, bool]]:
    """Add the rule files shipped in ``rulefiles/`` (a new version only where a file changed)."""
    from .rules import parse_file

    added = []
    for path in sorted(SHIPPED.glob("*.json")):
        for rule in parse_file(json.loads(path.read_text(encoding="utf-8"))):
            version, created = add_version(rule, user=user, note=f"shipped file {path.name}")
            added.append((rule.id, version, created))
    return added


def _prefix(region: str) -> str:
    if region == "000000":
        return ""
    if region.endswith("0000"):
        return region[:2]
    return region[:4] if region.endswith("00") else region


def rule_for(region_code: str, category: str, year: int | None = None) -> tuple[str, int] | None:
    """(rule id, newest version) of the most specific rule for a region code and personnel category.

    The longest region prefix of ``region_code`` wins; national rules (``000000``) match everyone
    of the category. With ``year``, rules not in effect that year (``effective.from``/``to``) are
    passed over. ``None`` when no rule covers the category.
    """
    if not category:
        return None
    newest = latest_versions()
    candidates = []
    rows = RuleVersion.objects.filter(category=category, rule_id__in=list(newest)).values_list(
        "rule_id", "version", "region"
    )
    for rule_id, version, region in rows:
        if version != newest[rule_id]:
            continue  # an older version: the newest decides the region and category
        prefix = _prefix(region)
        if region_code.startswith(prefix):
            candidates.append((len(prefix), rule_id, version))
    for _length, rule_id, version in sorted(candidates, reverse=True):
        rule = rule_version(rule_id, version)
        if year is None or rule.effective_from <= year <= (rule.effective_to or 9999):
            return rule_id, version
    return None
