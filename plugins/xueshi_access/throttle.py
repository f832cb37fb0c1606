"""Throttling of repeated failed sign-ins, per account and per client IP (Redis counters).

The platform's own ``LoginFailures`` lock (``ENABLE_MAX_FAILED_LOGIN_ATTEMPTS``) counts failures
of the session form only, in MySQL. This adds what it lacks: the same per-account limit on every
sign-in path including ``/oauth2/access_token``, and a per-IP limit that stops one address from
guessing across many accounts. Limits default to the platform's values so both agree.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from . import conf, hotstate

ACCOUNT, IP = "account", "ip"


@dataclass(frozen=True)
class Lock:
    """A lock in force: on an account or an IP, for ``seconds`` more."""

    scope: str
    seconds: int

    @property
    def minutes(self) -> int:
        """Whole minutes left, at least one (what the message says)."""
        return max(1, (self.seconds + 59) // 60)


def account_subject(username: str) -> str:
    """Counter name of an account as typed (case-folded, hashed: no e-mails in Redis)."""
    return hashlib.sha256(username.strip().casefold().encode("utf-8")).hexdigest()[:24]


def _subjects(username: str, ip: str) -> list[tuple[str, str, int]]:
    found = []
    if username.strip() and conf.account_failure_limit() > 0:
        found.append((ACCOUNT, account_subject(username), conf.account_failure_limit()))
    if ip and conf.ip_failure_limit() > 0:
        found.append((IP, ip, conf.ip_failure_limit()))
    return found


def current_lock(username: str, ip: str) -> Lock | None:
    """The lock that stops this attempt now, if any (account first)."""
    r = hotstate.client()
    for scope, subject, _limit in _subjects(username, ip):
        ttl = r.ttl(hotstate.lock_key(scope, subject))
        if ttl and ttl > 0:
            return Lock(scope, int(ttl))
    return None


def record_failure(username: str, ip: str) -> Lock | None:
    """Count one failure; lock the account or IP that reaches its limit. Returns the new lock."""
    r = hotstate.client()
    window, lockout = conf.failure_window_seconds(), conf.lockout_seconds()
    new_lock = None
    for scope, subject, limit in _subjects(username, ip):
        key = hotstate.counter_key(scope, subject)
        pipe = r.pipeline()
        pipe.incr(key)
        pipe.expire(key, window, nx=True)
        count = int(pipe.execute()[0])
        if count >= limit:
            r.set(hotstate.lock_key(scope, subject), "1", ex=lockout)
            r.delete(key)
            new_lock = new_lock or Lock(scope, lockout)
    return new_lock


def clear_account(username: str) -> None:
    """A successful sign-in clears the account's failure count (not the IP's)."""
    if username.strip():
        hotstate.client().delete(hotstate.counter_key(ACCOUNT, account_subject(username)))


def unlock(username: str = "", ip: str = "") -> None:
    """Lift locks (staff action, tests)."""
    r = hotstate.client()
    if username:
        r.delete(hotstate.lock_key(ACCOUNT, account_subject(username)))
    if ip:
        r.delete(hotstate.lock_key(IP, ip))
