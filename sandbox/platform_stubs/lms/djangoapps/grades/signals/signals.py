"""Stand-in for ``lms/djangoapps/grades/signals/signals.py``: the signal edx-completion listens to.

The sandbox runtime sends it when a block publishes a grade, as the LMS's score handlers do.
"""

from django.dispatch import Signal

# Same providing_args as the LMS: user_id, course_id, usage_id, weighted_earned, weighted_possible, ...
PROBLEM_WEIGHTED_SCORE_CHANGED = Signal()
