"""The only module of ``xueshi_payments`` that imports edx-platform, always lazily inside a function.

Prices come from Open edX's own course modes, so operators set a course's price where Open edX
sets it (the course modes admin). Checked against Verawood (``release/verawood.1``). Like
``xueshi_core.compat``'s enrolment functions these bodies run everywhere: the sandbox puts a
``CourseMode`` stand-in with the platform's class method on ``sys.path`` (``sandbox/platform_stubs``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

#: Modes that are never paid, whatever their price field says.
FREE_MODES = frozenset({"audit", "honor"})


@dataclass(frozen=True)
class PaidMode:
    """A course run's paid mode: its slug (the enrolment mode after paying) and price in fen."""

    slug: str
    price_fen: int


def paid_mode(course_key: Any, currency: str) -> PaidMode | None:
    """The cheapest mode of the run priced above 0 in ``currency``, or None (a free run).

    Wraps ``common.djangoapps.course_modes.models.CourseMode.modes_for_course`` (unexpired,
    selectable modes). ``min_price`` is a whole number of currency units in the platform
    (``IntegerField``), converted to fen exactly through ``Decimal``.
    """
    from common.djangoapps.course_modes.models import CourseMode
    from opaque_keys.edx.keys import CourseKey

    key = course_key if isinstance(course_key, CourseKey) else CourseKey.from_string(str(course_key))
    paid = [
        mode
        for mode in CourseMode.modes_for_course(key)
        if mode.slug not in FREE_MODES and (mode.currency or "").lower() == currency and mode.min_price > 0
    ]
    if not paid:
        return None
    cheapest = min(paid, key=lambda mode: mode.min_price)
    return PaidMode(slug=cheapest.slug, price_fen=int(Decimal(str(cheapest.min_price)) * 100))


def course_title(course_key: Any) -> str | None:
    """The run's display name, or None if there is no such run.

    Wraps ``openedx.core.djangoapps.content.course_overviews.models.CourseOverview.get_from_id``.
    """
    from opaque_keys import InvalidKeyError
    from opaque_keys.edx.keys import CourseKey
    from openedx.core.djangoapps.content.course_overviews.models import CourseOverview

    try:
        key = CourseKey.from_string(str(course_key))
        return str(CourseOverview.get_from_id(key).display_name)
    except (InvalidKeyError, CourseOverview.DoesNotExist):
        return None


def ensure_paid_mode(course_key: Any, slug: str, display_name: str, price_yuan: int, currency: str) -> None:
    """Give the run a paid mode at ``price_yuan`` (whole units, as the platform stores them); idempotent.

    Wraps ``common.djangoapps.course_modes.models.CourseMode.objects.update_or_create`` (what the
    course modes admin saves). Used by the demo; operators set prices in the admin.
    """
    from common.djangoapps.course_modes.models import CourseMode
    from opaque_keys.edx.keys import CourseKey

    key = course_key if isinstance(course_key, CourseKey) else CourseKey.from_string(str(course_key))
    CourseMode.objects.update_or_create(
        course_id=key,
        mode_slug=slug,
        currency=currency,
        defaults={"mode_display_name": display_name, "min_price": price_yuan},
    )


def priced_course_keys(currency: str, limit: int = 500) -> list[str]:
    """Runs with a mode priced above 0 in ``currency`` (what an employer may order), newest keys last.

    Wraps ``common.djangoapps.course_modes.models.CourseMode.objects`` (the course modes admin's rows).
    """
    from common.djangoapps.course_modes.models import CourseMode

    rows = (
        CourseMode.objects.filter(currency__iexact=currency, min_price__gt=0)
        .exclude(mode_slug__in=FREE_MODES)
        .values_list("course_id", flat=True)
        .distinct()
    )
    return sorted({str(key) for key in rows[:limit]})
