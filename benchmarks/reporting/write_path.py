"""The LMS write paths that carry outbox rows, with the outbox off and on, side by side.

Since ADR 0330 two LMS writes add reporting rows in their own transaction: saving a complete
real-name profile (the ``learner`` record) and an enrolment created or ended (the ``enrolment``
record, from the platform's event). This times each write with ``XUESHI_REPORTING_OUTBOX`` off and
on, in interleaved rounds (off, on, on, off, …) so the shared machine's drift hits both alike, and
prints the median milliseconds per write and the relative cost. The heartbeat and flush paths
carry no reporting code (ADR 0201) and are not measured here.

Run: ``.venv/bin/python -m benchmarks.reporting --write-path 400`` (writes per mode and kind).
"""

from __future__ import annotations

import statistics
import time
from typing import Any

COURSE = "course-v1:Bench+WP+2026"


def _people(n: int) -> list[Any]:
    from django.contrib.auth import get_user_model

    from xueshi_identity.models import IdentityProfile, PersonnelCategory
    from xueshi_identity.testing import make_resident_id

    User = get_user_model()
    User.objects.filter(username__startswith="wp_").delete()
    category = PersonnelCategory.objects.get_or_create(code="other", defaults={"name": "其他"})[0]
    profiles = []
    for i in range(n):
        user = User.objects.create_user(f"wp_{i}", f"wp_{i}@example.invalid", None)
        profile = IdentityProfile(
            user=user,
            real_name=f"学员{i}",
            id_type="resident_id",
            province_code="350000",
            city_code="350100",
            county_code="350102",
            employer="鼓楼电力公司",
            category=category,
        )
        profile.id_number = make_resident_id("350102", "19900307", i + 1)
        profile.phone = f"139{i:08d}"
        profiles.append(profile)
    return profiles


def _timed(fn: Any) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def measure(n: int) -> dict[str, Any]:
    """Median ms per profile save and per enrolment, outbox off and on (``n`` writes of each per mode)."""
    from django.conf import settings

    from sandbox.lms import enrollment
    from sandbox.lms.models import CourseRun
    from xueshi_reporting import schema
    from xueshi_reporting.models import Destination

    CourseRun.objects.get_or_create(course_key=COURSE, defaults={"title": "写入路径"})
    Destination.objects.update_or_create(
        code="bench-write-path",
        defaults={
            "name": "bench",
            "url": "http://127.0.0.1:9/records",
            "kinds": [schema.LEARNER, schema.ENROLMENT],
        },
    )
    people = _people(2 * n)
    samples: dict[str, list[float]] = {"profile:off": [], "profile:on": [], "enrol:off": [], "enrol:on": []}
    for i, profile in enumerate(people):
        mode = "on" if (i // 2) % 2 == i % 2 else "off"  # off, on, on, off, off, on, …
        settings.XUESHI_REPORTING_OUTBOX = mode == "on"
        samples[f"profile:{mode}"].append(_timed(profile.save))
        samples[f"enrol:{mode}"].append(_timed(lambda p=profile: enrollment.enroll(p.user, COURSE)))
    settings.XUESHI_REPORTING_OUTBOX = True
    figures: dict[str, Any] = {"write_path_writes_per_mode": n}
    for kind in ("profile", "enrol"):
        off, on = statistics.median(samples[f"{kind}:off"]), statistics.median(samples[f"{kind}:on"])
        figures[f"{kind}_ms_off"] = round(off, 2)
        figures[f"{kind}_ms_on"] = round(on, 2)
        figures[f"{kind}_cost"] = f"{(on / off - 1) * 100:+.1f} %"
    return figures
