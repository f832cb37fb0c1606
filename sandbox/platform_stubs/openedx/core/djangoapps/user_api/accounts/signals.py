"""Stand-in for ``openedx/core/djangoapps/user_api/accounts/signals.py``: the retirement signals.

Same names and arguments as the platform's, so ``plugin_app`` receivers connect by the same
dotted path in the sandbox as in the LMS. ``sandbox/lms/management/commands/retire_user.py``
sends them as the platform's retirement views do.
"""

from django.dispatch import Signal

#: ``user``, ``email``, ``new_email``: unsubscribe the learner from mailings.
USER_RETIRE_MAILINGS = Signal()
#: ``user`` (still under its original name), ``retired_username``, ``retired_email``.
USER_RETIRE_LMS_CRITICAL = Signal()
#: ``user``: everything else the LMS holds.
USER_RETIRE_LMS_MISC = Signal()
