"""The canonical record schema ``xueshi-report/1``: kinds, the envelope, and its JSON Schema.

Pure (no Django): the builders, adapters, the sandbox receiver and the docs share it. A record is
one *version* of a subject (a learner's study on a China day in a course, an hour account of a
period, a certificate…): a later version of the same subject has the same ``subject`` and a new
``key``; receivers keep the newest ``seq`` per subject. ADR 0200.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

VERSION = "xueshi-report/1"

LEARNER, ENROLMENT, STUDY_DAY, EXAM, COMPLETION, HOURS, CERTIFICATE = (
    "learner",
    "enrolment",
    "study_day",
    "exam",
    "completion",
    "hours",
    "certificate",
)
KINDS = (LEARNER, ENROLMENT, STUDY_DAY, EXAM, COMPLETION, HOURS, CERTIFICATE)

_LEARNER = {
    "type": "object",
    "required": ["real_name", "id_type", "id_number", "region", "category"],
    "properties": {
        "user_id": {"type": "integer"},
        "real_name": {"type": "string"},
        "id_type": {"type": "string", "description": "document type code (identity app's id_types)"},
        "id_number": {"type": "string"},
        "region": {"type": "string", "description": "GB/T 2260 code, most specific known"},
        "category": {"type": "string", "description": "personnel category, mapped per destination"},
        "employer": {"type": "string"},
    },
}
_COURSE = {
    "type": "object",
    "properties": {
        "code": {"type": "string"},
        "title": {"type": "string"},
        "category": {"type": "string", "description": "public | professional, mapped per destination"},
        "declared_hours": {"type": "string", "description": "decimal as a string"},
    },
}

#: JSON Schema (draft 2020-12) of one record as a destination receives it.
JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://xueshi.example/schemas/xueshi-report-1.json",
    "title": VERSION,
    "type": "object",
    "required": ["schema", "kind", "key", "subject", "seq", "learner", "data", "occurred_at"],
    "description": (
        "Subjects: learner:<user>, enrolment:<user>:<course>, study:<user>:<course>:<day>, "
        "exam:<user>:<course>:<submitted_at>, completion:<user>:<course>, hours:<user>:<period>, "
        "certificate:<serial>. The newest seq per subject is the current version."
    ),
    "properties": {
        "schema": {"const": VERSION},
        "kind": {"enum": list(KINDS)},
        "key": {"type": "string", "pattern": "^[0-9a-f]{64}$", "description": "idempotency key"},
        "subject": {"type": "string", "description": "what this is a version of"},
        "seq": {"type": "integer", "description": "outbox order; increasing per learner"},
        "occurred_at": {"type": "string", "format": "date-time"},
        "learner": _LEARNER,
        "course": _COURSE,
        "data": {
            "type": "object",
            "description": (
                "study_day: day, credited_minutes, sessions; exam: round, answered, correct, percent, "
                "finished_at; completion: day; hours: period{label,start,end}, unit, required_total, "
                "earned_total, earned_by_category, met; certificate: serial, status, period_label, hours, "
                "unit, issued_at, revoked_at, revoke_reason; learner: register_checks{<register>: "
                "{status (confirmed | mismatch | not_found), source, checked_at}}; enrolment: mode, "
                "active, changed_at (the platform's event time; a re-enrolment is a new version)"
            ),
        },
    },
}


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 text: what is hashed and signed."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def idempotency_key(kind: str, subject: str, content: dict[str, Any]) -> str:
    """The same fact always yields the same key; a changed fact (a new version) a new one."""
    digest = hashlib.sha256(f"{VERSION}|{kind}|{subject}|{canonical_json(content)}".encode()).hexdigest()
    return digest


def envelope(records: list[dict[str, Any]], batch: str, app_id: str) -> dict[str, Any]:
    """The body of one push: schema version, batch id, our app id and the records in outbox order."""
    return {"schema": VERSION, "batch": batch, "app_id": app_id, "records": records}
