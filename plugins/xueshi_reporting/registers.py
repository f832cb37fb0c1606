"""Checks against authorities' registers: the provincial real-name register, the finance register.

A learner whose complete profile changed is asked about at every destination that answers a
register (``Destination.checks``): ``learner`` for everyone (real name + ID number, 需求 001),
``accountant`` for the accountant categories (the finance authority's register, 需求 002). The
question leaves after the profile's transaction commits (a Celery task); the answer is stored
beside the profile through identity's api, with its time and source; a timeout, a 5xx or an
answer the authority did not sign is asked again with backoff, up to the destination's attempts.
With ``XUESHI_REPORTING_HOLD_UNTIL_CONFIRMED`` the ledger holds the learner's study (a ledger
hold, the one gate of crediting) until the register confirms them (ADR 0331).
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.urls import reverse

from xueshi_identity import api as identity
from xueshi_studytime import api as studytime

from . import conf, schema
from .adapters import authority
from .models import Destination, Exchange

LEARNER, ACCOUNTANT = "learner", "accountant"
PATHS = {LEARNER: "register/learner", ACCOUNTANT: "register/accountant"}
#: The authority's ``result`` → the status identity stores.
RESULTS = {"match": "confirmed", "mismatch": "mismatch", "not_found": "not_found"}
HOLD_PREFIX = "register-"


def wanted(category: str) -> list[tuple[Destination, str]]:
    """(destination, register) pairs that a learner of ``category`` is checked at."""
    pairs = []
    for destination in Destination.objects.filter(active=True).order_by("code"):
        for register in destination.checks or []:
            if register == LEARNER or (register == ACCOUNTANT and category in conf.accountant_categories()):
                pairs.append((destination, register))
    return pairs


def fingerprint(facts: dict[str, str]) -> str:
    """A digest of what a register is asked (name, ID type and number)."""
    asked = "|".join(facts.get(k, "") for k in ("real_name", "id_type", "id_number"))
    return hashlib.sha256(f"register-question|{asked}".encode()).hexdigest()


def start(user_id: int, *, stalled_before: datetime | None = None) -> int:
    """Inside the profile's transaction: mark each check of changed facts pending; after commit, hold and ask.

    A register that already has (or is getting) an answer about the same name and number is not
    asked again; a failed check is, and so is a check pending since before ``stalled_before``
    (its question was lost with a worker: the recheck passes that moment, ADR 0334).
    """
    known = identity.category_and_region(user_id)
    pairs = wanted(known[0]) if known else []
    if not pairs:
        return 0
    facts = identity.disclose_for_reporting(user_id, "register check question")
    if facts is None:
        return 0
    digest, checks, started = fingerprint(facts), identity.register_checks(user_id), 0
    for destination, register in pairs:
        old = checks.get(register)
        if old is not None and old.fingerprint == digest and not _again(old, stalled_before):
            continue
        identity.record_register_check(user_id, register, "pending", destination.code, fingerprint=digest)
        transaction.on_commit(partial(_queue, user_id, destination.code, register))
        started += 1
    return started


def _again(check: Any, stalled_before: datetime | None) -> bool:
    """Whether a check about the same facts is asked again: it failed, or it stalled."""
    if check.status == "error":
        return True
    return check.status == "pending" and stalled_before is not None and check.checked_at < stalled_before


def recheck(now: datetime) -> int:
    """Ask again about learners whose check failed or stalled ``recheck_seconds`` ago; checks started.

    Each learner is one transaction (its pending marks commit with it, its questions leave after).
    A check that fails again is next asked ``recheck_seconds`` after that failure, so an
    authority that is down for a day is asked a few times, not flooded.
    """
    before = now - timedelta(seconds=conf.recheck_seconds())
    started = 0
    for user_id in identity.register_checks_due_again(before, conf.recheck_batch()):
        with transaction.atomic():
            started += start(user_id, stalled_before=before)
    return started


def _queue(user_id: int, code: str, register: str) -> None:
    from .tasks import check_register

    if conf.hold_until_confirmed():
        hold(user_id, register)
    check_register.delay(user_id, code, register)


def hold(user_id: int, register: str) -> None:
    """Hold the learner's study until ``register`` confirms them; the player shows why."""
    studytime.place_hold(
        user_id,
        HOLD_PREFIX + register,
        url=f"{reverse('xueshi_reporting:hold')}?why={register}",
        reason=f"not confirmed by the {register} register",
    )


def audit(
    destination: Destination, subject: str, question: dict[str, Any], reply: authority.Reply, ms: int
) -> None:
    """The Exchange row of one question and its answer (the question itself only as a digest)."""
    Exchange.objects.create(
        destination=destination,
        batch=reply.request_id,
        keys=[subject],
        request_sha256=hashlib.sha256(schema.canonical_json(question).encode()).hexdigest(),
        duration_ms=ms,
        http_status=reply.http_status,
        outcome=reply.outcome,
        answer=(reply.detail + "\n" + json.dumps(reply.data, ensure_ascii=False))[:4000],
    )


def run(user_id: int, code: str, register: str, attempt: int) -> str | None:
    """Ask ``register`` at ``code`` about the learner; the stored status, or None to ask again later."""
    destination = Destination.objects.filter(code=code, active=True).first()
    if destination is None or register not in (destination.checks or []) or register not in PATHS:
        return "skipped"
    facts = identity.disclose_for_reporting(user_id, f"{register} register check at {code}")
    if facts is None:
        return "skipped"
    question = {k: facts[k] for k in ("real_name", "id_type", "id_number")}
    started = time.monotonic()
    reply = authority.ask(destination, PATHS[register], question)
    audit(destination, f"{register}:{user_id}", question, reply, int((time.monotonic() - started) * 1000))
    status = RESULTS.get(str(reply.data.get("result"))) if reply.outcome == authority.ANSWERED else None
    if status is None:
        final = attempt >= destination.max_attempts
        detail = f"{reply.outcome}: {reply.detail}"
        identity.record_register_check(
            user_id, register, "error" if final else "pending", code, detail=detail, attempts=attempt
        )
        return "error" if final else None
    detail = str(reply.data.get("detail", ""))
    identity.record_register_check(user_id, register, status, code, detail=detail, attempts=attempt)
    if status == "confirmed":
        studytime.release_hold(user_id, HOLD_PREFIX + register, reason=f"confirmed by {code}")
    elif conf.hold_until_confirmed():
        hold(user_id, register)
    return status
