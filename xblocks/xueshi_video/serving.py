"""Which question a learner gets at a checkpoint, how it is shown, and how an answer is judged.

Each learner's question at a checkpoint is chosen once per *round* and kept in user state, so a
reload shows the same question; a round ends when the learner runs out of answers (ADR 0413) and
the next one serves a fresh question: a new per-learner bank draw that avoids what they saw, or
the fixed question with its options in a new order. Options are lettered by their shown position
(``attempts.relabel``): neither the question payload nor any reply carries the stored answer key,
the correct answer or the explanation of a question the learner has not answered right.
"""

from __future__ import annotations

from typing import Any

from xblock.core import XBlockMixin

from . import attempts as rules
from . import checkpoints as cp
from .web import HandlerError


class QuestionServingMixin(XBlockMixin):
    """Serving, showing and judging checkpoint questions (mixed into the checkpoints mixin)."""

    def _store_result(self, slot: cp.Slot, record: dict[str, Any]) -> None:
        results = dict(self.checkpoint_results)  # type: ignore[attr-defined]
        results[slot.id] = record
        self.checkpoint_results = results  # type: ignore[attr-defined]

    def _served(self, user_id: int, slot: cp.Slot) -> dict[str, Any]:
        """The question version this learner gets at ``slot`` in this round (chosen once, then kept)."""
        record = dict(self.checkpoint_results.get(slot.id, {}))  # type: ignore[attr-defined]
        if slot.kind == cp.CARD or "version_id" in record:
            return record
        number = int(record.get("round", 0))
        base = cp.question_seed(user_id, self.usage_text(), slot.id)  # type: ignore[attr-defined]
        seed = rules.round_seed(base, number)
        seen = [int(v) for v in record.get("seen", [])]
        version_id = self._drawn(slot, seed, seen) if cp.draws_from_bank(slot) else None
        if version_id is None and slot.kind == cp.QUESTION:
            version_id = self._block_question(slot)
        if version_id is not None and version_id not in seen:
            seen.append(version_id)
        record.update(
            version_id=version_id,
            seed=seed,
            round=number,
            seen=seen[-50:],
            attempts=record.get("attempts", 0),
        )
        self._store_result(slot, record)
        return record

    def _drawn(self, slot: cp.Slot, seed: str, seen: list[int]) -> int | None:
        """A per-learner bank draw by the checkpoint's tags, avoiding questions already shown if it can."""
        from xueshi_questionbank import api as bank

        course = self.scope_ids.usage_id.course_key
        tags = slot.config.get("tags") or {}
        drawn = bank.draw(course, tags=tags, count=1, seed=seed, exclude=seen) if seen else []
        drawn = drawn or bank.draw(course, tags=tags, count=1, seed=seed)
        return drawn[0].version_id if drawn else None

    def _block_question(self, slot: cp.Slot) -> int:
        from xueshi_questionbank import api as bank

        content = {**slot.config["question"], "tags": slot.config.get("tags", {})}
        usage = self.scope_ids.usage_id
        return int(bank.upsert_block_question(usage.course_key, usage, slot.id, content))

    def _new_round(self, slot: cp.Slot, record: dict[str, Any]) -> dict[str, Any]:
        """Forget the round's question: the next request serves a fresh one."""
        fresh = {k: v for k, v in record.items() if k not in ("version_id", "seed")}
        fresh["round"] = int(record.get("round", 0)) + 1
        self._store_result(slot, fresh)
        return fresh

    def _shown(self, record: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """The question as this learner sees it (no version id, no keys of the store), and the letter map."""
        from xueshi_questionbank import api as bank

        view = bank.view(int(record["version_id"]), record["seed"]).as_dict()
        options, mapping = (
            rules.relabel(view["options"])
            if view["type"] in ("single", "multiple")
            else (
                view["options"],
                {},
            )
        )
        shown = {
            "type": view["type"],
            "stem": view["stem"],
            "options": options,
            "blank_count": view["blank_count"],
        }
        return shown, mapping

    def _view(self, slot: cp.Slot, record: dict[str, Any]) -> dict[str, Any]:
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
        question, _mapping = self._shown(record)
        limit = rules.attempts_limit(slot.policy, slot.config.get("max_attempts"))
        return {**base, "kind": "question", "question": question, "max_attempts": limit}

    def _judge(self, user: Any, slot: cp.Slot, record: dict[str, Any], data: dict[str, Any], key: str) -> Any:
        """Judge and record one answer; returns the bank's judgement (None for cards)."""
        from xueshi_questionbank import api as bank

        if slot.kind == cp.CARD or record.get("version_id") is None:
            if data.get("acknowledged") is not True:
                raise HandlerError(400, "invalid_answer", "acknowledge the card with acknowledged: true")
            return None
        _question, mapping = self._shown(record)
        answer = rules.stored_answer(data.get("answer"), mapping) if mapping else data.get("answer")
        version_id = int(record["version_id"])
        try:
            judgement = bank.judge_answer(version_id, answer)
        except bank.InvalidAnswer as exc:
            raise HandlerError(400, "invalid_answer", str(exc)) from exc
        usage = self.scope_ids.usage_id
        try:
            attempt = bank.record_attempt(
                user.id,
                usage.course_key,
                usage,
                "checkpoint",
                slot.id,
                version_id,
                answer,
                judgement.correct,
                key,
            )
        except (bank.AttemptConflict, ValueError) as exc:
            raise HandlerError(409, "attempt_conflict", str(exc)) from exc
        if attempt.replayed:  # another answer took this attempt's number at the same time
            message = self.ugettext(
                "Another answer to this checkpoint arrived at the same time; only one counts."
            )  # type: ignore[attr-defined]
            raise HandlerError(409, "concurrent_answer", message)
        return judgement
