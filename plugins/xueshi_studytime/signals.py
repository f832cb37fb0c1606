"""Signals of the study-time ledger.

.. event_type: xueshi_studytime.video_coverage_completed
.. event_name: VIDEO_COVERAGE_COMPLETED
.. event_description: sent once per (learner, block), after the flusher commits the heartbeat whose
   coverage first reached the policy's threshold; never from the browser's ``ended``.
.. event_data: user_id (int), usage_key (str), coverage (float in [0, 1])

.. event_type: xueshi_studytime.playback_session_opened
.. event_name: PLAYBACK_SESSION_OPENED
.. event_description: sent after a playback session opened and took the learner's lease, so other
   apps (face checks) can schedule holds without touching the heartbeat path.
.. event_data: user_id (int), course_key (str), usage_key (str), session_id (str), client (str)
"""

from __future__ import annotations

from django.dispatch import Signal

VIDEO_COVERAGE_COMPLETED = Signal()
PLAYBACK_SESSION_OPENED = Signal()
