"""Quiz checkpoints of the guarded video: fields, the learner's schedule and the answer handlers.

The server holds everything: each learner's schedule (fixed times plus their own random draws),
which checkpoints they passed (``checkpoint_results``, user state), the questions (in-block ones
are versioned in the question bank through ``upsert_block_question``), and the ledger's barriers,
which stop credit at the next unpassed checkpoint. The browser gets times, and a question's stem
and shuffled options only when it is due; the correct answer and the explanation only once the
checkpoint is over.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from xblock.core import XBlockMixin
from xblock.fields import Boolean, Dict, Integer, List, Scope

from . import checkpoints as cp
from .web import HandlerError, json_api

ATTEMPT_ID_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
KEEP_ANSWERS = 100  # replies remembered per learner for replayed attempt ids
ANSWERED_EVENT = "xueshi.video.checkpoint.answered"


def _(text: str) -> str:
    """Mark a string for extraction (translated where shown)."""
    return text


def new_checkpoint_id() -> str:
    """A fresh id for a checkpoint the author just added (kept across later edits)."""
    return "cp-" + uuid.uuid4().hex[:10]


class CheckpointsMixin(XBlockMixin):
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
        return bool(self.checkpoint_results.get(slot.id, {}).get("passed"))

    def sync_barriers(self, user_id: int, duration: float) -> Any:
        """Tell the ledger where this learner must stop (unpassed checkpoint times)."""
        from xueshi_studytime import api as ledger

        unpassed = [s.at for s in self.learner_schedule(user_id, duration) if not self._passed(s)]
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

    # -- authoring --------------------------------------------------------------------------
    def clean_checkpoint_edits(
        self, values: dict[str, Any], duration: float
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """Validate the editor's checkpoint fields; version in-block questions in the bank."""
        clean: dict[str, Any] = {}
        errors: dict[str, str] = {}
        translate = self.ugettext  # type: ignore[attr-defined]
        if "checkpoints" in values:
            entries, error = cp.validate_checkpoints(
                values["checkpoints"], duration, translate, new_checkpoint_id
            )
            error = error or self._bank_errors(entries)
            if error:
                errors["checkpoints"] = error
            else:
                clean["checkpoints"] = entries
        if "random_checkpoints" in values:
            config, error = cp.validate_random(values["random_checkpoints"], translate)
            if not error and config["count"] and self._available(config["tags"]) == 0:
                error = translate("The course's question bank has no question with these tags yet.")
            if error:
                errors["random_checkpoints"] = error
            else:
                clean["random_checkpoints"] = config
                previous, _error = cp.validate_random(dict(self.random_checkpoints), translate)
                if config != previous:
                    clean["checkpoint_version"] = int(self.checkpoint_version) + 1  # new draws for everyone
        if "score_checkpoints" in values:
            if isinstance(values["score_checkpoints"], bool):
                clean["score_checkpoints"] = values["score_checkpoints"]
            else:
                errors["score_checkpoints"] = translate("Choose yes or no.")
        return clean, errors

    def _available(self, tags: dict[str, Any]) -> int:
        from xueshi_questionbank import api as bank

        return int(bank.count_available(self.scope_ids.usage_id.course_key, tags))

    def _bank_errors(self, entries: list[dict[str, Any]]) -> str | None:
        """Version each in-block question in the bank; check bank draws can find a question."""
        from xueshi_questionbank import api as bank

        translate = self.ugettext  # type: ignore[attr-defined]
        for number, entry in enumerate(entries, start=1):
            where = translate("Checkpoint {number} ({time}): ").format(
                number=number, time=cp.clock(entry["at"])
            )
            if entry["kind"] == cp.QUESTION:
                content = {**entry["question"], "tags": entry.get("tags", {})}
                try:
                    entry["version_id"] = bank.upsert_block_question(
                        self.scope_ids.usage_id.course_key, self.scope_ids.usage_id, entry["id"], content
                    )
                except bank.InvalidQuestion as exc:
                    return where + "; ".join(exc.errors)
            elif entry["kind"] == cp.BANK and self._available(entry.get("tags", {})) == 0:
                return where + translate("The course's question bank has no question with these tags yet.")
        return None

    def _already_passed(self) -> HandlerError:
        message = self.ugettext("You have already passed this checkpoint.")  # type: ignore[attr-defined]
        return HandlerError(409, "checkpoint_passed", message)

    # -- serving questions ------------------------------------------------------------------
    def _served(self, user_id: int, slot: cp.Slot) -> dict[str, Any]:
        """The question version this learner gets at ``slot`` (chosen once, then kept)."""
        from xueshi_questionbank import api as bank

        record = dict(self.checkpoint_results.get(slot.id, {}))
        if slot.kind == cp.CARD or "version_id" in record:
            return record
        course = self.scope_ids.usage_id.course_key
        seed = cp.question_seed(user_id, self.usage_text(), slot.id)
        version_id: int | None = None
        if slot.kind == cp.QUESTION:
            content = {**slot.config["question"], "tags": slot.config.get("tags", {})}
            version_id = bank.upsert_block_question(course, self.scope_ids.usage_id, slot.id, content)
        else:
            drawn = bank.draw(course, tags=slot.config.get("tags") or {}, count=1, seed=seed)
            version_id = drawn[0].version_id if drawn else None
        record.update({"version_id": version_id, "seed": seed, "attempts": record.get("attempts", 0)})
        results = dict(self.checkpoint_results)
        results[slot.id] = record
        self.checkpoint_results = results
        return record

    def _view(self, slot: cp.Slot, record: dict[str, Any]) -> dict[str, Any]:
        from xueshi_questionbank import api as bank

        base = {"id": slot.id, "at": slot.at, "policy": slot.policy}
        if slot.kind == cp.CARD:
            card = slot.config.get("card", {})
            return {
                **base,
                "kind": "card",
                "card": {k: card.get(k, "") for k in ("title", "text", "image_url")},
            }
        if record.get("version_id") is None:  # the bank had no question with these tags
            text = self.ugettext("Checkpoint: confirm that you are following the lesson to continue.")  # type: ignore[attr-defined]
            return {**base, "kind": "card", "card": {"title": "", "text": text, "image_url": ""}}
        question = bank.view(int(record["version_id"]), record["seed"]).as_dict()
        return {**base, "kind": "question", "question": question}

    @json_api
    def checkpoint_question(self, data: dict[str, Any], request: Any) -> dict[str, Any]:
        """The question (stem, shuffled options) or card of one of the learner's unpassed checkpoints."""
        user = self._require_user()  # type: ignore[attr-defined]
        slot, _schedule = self._slot(user.id, data)
        if self._passed(slot):
            raise HandlerError(
                409, "checkpoint_passed", self.ugettext("You have already passed this checkpoint.")
            )  # type: ignore[attr-defined]
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

    def _judge(self, user: Any, slot: cp.Slot, record: dict[str, Any], data: dict[str, Any], key: str) -> Any:
        """Judge and record one answer; returns the bank's judgement (None for cards)."""
        from xueshi_questionbank import api as bank

        if slot.kind == cp.CARD or record.get("version_id") is None:
            if data.get("acknowledged") is not True:
                raise HandlerError(400, "invalid_answer", "acknowledge the card with acknowledged: true")
            return None
        answer = data.get("answer")
        version_id = int(record["version_id"])
        try:
            judgement = bank.judge_answer(version_id, answer)
        except bank.InvalidAnswer as exc:
            raise HandlerError(400, "invalid_answer", str(exc)) from exc
        try:
            attempt = bank.record_attempt(
                user.id,
                self.scope_ids.usage_id.course_key,
                self.scope_ids.usage_id,
                "checkpoint",
                slot.id,
                version_id,
                answer,
                judgement.correct,
                key,
            )
        except (bank.AttemptConflict, ValueError) as exc:
            raise HandlerError(409, "attempt_conflict", str(exc)) from exc
        if attempt.replayed:
            raise HandlerError(409, "already_answered", self.ugettext("This answer was already received."))  # type: ignore[attr-defined]
        return judgement

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
            raise HandlerError(409, "already_answered", message, result=previous)
        slot, schedule = self._slot(user.id, data)
        if self._passed(slot):
            raise HandlerError(
                409, "checkpoint_passed", self.ugettext("You have already passed this checkpoint.")
            )  # type: ignore[attr-defined]
        self._check_due(user.id, slot)
        record = self._served(user.id, slot)
        key = f"cp:{user.id}:{self.scope_ids.usage_id.block_id}:{slot.id}:{attempt_id}"[:191]
        judgement = self._judge(user, slot, record, data, key)
        correct = judgement is None or judgement.correct
        outcome = "passed" if correct else slot.policy
        usage = self.scope_ids.usage_id
        rewind_to = None
        if outcome in ("passed", cp.CONTINUE):
            ledger.pass_barrier(user.id, usage, slot.at)
        elif outcome == cp.REWIND:
            rewind_to = cp.rewind_target(schedule, slot)
            ledger.rewind_barrier(user.id, usage, slot.at, rewind_to)
        attempts = int(record.get("attempts", 0)) + 1
        finished = outcome in ("passed", cp.CONTINUE)
        record.update(
            attempts=attempts,
            passed=finished,
            first_correct=record.get("first_correct", correct if attempts == 1 else False),
        )
        results = dict(self.checkpoint_results)
        results[slot.id] = record
        self.checkpoint_results = results
        reply: dict[str, Any] = {
            "checkpoint_id": slot.id,
            "correct": correct,
            "outcome": outcome,
            "passed": finished,
        }
        if rewind_to is not None:
            reply["rewind_to"] = rewind_to
        if judgement is not None and finished:  # never while the learner may still try again
            reply.update(correct_answer=list(judgement.correct_answer), explanation=judgement.explanation)
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
                "outcome": outcome,
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
        """Every checkpoint of the learner's schedule is passed."""
        _media, duration = self.resolved_media()  # type: ignore[attr-defined]
        return all(self._passed(s) for s in self.learner_schedule(user_id, duration))

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
