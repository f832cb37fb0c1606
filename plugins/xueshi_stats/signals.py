"""Facts the statistics app tells others, sent only after they are committed (ADR 0340).

.. event_type: xueshi_stats.training_project_announced
.. event_name: TRAINING_PROJECT_ANNOUNCED
.. event_description: a training project became known to its learners: an operator approved it,
   or changed the first or last day of an approved project. Sent with ``transaction.on_commit``
   from ``projects.approve`` and ``projects.save_plan``; ``revision`` names the fact
   (``approved`` or ``dates:<first>:<last>``), so receivers that key on
   (project, revision, learner) tell each learner each fact once, however often it is sent.
.. event_data: event (ProjectAnnounced)

.. event_type: xueshi_stats.learners_moved
.. event_name: LEARNERS_MOVED
.. event_description: the roll-up recorded a new current region (or personnel category or
   employer) for these learners, including a first one for a learner whose real-name profile
   became complete. Sent with ``transaction.on_commit`` from ``rollup.roll_up_profiles``, so a
   receiver reads the new dated regions (a project's audience) at once.
.. event_data: event (LearnersMoved)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.dispatch import Signal

from xueshi_core.facts import send_on_commit

TRAINING_PROJECT_ANNOUNCED = Signal()
LEARNERS_MOVED = Signal()


@dataclass(frozen=True)
class ProjectAnnounced:
    """The payload of ``TRAINING_PROJECT_ANNOUNCED``: which project, which fact."""

    code: str
    revision: str


def announce_on_commit(code: str, revision: str) -> None:
    """Tell receivers about the project once the current transaction commits."""
    send_on_commit(TRAINING_PROJECT_ANNOUNCED, ProjectAnnounced(code, revision))


@dataclass(frozen=True)
class LearnersMoved:
    """The payload of ``LEARNERS_MOVED``: whose current region changed in one roll-up run."""

    user_ids: tuple[int, ...]


def moved_on_commit(user_ids: list[int]) -> None:
    """Tell receivers about learners in new regions once the current transaction commits."""
    if user_ids:
        send_on_commit(LEARNERS_MOVED, LearnersMoved(tuple(user_ids)))
