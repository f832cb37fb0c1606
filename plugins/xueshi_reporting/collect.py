"""Collectors: read sources after a cursor and write their records, cursor and records in one transaction.

Study days come from the ledger (no signal per credited minute), certificates from their table: a
collector that dies after reading and before committing reads the same rows again, and a record
written twice is one record (same key). The certificate collector is also the replay path for the
certificate signals, which fire after the certificates' commit (ADR 0201).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from xueshi_questionbank import api as questionbank

from xueshi_certificates import api as certificates
from xueshi_studytime import api as studytime

from . import outbox, records, schema
from .models import Cursor, StagedFact

LEDGER, CERTIFICATES, EXAMS = "ledger", "certificates", "exams"
REVOCATION_WINDOW = timedelta(days=2)


def _cursor(name: str) -> Cursor:
    Cursor.objects.get_or_create(name=name)
    return Cursor.objects.select_for_update().get(name=name)


def study_days(limit: int = 5000) -> int:
    """Records for the (learner, course, day) keys touched by ledger rows after the cursor."""
    with transaction.atomic():
        cursor = _cursor(LEDGER)
        last, keys = studytime.ledger_keys_after(cursor.position, limit)
        drafts = records.study_days(keys) if keys else []
        for uid, course in sorted({(k[0], k[1]) for k in keys}):
            drafts += records.completion(uid, course)
        for uid in sorted({k[0] for k in keys}):
            drafts += records.hour_account(uid, None)
        written = outbox.write(drafts)
        cursor.position = last
        cursor.save(update_fields=("position",))
    return len(written)


def certificate_records(limit: int = 1000) -> int:
    """Records for certificates issued after the cursor, and for those revoked recently."""
    with transaction.atomic():
        cursor = _cursor(CERTIFICATES)
        rows = certificates.certificates_after(cursor.position, limit)
        drafts = [d for facts in rows for d in records.certificate(facts)]
        drafts += [
            d
            for facts in certificates.revoked_since(timezone.now() - REVOCATION_WINDOW)
            for d in records.certificate(facts)
        ]
        written = outbox.write(drafts)
        if rows:
            cursor.position = rows[-1]["id"]
            cursor.save(update_fields=("position",))
    return len(written)


def exam_records(limit: int = 5000) -> int:
    """Records for exam rounds of the (learner, course) pairs answered after the cursor, and completions."""
    with transaction.atomic():
        cursor = _cursor(EXAMS)
        last, pairs = questionbank.exam_pairs_after(cursor.position, limit)
        drafts = records.exams(pairs) if pairs else []
        for uid, course in sorted(pairs):
            drafts += records.completion(uid, course)
        written = outbox.write(drafts)
        cursor.position = last
        cursor.save(update_fields=("position",))
    return len(written)


def replay_day(day: date) -> int:
    """Write the study days of a whole China day again from the daily totals (nightly, for yesterday).

    Closes the gap of the ledger cursor (ADR 0201): a ledger row committed with a lower id after the
    cursor passed it is in the day's totals; unchanged days are the same records (no-op).
    """
    keys = set()
    for uid in studytime.learners_with_credit(day, day):
        keys |= {(uid, course, d) for course, d, _seconds in studytime.daily_totals(uid, day, day)}
    with transaction.atomic():
        return len(outbox.write(records.study_days(keys))) if keys else 0


def staged(limit: int = 5000) -> int:
    """Records of the facts staged on the LMS write path (profiles, enrolments); the rows go at once."""
    with transaction.atomic():
        rows = list(StagedFact.objects.select_for_update().order_by("id")[:limit])
        drafts, learners = [], set()
        for row in rows:
            if row.kind == schema.LEARNER and row.learner_id not in learners:
                learners.add(row.learner_id)
                drafts += records.learner(row.learner_id)
            elif row.kind == schema.ENROLMENT:
                f = row.facts
                at = datetime.fromisoformat(str(f["changed_at"]))
                drafts += records.enrolment(row.learner_id, f["course"], f["mode"], bool(f["active"]), at)
        written = outbox.write(drafts)
        StagedFact.objects.filter(pk__in=[r.pk for r in rows]).delete()
    return len(written)


def run() -> int:
    """Every collector once; how many new records."""
    return staged() + study_days() + exam_records() + certificate_records()
