"""The hour account: which rule applies to a learner, which version, over which period, and the figures.

Computed on demand from the records (ADR 0112); the only row written is the ``AccountPin`` that
keeps the rule version an account was first computed with (ADR 0110).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from xueshi_core.api import china_day

from . import accountcache, rulestore, sources
from .data import HourAccount, HoursError
from .evaluate import Learner, evaluate, surplus
from .models import AccountPin
from .periods import Period, period, period_holding
from .rules import Rule


def zone() -> str:
    """The time zone of China days (``XUESHI_TIME_ZONE``)."""
    return str(getattr(settings, "XUESHI_TIME_ZONE", "Asia/Shanghai"))


def today() -> date:
    """Today's China day."""
    return china_day(timezone.now(), zone())


def learner_of(user_id: int) -> Learner:
    """The learner's personnel category and most specific region, from their real-name profile."""
    from xueshi_identity import api as identity

    found = identity.category_and_region(user_id)
    if found is None:
        raise HoursError("no_profile", "the learner has no real-name profile")
    return Learner(user_id=user_id, category=found[0], region=found[1])


def _pinned_version(user_id: int, rule_id: str, newest: int, start: date) -> int:
    pin = AccountPin.objects.filter(user_id=user_id, rule_id=rule_id, period_start=start).first()
    if pin is not None:
        return pin.version
    try:
        with transaction.atomic():
            AccountPin.objects.create(user_id=user_id, rule_id=rule_id, period_start=start, version=newest)
        return newest
    except IntegrityError:  # a concurrent first computation pinned it: use theirs
        return AccountPin.objects.get(user_id=user_id, rule_id=rule_id, period_start=start).version


def _carry_in(rule: Rule, version: int, learner: Learner, current: Period) -> Decimal:
    if rule.carry_over_max <= 0:
        return Decimal("0")
    previous = period(rule, current.year - 1)
    items = sources.items_for(learner.user_id, rule, previous, zone())
    return surplus(evaluate(rule, version, learner, previous, items))


def account_for(learner: Learner, year: int | None = None) -> HourAccount:
    """The learner's account for the period starting in ``year`` (None: the period holding today)."""
    found = rulestore.rule_for(learner.region, learner.category, today().year if year is None else year)
    if found is None:
        raise HoursError("no_rule", "no hour rule covers this learner's region and category")
    rule_id, newest = found
    latest = rulestore.rule_version(rule_id, newest)
    which = period_holding(latest, today()) if year is None else period(latest, year)
    version = _pinned_version(learner.user_id, rule_id, newest, which.start)
    rule = latest if version == newest else rulestore.rule_version(rule_id, version)
    which = period(rule, which.year)

    def compute() -> HourAccount:
        items = sources.items_for(learner.user_id, rule, which, zone())
        return evaluate(rule, version, learner, which, items, _carry_in(rule, version, learner, which))

    parts = (learner.category, learner.region, rule_id, version, which.year)
    return accountcache.cached(learner.user_id, parts, compute)


def hour_account(user_id: int, year: int | None = None) -> HourAccount:
    """The account of ``user_id`` (CONTRACTS.md); raises ``HoursError`` ``no_profile`` or ``no_rule``."""
    return account_for(learner_of(user_id), year)


def due_date(account: HourAccount) -> date:
    """The due date shown beside an account (the rule version's ``period.due``)."""
    rule = rulestore.rule_version(account.rule_id, account.rule_version)
    return period(rule, account.period_start.year).due
