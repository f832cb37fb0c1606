"""Builders of canonical records (schema ``xueshi-report/1``) from the other apps' ``api`` modules.

Each builder returns ``Draft``s: what ``outbox.write`` stores. Nothing here reads another app's
models; the learner's full ID number comes from identity's audited disclosure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from xueshi_questionbank import api as questionbank

from xueshi_certificates import api as certificates
from xueshi_hours import api as hours
from xueshi_identity import api as identity
from xueshi_studytime import api as studytime

from . import schema


@dataclass(frozen=True)
class Draft:
    """One record before it has a sequence number: kind, whose, what it is a version of, content."""

    kind: str
    learner_id: int
    subject: str
    learner: dict[str, Any]
    course: dict[str, Any] | None
    data: dict[str, Any]
    occurred_at: datetime

    def content(self) -> dict[str, Any]:
        """What the idempotency key is computed over (not the time it was built)."""
        return {"learner": self.learner, "course": self.course, "data": self.data}

    def key(self) -> str:
        """The idempotency key (``schema.idempotency_key`` over the content)."""
        return schema.idempotency_key(self.kind, self.subject, self.content())

    def record(self, seq: int) -> dict[str, Any]:
        """The record as it leaves (before a destination's category mapping)."""
        out = {
            "schema": schema.VERSION,
            "kind": self.kind,
            "key": self.key(),
            "subject": self.subject,
            "seq": seq,
            "occurred_at": self.occurred_at.isoformat(),
            "learner": self.learner,
            "data": self.data,
        }
        if self.course is not None:
            out["course"] = self.course
        return out


def learner_facts(user_id: int) -> dict[str, Any] | None:
    """Real name, ID, region, category, employer (audited disclosure), or None without a profile."""
    facts = identity.disclose_for_reporting(user_id, "provincial reporting outbox")
    return None if facts is None else {"user_id": user_id, **facts}


def course_facts(course_key: str) -> dict[str, Any]:
    """Course code, title, category and declared hours (empty when the course team set none)."""
    meta = hours.course_hours(course_key)
    if meta is None:
        return {"code": course_key, "title": "", "category": "", "declared_hours": ""}
    return {
        "code": course_key,
        "title": meta.title,
        "category": meta.category,
        "declared_hours": str(meta.declared_hours),
    }


def study_days(keys: Iterable[tuple[int, str, date]]) -> list[Draft]:
    """A record per (learner, course, China day): credited minutes (whole, rounded down) and sessions."""
    drafts: list[Draft] = []
    learners: dict[int, dict[str, Any] | None] = {}
    courses: dict[str, dict[str, Any]] = {}
    for (uid, course, day), (ms, sessions) in sorted(
        studytime.day_totals(keys).items(), key=lambda kv: kv[0][2]
    ):
        if uid not in learners:
            learners[uid] = learner_facts(uid)
        if learners[uid] is None:
            continue
        if course not in courses:
            courses[course] = course_facts(course)
        data = {
            "day": day.isoformat(),
            "credited_minutes": ms // 60000,
            "credited_seconds": ms // 1000,
            "sessions": sessions,
        }
        drafts.append(
            Draft(
                schema.STUDY_DAY,
                uid,
                f"study:{uid}:{course}:{day.isoformat()}",
                learners[uid] or {},
                courses[course],
                data,
                timezone.now(),
            )
        )
    return drafts


def hour_account(user_id: int, period_year: int | None) -> list[Draft]:
    """The learner's hour account of the period starting in ``period_year`` (None: the current one)."""
    learner = learner_facts(user_id)
    if learner is None:
        return []
    try:
        account = hours.hour_account(user_id, period_year)
    except hours.HoursError:  # no rule covers the learner (yet): nothing to report
        return []
    data = {
        "period": {
            "label": account.period_label,
            "start": account.period_start.isoformat(),
            "end": account.period_end.isoformat(),
        },
        "rule": {"id": account.rule_id, "version": account.rule_version},
        "unit": account.unit,
        "required_total": str(account.required_total),
        "earned_total": str(account.earned_total),
        "earned_by_category": {k: str(v) for k, v in sorted(account.earned_by_category.items())},
        "met": account.met,
    }
    return [
        Draft(
            schema.HOURS,
            user_id,
            f"hours:{user_id}:{account.period_label}",
            learner,
            None,
            data,
            timezone.now(),
        )
    ]


def exams(pairs: Iterable[tuple[int, str]]) -> list[Draft]:
    """Each exam round of these (learner, course) pairs: when it was submitted and its percent."""
    drafts: list[Draft] = []
    for (uid, course), rounds in sorted(questionbank.exam_rounds(pairs).items()):
        learner = learner_facts(uid)
        if learner is None:
            continue
        facts = course_facts(course)
        for at, percent in sorted(rounds):
            data = {"submitted_at": at.isoformat(), "percent": percent}
            subject = f"exam:{uid}:{course}:{at.isoformat()}"
            drafts.append(Draft(schema.EXAM, uid, subject, learner, facts, data, at))
    return drafts


def completion(user_id: int, course_key: str) -> list[Draft]:
    """The course completion (by server records), if the learner has completed it."""
    day = hours.course_completed(user_id, course_key)
    learner = learner_facts(user_id) if day else None
    if day is None or learner is None:
        return []
    data = {"day": day.isoformat()}
    return [
        Draft(
            schema.COMPLETION,
            user_id,
            f"completion:{user_id}:{course_key}",
            learner,
            course_facts(course_key),
            data,
            timezone.now(),
        )
    ]


def certificate(facts: dict[str, Any]) -> list[Draft]:
    """A certificate as issued or revoked (its status is part of the content: each is a version)."""
    learner = learner_facts(int(facts["user_id"]))
    if learner is None:
        return []
    course = course_facts(facts["course_key"]) if facts.get("course_key") else None
    data = {
        "serial": facts["serial"],
        "status": facts["status"],
        "kind": facts["kind"],
        "period_label": facts["period_label"],
        "hours": facts["hours"],
        "unit": facts["unit"],
        "by_category": facts.get("by_category", {}),
        "issued_at": facts["issued_at"].isoformat() if facts.get("issued_at") else "",
        "revoked_at": facts["revoked_at"].isoformat() if facts.get("revoked_at") else "",
        "revoke_reason": facts.get("revoke_reason") or "",
    }
    return [
        Draft(
            schema.CERTIFICATE,
            int(facts["user_id"]),
            f"certificate:{facts['serial']}",
            learner,
            course,
            data,
            timezone.now(),
        )
    ]


def certificate_by_serial(serial: str) -> list[Draft]:
    """The record of a certificate by serial (none when it does not exist or has no holder profile)."""
    facts = certificates.certificate_facts(serial)
    return certificate(facts) if facts else []


#: Register answers that are facts about the learner (pending and failed checks are not).
FINAL_CHECKS = ("confirmed", "mismatch", "not_found")


def learner(user_id: int) -> list[Draft]:
    """The learner's real-name facts and the registers' final answers about them (one version each)."""
    facts = learner_facts(user_id)
    if facts is None:
        return []
    checks = {
        name: {"status": c.status, "source": c.source, "checked_at": c.checked_at.isoformat()}
        for name, c in sorted(identity.register_checks(user_id).items())
        if c.status in FINAL_CHECKS
    }
    data = {"register_checks": checks}
    return [Draft(schema.LEARNER, user_id, f"learner:{user_id}", facts, None, data, timezone.now())]


def enrolment(user_id: int, course_key: str, mode: str, active: bool, changed_at: datetime) -> list[Draft]:
    """An enrolment created (``active``) or ended, as of the platform's event time."""
    facts = learner_facts(user_id)
    if facts is None:
        return []
    data = {"mode": mode, "active": active, "changed_at": changed_at.isoformat()}
    subject = f"enrolment:{user_id}:{course_key}"
    return [Draft(schema.ENROLMENT, user_id, subject, facts, course_facts(course_key), data, changed_at)]
