"""How ``xueshi_payments`` hooks enrolment: the ``CourseEnrollmentStarted`` pipeline step.

Applied in the common layer and again in the production layer, because the platform's YAML may
replace ``OPEN_EDX_FILTERS_CONFIG`` wholesale (trap 14). Idempotent; keeps what others configured.
"""

from __future__ import annotations

from typing import Any

ENROLLMENT_FILTER = "org.openedx.learning.course.enrollment.started.v1"
ENROLLMENT_STEP = "xueshi_payments.pipeline.RequirePaidEnrollment"


def wire_into_platform(settings: Any) -> None:
    """Append our step to the enrolment filter's pipeline, failing closed."""
    filters = {k: dict(v) for k, v in (getattr(settings, "OPEN_EDX_FILTERS_CONFIG", {}) or {}).items()}
    entry = filters.setdefault(ENROLLMENT_FILTER, {})
    pipeline = list(entry.get("pipeline") or [])
    if ENROLLMENT_STEP not in pipeline:
        pipeline.append(ENROLLMENT_STEP)
    entry["pipeline"] = pipeline
    # An error in our step must stop an enrolment, never let an unpaid learner in.
    entry["fail_silently"] = False
    settings.OPEN_EDX_FILTERS_CONFIG = filters
