"""Stand-in for ``common.djangoapps.course_modes.models``: ``CourseMode`` over the sandbox's table.

Keeps the platform's names (Verawood ``course_modes/models.py``): the ``Mode`` named tuple and the
class method ``modes_for_course``, which ``xueshi_payments.compat`` calls to price a course run.
Operators set prices where Open edX sets them (Django admin of course modes); the sandbox's admin
edits the same fields.
"""

from collections import namedtuple

from opaque_keys.edx.keys import CourseKey

from sandbox.lms.models import CourseMode as _CourseModeRow

Mode = namedtuple(
    "Mode",
    [
        "slug",
        "name",
        "min_price",
        "suggested_prices",
        "currency",
        "expiration_datetime",
        "description",
        "sku",
        "android_sku",
        "ios_sku",
        "bulk_sku",
    ],
)


class CourseMode:
    """The class-level API of the platform's model that Xueshi calls."""

    AUDIT = "audit"
    HONOR = "honor"
    VERIFIED = "verified"
    PROFESSIONAL = "professional"
    NO_ID_PROFESSIONAL_MODE = "no-id-professional"
    objects = _CourseModeRow.objects

    @classmethod
    def modes_for_course(cls, course_id, include_expired=False, only_selectable=True):
        """The course's modes as ``Mode`` tuples (an audit mode when it has none, as the platform)."""
        key = course_id if isinstance(course_id, CourseKey) else CourseKey.from_string(str(course_id))
        rows = list(_CourseModeRow.objects.filter(course_id=key).order_by("min_price", "id"))
        if not rows:
            return [Mode(cls.AUDIT, "Audit", 0, "", "usd", None, None, None, None, None, None)]
        return [
            Mode(
                r.mode_slug,
                r.mode_display_name,
                r.min_price,
                "",
                r.currency,
                r.expiration_datetime,
                None,
                None,
                None,
                None,
                None,
            )
            for r in rows
        ]
