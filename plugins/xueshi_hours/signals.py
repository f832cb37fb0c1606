"""Signals of the hours app.

.. event_type: xueshi_hours.hours_changed
.. event_name: HOURS_CHANGED
.. event_description: sent after something that changes a learner's hours was committed: external
   hours approved or rejected, a course's hour settings saved (for each learner credited in the
   course this period), a video block's coverage completed. Not sent per credited minute: an hour
   account is computed on demand from the records (ADR 0112).
.. event_data: user_id (int), period_year (int: the year the period starts in)
"""

from __future__ import annotations

from django.dispatch import Signal

HOURS_CHANGED = Signal()
