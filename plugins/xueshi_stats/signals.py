"""Facts the statistics app tells others, sent only after they are committed (ADR 0340).

.. event_type: xueshi_stats.training_project_announced
.. event_name: TRAINING_PROJECT_ANNOUNCED
.. event_description: a training project became known to its learners: an operator approved it,
   or changed the first or last day of an approved project. Sent with ``transaction.on_commit``
   from ``projects.approve`` and ``projects.save_plan``; ``revision`` names the fact
   (``approved`` or ``dates:<first>:<last>``), so receivers that key on
   (project, revision, learner) tell each learner each fact once, however often it is sent.
.. event_data: event (ProjectAnnounced)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.dispatch import Signal

from xueshi_core.facts import send_on_commit

TRAINING_PROJECT_ANNOUNCED = Signal()


@dataclass(frozen=True)
class ProjectAnnounced:
    """The payload of ``TRAINING_PROJECT_ANNOUNCED``: which project, which fact."""

    code: str
    revision: str


def announce_on_commit(code: str, revision: str) -> None:
    """Tell receivers about the project once the current transaction commits."""
    send_on_commit(TRAINING_PROJECT_ANNOUNCED, ProjectAnnounced(code, revision))
