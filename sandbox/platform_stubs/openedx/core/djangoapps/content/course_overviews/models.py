"""Stand-in for ``openedx.core.djangoapps.content.course_overviews.models``: ``CourseOverview``.

Only ``get_from_id`` (and its ``DoesNotExist``), over the sandbox's ``CourseRun``: what
``xueshi_payments.compat.course_title`` calls to name a course on orders.
"""

from opaque_keys.edx.keys import CourseKey

from sandbox.lms.models import CourseRun


class CourseOverview:
    """The platform's cached course summary, reduced to ``display_name``."""

    DoesNotExist = CourseRun.DoesNotExist

    def __init__(self, run):
        self.id = run.course_key
        self.display_name = run.title

    @classmethod
    def get_from_id(cls, course_id):
        """The overview of the run (``DoesNotExist`` when there is none)."""
        key = course_id if isinstance(course_id, CourseKey) else CourseKey.from_string(str(course_id))
        return cls(CourseRun.objects.get(course_key=key))
