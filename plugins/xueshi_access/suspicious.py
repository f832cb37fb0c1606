"""Suspicious-IP statistics from the sign-in audit: shared IPs, roaming accounts, region jumps.

Everything is computed from ``AccessEvent`` rows (what really happened at sign-in, with the
region recorded at that moment), over a window of days, optionally for the learners of one
course. Thresholds come from settings (``XUESHI_ACCESS_SUSPICIOUS_*``, ``JUMP_*``).

An account bound to regions or employers gets the report of its scope (ADR 0063): roaming
accounts, jumps and the per-region and per-course counts come from the sign-ins of its learners
only; a shared IP is listed when one of its learners used it, with the number of every account
seen there (the proxy-study cafe is usually shared across cities) but only its own learners named.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Max, Min, Q

from xueshi_core.scopes import EVERYTHING, Scope

from . import compat, conf
from .models import AccessEvent
from .regions import PROVINCES, distance_km, province_of

SIGN_INS = (AccessEvent.SIGN_IN,)
ATTEMPTS = (AccessEvent.SIGN_IN, AccessEvent.FAILED)
PROVINCE_NAMES = {p.code: p.name for p in PROVINCES}


@dataclass(frozen=True)
class SharedIp:
    """One IP used by many accounts."""

    ip: str
    region: str
    accounts: int
    usernames: tuple[str, ...]
    first: datetime
    last: datetime


@dataclass(frozen=True)
class RoamingAccount:
    """One account seen from many IPs."""

    user_id: int
    username: str
    ips: int
    regions: tuple[str, ...]


@dataclass(frozen=True)
class Jump:
    """Two sign-ins of one account, far apart in place and close in time."""

    user_id: int
    username: str
    from_ip: str
    from_region: str
    to_ip: str
    to_region: str
    at: datetime
    minutes: int
    km: int | None  # None: a border crossing, where province distance does not apply


@dataclass
class Report:
    """The whole report for a window (and course)."""

    start: datetime
    end: datetime
    course_key: str
    thresholds: dict[str, int]
    shared_ips: list[SharedIp] = field(default_factory=list)
    roaming: list[RoamingAccount] = field(default_factory=list)
    jumps: list[Jump] = field(default_factory=list)
    by_region: list[tuple[str, str, int, int]] = field(default_factory=list)
    by_course: list[tuple[str, int]] = field(default_factory=list)

    @property
    def flagged_user_ids(self) -> set[int]:
        """Accounts that appear in any finding."""
        ids = {r.user_id for r in self.roaming} | {j.user_id for j in self.jumps}
        return ids


def build(
    end: datetime,
    *,
    days: int | None = None,
    course_key: str = "",
    limit: int = 200,
    scope: Scope = EVERYTHING,
) -> Report:
    """Compute the report for ``days`` before ``end`` (default from settings), confined to ``scope``."""
    limits = conf.suspicious_thresholds()
    start = end - timedelta(days=days or limits["window_days"])
    everyone = AccessEvent.objects.filter(at__gte=start, at__lt=end)
    if course_key:
        everyone = everyone.filter(user_id__in=compat.enrolled_user_ids(course_key))
    rows = scope.filter_by_user(everyone)
    report = Report(start, end, course_key, limits)
    if scope.everything:
        report.shared_ips = _shared_ips(rows, limits["accounts_per_ip"], limit)
    else:  # IPs its learners used, counted over every account, naming its learners only
        used = rows.filter(event__in=ATTEMPTS, ip__isnull=False).values("ip")
        report.shared_ips = _shared_ips(everyone.filter(ip__in=used), limits["accounts_per_ip"], limit, rows)
    report.roaming = _roaming(rows, limits["ips_per_account"], limit)
    report.jumps = _jumps(rows, limits["jump_seconds"], limits["jump_km"], limit)
    report.by_region = _by_region(rows, report)
    report.by_course = _by_course(report)
    return report


def _shared_ips(rows: object, threshold: int, limit: int, named: object = None) -> list[SharedIp]:
    """IPs with ``threshold`` or more accounts in ``rows``; usernames from ``named`` (default ``rows``)."""
    named = rows if named is None else named
    grouped = (
        rows.filter(event__in=ATTEMPTS, ip__isnull=False)  # type: ignore[attr-defined]
        .values("ip")
        .annotate(
            accounts=Count("username", distinct=True), first=Min("at"), last=Max("at"), region=Max("region")
        )
        .filter(accounts__gte=threshold)
        .order_by("-accounts", "ip")[:limit]
    )
    found = []
    for g in grouped:
        names = named.filter(ip=g["ip"], event__in=ATTEMPTS).values_list("username", flat=True).distinct()  # type: ignore[attr-defined]
        found.append(
            SharedIp(g["ip"], g["region"], g["accounts"], tuple(sorted(names)[:20]), g["first"], g["last"])
        )
    return found


def _roaming(rows: object, threshold: int, limit: int) -> list[RoamingAccount]:
    grouped = (
        rows.filter(event__in=SIGN_INS, user__isnull=False, ip__isnull=False)  # type: ignore[attr-defined]
        .values("user_id", "username")
        .annotate(ips=Count("ip", distinct=True))
        .filter(ips__gte=threshold)
        .order_by("-ips", "username")[:limit]
    )
    found = []
    for g in grouped:
        regions = Counter(
            rows.filter(user_id=g["user_id"], event__in=SIGN_INS)
            .exclude(region="")
            .values_list("region", flat=True)  # type: ignore[attr-defined]
        )
        found.append(
            RoamingAccount(g["user_id"], g["username"], g["ips"], tuple(r for r, _ in regions.most_common(5)))
        )
    return found


def _far(a: AccessEvent, b: AccessEvent, min_km: int) -> tuple[bool, int | None]:
    country_a, country_b = a.region.split(" ")[0], b.region.split(" ")[0]
    if country_a and country_b and country_a != country_b:
        return True, None
    pa, pb = (
        province_of(PROVINCE_NAMES.get(a.region_code, "")),
        province_of(PROVINCE_NAMES.get(b.region_code, "")),
    )
    if pa is None or pb is None or pa == pb:
        return False, 0
    km = int(distance_km(pa, pb))
    return km >= min_km, km


def _jumps(rows: object, window: int, min_km: int, limit: int) -> list[Jump]:
    events = (
        rows.filter(event__in=SIGN_INS, user__isnull=False)  # type: ignore[attr-defined]
        .exclude(region="")
        .only("user_id", "username", "ip", "region", "region_code", "at")
        .order_by("user_id", "at")
    )
    found: list[Jump] = []
    previous: AccessEvent | None = None
    for event in events.iterator(chunk_size=2000):
        if previous is not None and previous.user_id == event.user_id:
            gap = (event.at - previous.at).total_seconds()
            far, km = _far(previous, event, min_km)
            if gap <= window and far:
                found.append(
                    Jump(
                        event.user_id or 0,
                        event.username,
                        previous.ip or "",
                        previous.region,
                        event.ip or "",
                        event.region,
                        event.at,
                        int(gap // 60),
                        km,
                    )
                )
                if len(found) >= limit:
                    break
        previous = event
    return found


def _by_region(rows: object, report: Report) -> list[tuple[str, str, int, int]]:
    """``(code, province, sign-ins, flagged accounts)`` per province of the sign-in IP."""
    flagged = report.flagged_user_ids
    totals = (
        rows.filter(event__in=SIGN_INS)
        .exclude(region_code="")  # type: ignore[attr-defined]
        .values("region_code")
        .annotate(n=Count("id"), flagged=Count("user_id", distinct=True, filter=Q(user_id__in=flagged)))
        .order_by("region_code")
    )
    return [
        (t["region_code"], PROVINCE_NAMES.get(t["region_code"], ""), t["n"], t["flagged"]) for t in totals
    ]


def _by_course(report: Report) -> list[tuple[str, int]]:
    """Flagged accounts per course they are enrolled in."""
    per_course: dict[str, int] = defaultdict(int)
    for courses in compat.courses_of_users(report.flagged_user_ids).values():
        for course in courses:
            per_course[course] += 1
    return sorted(per_course.items(), key=lambda kv: (-kv[1], kv[0]))
