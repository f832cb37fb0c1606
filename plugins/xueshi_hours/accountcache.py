"""Reuse an hour account computed from the same records (ADR 0113).

An account is a pure function of: the learner's category and region, the rule version, the
period, and the records read (daily totals and watched coverage, question-bank attempts,
external hours, course hour settings). Each of those has a cheap fingerprint (counts, sums and
newest ids or times of append-only or grow-only rows); the account is cached under a hash of all
of them, so a changed record is a different key and nothing needs invalidating. A cache outage
only costs the computation. Two layers: this process's last ``LOCAL_SIZE`` accounts (no
decoding: a year of a busy learner is 2,000 lines), then Django's shared cache, where the
account is kept in the compact form of ``accountform`` rather than pickled (ADR 0180).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max

from . import accountform
from .data import HourAccount
from .models import CourseHoursSetting, ExternalHours

log = logging.getLogger(__name__)
TTL_SECONDS = 24 * 3600
LOCAL_SIZE = 64
_local: OrderedDict[str, HourAccount] = OrderedDict()
_lock = threading.Lock()


def _remember(key: str, account: HourAccount) -> HourAccount:
    with _lock:
        _local[key] = account
        _local.move_to_end(key)
        while len(_local) > LOCAL_SIZE:
            _local.popitem(last=False)
    return account


def _recall(key: str) -> HourAccount | None:
    with _lock:
        found = _local.get(key)
        if found is not None:
            _local.move_to_end(key)
        return found


def forget_local() -> None:
    """Empty this process's layer (benchmarks measure the shared cache and the computation alone)."""
    with _lock:
        _local.clear()


def fingerprint(user_id: int, *parts: Any) -> str:
    """A hash of everything the account depends on (``parts``: learner, rule, version, period)."""
    from xueshi_questionbank import api as bank

    from xueshi_studytime import api as ledger

    external = ExternalHours.objects.filter(user_id=user_id).aggregate(n=Count("id"), last=Max("decided_at"))
    courses = CourseHoursSetting.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    facts = (
        parts,
        ledger.credit_fingerprint(user_id),
        bank.attempt_fingerprint(user_id),
        (external["n"], str(external["last"])),
        (courses["n"], str(courses["last"])),
    )
    return hashlib.sha256(repr(facts).encode()).hexdigest()[:32]


def cached(user_id: int, key_parts: tuple[Any, ...], compute: Callable[[], HourAccount]) -> HourAccount:
    """The account for these records from the cache, or computed and stored."""
    if not getattr(settings, "XUESHI_HOURS_ACCOUNT_CACHE", True):
        return compute()
    key = f"xueshi_hours:account{accountform.FORMAT}:{user_id}:{fingerprint(user_id, *key_parts)}"
    local = _recall(key)
    if local is not None:
        return local
    try:
        found = cache.get(key)
    except Exception:  # a cache outage must not stop the page
        log.warning("hour account cache unavailable", exc_info=True)
        return compute()
    account = accountform.load(found) if isinstance(found, bytes) else None
    if account is not None:
        return _remember(key, account)
    account = compute()
    try:
        cache.set(key, accountform.dump(account), TTL_SECONDS)
    except Exception:  # likewise
        log.warning("hour account cache unavailable", exc_info=True)
    return _remember(key, account)
