"""The ``CourseEnrollmentStarted`` pipeline step: a paid course run enrols only paid learners.

Every enrolment path of the LMS runs this filter (course page, enrolment API, bulk and CSV
enrolment by staff, the mobile apps, our own post-payment ``enroll``): a run with a paid course
mode (``products.course_price``) refuses a learner who has no paid, unrefunded order line for it,
with a message saying where to buy. A free run (price 0) is let through at once. The learner's
own paid line sets the enrolment mode to the paid mode. Platform staff (``is_staff``) pass, as the
LMS lets them in to look at a course (trap 3); their study earns nothing.
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from openedx_filters import PipelineStep
from openedx_filters.learning.filters import CourseEnrollmentStarted

from . import products, states
from .models import OrderLine


def paid_line(user: Any, course_key: Any) -> OrderLine | None:
    """The learner's paid, unrefunded line for the run, if any."""
    return (
        OrderLine.objects.filter(
            learner_id=user.pk,
            course_key=str(course_key),
            order__state__in=states.MONEY_RECEIVED,
            unenrolled_at__isnull=True,
        )
        .order_by("-id")
        .first()
    )


def buy_url(course_key: Any) -> str:
    """Where the learner buys the run (the checkout page)."""
    try:
        return reverse("xueshi_payments:checkout", kwargs={"course_key": str(course_key)})
    except NoReverseMatch:
        return ""


class RequirePaidEnrollment(PipelineStep):  # type: ignore[misc]  # openedx-filters ships no hints here
    """Refuse enrolment in a paid run without a paid order line (``fail_silently`` False)."""

    def run_filter(self, user: Any, course_key: Any, mode: Any) -> dict[str, Any]:  # type: ignore[override]
        """Let free runs, staff and paid learners through; raise ``PreventEnrollment`` otherwise."""
        price = products.course_price(course_key)
        if price is None:
            return {"user": user, "course_key": course_key, "mode": mode}
        if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
            return {"user": user, "course_key": course_key, "mode": mode}
        line = paid_line(user, course_key) if getattr(user, "pk", None) else None
        if line is None:
            message = _(
                "This course costs ¥%(price)s. Buy it first, then you are enrolled at once: %(url)s"
            ) % {
                "price": products.yuan(price.price_fen),
                "url": buy_url(course_key),
            }
            raise CourseEnrollmentStarted.PreventEnrollment(message)
        return {"user": user, "course_key": course_key, "mode": line.mode}
