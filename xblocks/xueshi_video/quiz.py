"""Quiz checkpoints of the guarded video: fields, the learner's schedule and the answer handlers.

The server holds everything: each learner's schedule (fixed times plus their own random draws),
which checkpoints they passed (``checkpoint_results``, user state), the questions (in-block ones
are versioned in the question bank through ``upsert_block_question``), and the ledger's barriers,
which stop credit at the next unpassed checkpoint. The browser gets times, and a question's stem
and options (shuffled and lettered per learner) when it asks; never the answer key, and the
explanation only after a right answer. Answers per question are limited (ADR 0413): the server
counts them in the bank, rewinds when they run out and serves a fresh question next.
"""

from __future__ import annotations

import re
from typing import Any

from xblock.core import XBlockMixin
from xblock.fields import Boolean, Dict, Integer, List, Scope

from . import attempts as rules
from . import checkpoints as cp
from .authoring import CheckpointAuthoringMixin
from .serving import QuestionServingMixin
from .web import HandlerError, json_api

ATTEMPT_ID_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
KEEP_ANSWERS = 100  # replies remembered per learner for replayed attempt ids
ANSWERED_EVENT = "xueshi.video.checkpoint.answered"


def _(text: str) -> str:
    """Mark a string for extraction (translated where shown)."""
    return text


class CheckpointsMixin(CheckpointAuthoringMixin, QuestionServingMixin, XBlockMixin):
    """Fields and handlers of quiz checkpoints (mixed into ``XueshiVideoBlock``)."""

    checkpoints = List(
        display_name=_("Checkpoints"),
        default=[],
        scope=Scope.settings,
        help=_("Fixed checkpoints: time, kind (question, bank, card), policy after a wrong answer."),
    )
    random_checkpoints = Dict(
        display_name=_("Random checkpoints"),
        default={},
        scope=Scope.settings,
        help=_("How many checkpoints each learner gets at random times, drawn from the course's bank."),
    )
    checkpoint_version = Integer(default=0, scope=Scope.settings)
    score_checkpoints = Boolean(
        display_name=_("Score includes checkpoint results"), default=False, scope=Scope.settings
    )
    checkpoint_results = Dict(default={}, scope=Scope.user_state)
    checkpoint_answers = Dict(default={}, scope=Scope.user_state)

    # -- schedule ---------------------------------------------------------------------------
    def usage_text(self) -> str:
        """The usage key as stored in every record."""
        return str(self.scope_ids.usage_id)

    def learner_schedule(self, user_id: int, duration: float) -> list[cp.Slot]:
        """The learner's checkpoints in time order."""
        return cp.learner_schedule(
            list(self.checkpoints),
            dict(self.random_checkpoints),
            duration,
            user_id=user_id,
            usage_key=self.usage_text(),
            version=int(self.checkpoint_version),
        )

    def _passed(self, slot: cp.Slot) -> bool:
        """Answered right (or a card acknowledged)."""
        return bool(self.checkpoint_results.get(slot.id, {}).get("passed"))

    def _over(self, slot: cp.Slot) -> bool:
        """Finished: passed, or failed under "record and go on" (its barrier is released)."""
        record = self.checkpoint_results.get(slot.id, {})
        return bool(record.get("over") or record.get("passed"))

    def sync_barriers(self, user_id: int, duration: float) -> Any:
        """Tell the ledger where this learner must stop (unpassed checkpoint times)."""
        from xueshi_studytime import api as ledger

        unpassed = [s.at for s in self.learner_schedule(user_id, duration) if not self._over(s)]
        return ledger.set_barriers(user_id, self.scope_ids.usage_id, unpassed)

    def checkpoint_summary(self, user_id: int, duration: float, state: Any = None) -> dict[str, Any]:
        """What the player may know: times, kinds, which are passed, and the ledger's barrier state."""
        from xueshi_studytime import api as ledger

        if state is None:
            state = ledger.barrier_state(user_id, self.scope_ids.usage_id)
        items = [
            {
                "id": s.id,
                "at": s.at,
                "kind": "card" if s.kind == cp.CARD else "question",
                "passed": self._passed(s),
                "over": self._over(s),
            }
            for s in self.learner_schedule(user_id, duration)
        ]
        return {"items": items, "barrier": state.as_dict()}

    def _slot(self, user_id: int, data: dict[str, Any]) -> tuple[cp.Slot, list[cp.Slot]]:
        slot_id = data.get("checkpoint_id")
        if not isinstance(slot_id, str) or (not cp.ID_RE.match(slot_id) and not slot_id.startswith("r-")):
            raise HandlerError(400, "invalid_checkpoint", "checkpoint_id must be a checkpoint's id")
        _media, duration = self.resolved_media()  # type: ignore[attr-defined]
        schedule = self.learner_schedule(user_id, duration)
        slot = next((s for s in schedule if s.id == slot_id), None)
        if slot is None:
            raise HandlerError(
                404,
                "unknown_checkpoint",
                self.ugettext("There is no such checkpoint in your schedule of this video."),  # type: ignore[attr-defined]
            )
        return slot, schedule

    def _already_over(self, slot: cp.Slot) -> HandlerError:
        """The refusal for a finished checkpoint (the code stays ``checkpoint_passed`` for the player)."""
        if self._passed(slot):
            message = self.ugettext("You have already passed this checkpoint.")  # type: ignore[attr-defined]
        else:
            message = self.ugettext("This checkpoint is over: its result was recorded as not passed.")  # type: ignore[attr-defined]
        return HandlerError(409, "checkpoint_passed", message)

    # -- serving questions ------------------------------------------------------------------
    @json_api
    def checkpoint_question(self, data: dict[str, Any], request: Any) -> dict[str, Any]:
        """The question (stem, shuffled options) or card of one of the learner's unpassed checkpoints."""
        user = self._require_user()  # type: ignore[attr-defined]
        slot, _schedule = self._slot(user.id, data)
        if self._over(slot):
            raise self._already_over(slot)
        return self._view(slot, self._served(user.id, slot))

    # -- answering --------------------------------------------------------------------------
    def _check_due(self, user_id: int, slot: cp.Slot) -> None:
        from xueshi_studytime import api as ledger

        state = ledger.barrier_state(user_id, self.scope_ids.usage_id)
        if state.due is not None and abs(state.due - slot.at) < 1e-3:
            return
        if state.rewatch_from is not None and state.next is not None and abs(state.next - slot.at) < 1e-3:
            message = self.ugettext("Watch the video again from where it was rewound before answering.")  # type: ignore[attr-defined]
            raise HandlerError(409, "rewatch_required", message, barrier=state.as_dict())
        message = self.ugettext("Watch the video up to this checkpoint before answering it.")  # type: ignore[attr-defined]
        raise HandlerError(409, "checkpoint_not_reached", message, barrier=state.as_dict())

    def _round_key(self, user_id: int, slot: cp.Slot, record: dict[str, Any]) -> tuple[str, int]:
        """The idempotency key of this answer in the bank, and how many answers the round already took."""
        from xueshi_questionbank import api as bank

        prefix = rules.attempt_key_prefix(user_id, self.usage_text(), slot.id, int(record.get("round", 0)))
        if slot.kind == cp.CARD or record.get("version_id") is None:
            return prefix + "ack", 0
        used = bank.count_attempts(user_id, prefix)
        return f"{prefix}{used + 1}", used

    def _rewind(self, user_id: int, slot: cp.Slot, schedule: list[cp.Slot]) -> float:
        from xueshi_studytime import api as ledger

        target = cp.rewind_target(schedule, slot)
        ledger.rewind_barrier(user_id, self.scope_ids.usage_id, slot.at, target)
        return target

    def _exhausted(
        self, user_id: int, slot: cp.Slot, schedule: list[cp.Slot], record: dict[str, Any]
    ) -> None:
        """The round's answers were all taken (at once, or by a request whose state was lost): rewind."""
        from xueshi_studytime import api as ledger

        target = self._rewind(user_id, slot, schedule)
        self._new_round(slot, record)
        message = self.ugettext(  # type: ignore[attr-defined]
            "You have used every answer for this question. Watch again from {time}; a new question follows."
        ).format(time=cp.clock(target))
        state = ledger.barrier_state(user_id, self.scope_ids.usage_id)
        raise HandlerError(409, "attempts_exhausted", message, rewind_to=target, barrier=state.as_dict())

    @json_api
    def answer_checkpoint(self, data: dict[str, Any], request: Any) -> dict[str, Any]:
        """Judge the answer on the server, record it, apply the checkpoint's policy, tell the ledger."""
        from xueshi_studytime import api as ledger

        user = self._require_user()  # type: ignore[attr-defined]
        attempt_id = data.get("attempt_id")
        if not isinstance(attempt_id, str) or not ATTEMPT_ID_RE.match(attempt_id):
            raise HandlerError(
                400, "invalid_attempt_id", "attempt_id must be 8 to 64 letters, digits, - or _"
            )
        previous = self.checkpoint_answers.get(attempt_id)
        if previous is not None:
            message = self.ugettext("This answer was already received.")  # type: ignore[attr-defined]
            raise HandlerError(409, "already_answered", message, result=_without_key(previous))
        slot, schedule = self._slot(user.id, data)
        if self._over(slot):
            raise self._already_over(slot)
        self._check_due(user.id, slot)
        record = self._served(user.id, slot)
        limit = rules.attempts_limit(slot.policy, slot.config.get("max_attempts"))
        key, used = self._round_key(user.id, slot, record)
        if used >= limit:
            self._exhausted(user.id, slot, schedule, record)
        judgement = self._judge(user, slot, record, data, key)
        correct = judgement is None or judgement.correct
        decision = rules.decide(slot.policy, correct, used + (0 if correct else 1), limit)
        rewind_to = None
        if decision.over:
            ledger.pass_barrier(user.id, self.scope_ids.usage_id, slot.at)
        elif decision.new_round:
            rewind_to = self._rewind(user.id, slot, schedule)
        attempts = int(record.get("attempts", 0)) + 1
        record.update(
            attempts=attempts,
            over=decision.over,
            passed=decision.result == rules.PASSED,
            result=decision.result,
            first_correct=record.get("first_correct", correct if attempts == 1 else False),
        )
        if decision.new_round:
            record = self._new_round(slot, record)
        else:
            self._store_result(slot, record)
        reply: dict[str, Any] = {
            "checkpoint_id": slot.id,
            "correct": correct,
            "outcome": decision.outcome,
            "passed": decision.result == rules.PASSED,
            "over": decision.over,
            "attempts_left": decision.attempts_left,
        }
        if rewind_to is not None:
            reply["rewind_to"] = rewind_to
        if judgement is not None and correct and judgement.explanation:  # they know the answer already
            reply["explanation"] = judgement.explanation
        answers = dict(self.checkpoint_answers)
        answers[attempt_id] = reply
        self.checkpoint_answers = dict(list(answers.items())[-KEEP_ANSWERS:])
        self.runtime.publish(
            self,
            ANSWERED_EVENT,
            {
                "checkpoint_id": slot.id,
                "at": slot.at,
                "kind": slot.kind,
                "version_id": record.get("version_id"),
                "correct": correct,
                "outcome": decision.outcome,
                "result": decision.result,
                "attempt": attempts,
            },
        )
        _media, duration = self.resolved_media()  # type: ignore[attr-defined]
        reply["checkpoints"] = self.checkpoint_summary(user.id, duration)
        self.publish_score(user.id)
        return reply

    # -- score ------------------------------------------------------------------------------
    def checkpoint_score(self, user_id: int) -> float:
        """Share of question checkpoints answered right at the first attempt (1.0 when there are none)."""
        _media, duration = self.resolved_media()  # type: ignore[attr-defined]
        questions = [s for s in self.learner_schedule(user_id, duration) if s.kind != cp.CARD]
        if not questions:
            return 1.0
        right = sum(1 for s in questions if self.checkpoint_results.get(s.id, {}).get("first_correct"))
        return right / len(questions)

    def all_passed(self, user_id: int) -> bool:
        """Every checkpoint of the learner's schedule is over (passed, or failed under "record and go on")."""
        _media, duration = self.resolved_media()  # type: ignore[attr-defined]
        return all(self._over(s) for s in self.learner_schedule(user_id, duration))

    def publish_score(self, user_id: int) -> bool:
        """Publish the grade once the video is completed (coverage by the ledger, every checkpoint passed)."""
        from xueshi_studytime import api as ledger

        if self.weight <= 0:  # type: ignore[attr-defined]
            return False
        progress = ledger.get_progress(user_id, self.scope_ids.usage_id)
        if not (progress.completed and self.all_passed(user_id)):
            return False
        weight = float(self.weight)  # type: ignore[attr-defined]
        value = weight * self.checkpoint_score(user_id) if self.score_checkpoints else weight
        self.runtime.publish(
            self, "grade", {"value": round(value, 4), "max_value": weight, "only_if_higher": True}
        )
        return True


def _without_key(reply: dict[str, Any]) -> dict[str, Any]:
    """A remembered reply without answer keys (replies stored before ADR 0413 carried them)."""
    hidden = {"correct_answer"} if reply.get("correct") else {"correct_answer", "explanation"}
    return {k: v for k, v in reply.items() if k not in hidden}
