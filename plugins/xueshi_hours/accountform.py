"""A compact, non-pickle form of an hour account for the shared cache (ADR 0180).

Pickling 2,000 ``HourLine`` objects writes each line's class, field names, ``Decimal`` and
``date`` reductions; reading them back was most of a cached account's CPU. This form is JSON
with the lines as columns: repeated texts (source, course, title, category, reason) are stored
once in a table and referenced by index, days as ordinals, amounts as decimal strings. It carries
a format version: a different version (or anything malformed) reads as a cache miss, never as a
wrong account. Every line keeps all its fields (who, which course, when, how much, why).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from .data import HourAccount, HourLine

FORMAT = 1


def _day(value: date | None) -> int:
    return value.toordinal() if value is not None else 0


def _undate(value: int) -> date | None:
    return date.fromordinal(value) if value else None


def dump(account: HourAccount) -> bytes:
    """The account as compact JSON bytes."""
    texts: dict[str, int] = {}

    def ref(text: str) -> int:
        return texts.setdefault(text, len(texts))

    lines = [
        [
            ref(x.source),
            ref(x.ref),
            ref(x.title),
            ref(x.category),
            _day(x.day),
            str(x.raw),
            str(x.hours),
            ref(x.reason),
        ]
        for x in account.lines
    ]
    head = {
        "f": FORMAT,
        "user_id": account.user_id,
        "period_label": account.period_label,
        "period_start": _day(account.period_start),
        "period_end": _day(account.period_end),
        "rule_id": account.rule_id,
        "rule_version": account.rule_version,
        "rule_title": account.rule_title,
        "unit": account.unit,
        "required_total": str(account.required_total),
        "required_by_category": {k: str(v) for k, v in account.required_by_category.items()},
        "earned_total": str(account.earned_total),
        "earned_by_category": {k: str(v) for k, v in account.earned_by_category.items()},
        "met": account.met,
        "missing": list(account.missing),
        "texts": list(texts),
        "lines": lines,
    }
    return json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode()


def load(blob: Any) -> HourAccount | None:
    """The account from ``dump``'s bytes; ``None`` for another format version or anything malformed."""
    try:
        head = json.loads(blob)
        if head.get("f") != FORMAT:
            return None
        texts = head["texts"]
        amounts: dict[str, Decimal] = {}

        def amount(text: str) -> Decimal:
            found = amounts.get(text)
            if found is None:
                found = amounts[text] = Decimal(text)
            return found

        days: dict[int, date | None] = {}
        lines = []
        for source, ref, title, category, day, raw, hours, reason in head["lines"]:
            when = days[day] if day in days else days.setdefault(day, _undate(day))
            lines.append(
                HourLine(
                    texts[source],
                    texts[ref],
                    texts[title],
                    texts[category],
                    when,
                    amount(raw),
                    amount(hours),
                    texts[reason],
                )
            )
        return HourAccount(
            user_id=head["user_id"],
            period_label=head["period_label"],
            period_start=date.fromordinal(head["period_start"]),
            period_end=date.fromordinal(head["period_end"]),
            rule_id=head["rule_id"],
            rule_version=head["rule_version"],
            rule_title=head["rule_title"],
            unit=head["unit"],
            required_total=Decimal(head["required_total"]),
            required_by_category={k: Decimal(v) for k, v in head["required_by_category"].items()},
            earned_total=Decimal(head["earned_total"]),
            earned_by_category={k: Decimal(v) for k, v in head["earned_by_category"].items()},
            met=bool(head["met"]),
            missing=tuple(head["missing"]),
            lines=tuple(lines),
        )
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None
