"""Stand-in for ``common.djangoapps.student.models``: enrollment checks over the sandbox table."""


class CourseEnrollment:
    """The two class methods edx-completion calls."""

    @classmethod
    def is_enrolled(cls, user, course_key):
        """True when the sandbox records an active enrollment."""
        from sandbox.lms.models import Enrollment

        return Enrollment.objects.filter(user=user, course__course_key=course_key, is_active=True).exists()
