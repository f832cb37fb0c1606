"""The learner's progress on the course page: completion ticks and credited minutes per unit.

Completion is what the platform's completion service reports (edx-completion's
``CompletionService``, fed by the blocks' ``completion`` events through ``runtime.publish``); the
credited minutes are the study-time ledger's own records (``xueshi_studytime.api``), never a figure
the browser computed. The LMS's course outline shows the first; the second is what a Chinese
training platform's learner looks for next to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from completion.services import CompletionService

from .models import ContentBlock, CourseRun

COMPLETE = 1.0


@dataclass(frozen=True)
class UnitProgress:
    """One unit of the outline as the learner sees it."""

    usage_key: str
    title: str
    completion: float  # 0.0 ... 1.0, as the completion service reports it
    credited_minutes: int  # whole minutes the ledger credited (rounded down)
    preview: bool = False  # the author marked it 试听: viewable unenrolled in a public run

    @property
    def complete(self) -> bool:
        """The completion service says the unit is done."""
        return self.completion >= COMPLETE

    @property
    def percent(self) -> int:
        """Completion in whole percent, for the progress bar."""
        return round(self.completion * 100)


def _title(block: ContentBlock) -> str:
    return str(block.fields.get("display_name") or block.block_type)


def course_progress(user: Any, course: CourseRun) -> tuple[list[UnitProgress], int]:
    """Each unit's completion and credited minutes for ``user``, and the units completed."""
    from xueshi_studytime import api as ledger

    blocks = list(course.blocks.order_by("position"))
    completions: dict[Any, float] = {}
    credited: dict[str, int] = {}
    if user.is_authenticated:
        service = CompletionService(user, course.course_key)
        completions = service.get_completions([b.usage_key for b in blocks])
        credited = ledger.credited_seconds_by_block(user.id, course.course_key)
    units = [
        UnitProgress(
            usage_key=str(b.usage_key),
            title=_title(b),
            completion=float(completions.get(b.usage_key, 0.0)),
            credited_minutes=credited.get(str(b.usage_key), 0) // 60,
            preview=bool(b.fields.get("preview")),
        )
        for b in blocks
    ]
    return units, sum(1 for u in units if u.complete)
