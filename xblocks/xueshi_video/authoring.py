"""Studio side of quiz checkpoints: validate what the author saved and version in-block questions.

The pure rules are in ``checkpoints.py``; this mixin adds what needs the course's question bank:
in-block questions are stored as bank versions when saved, and bank draws must be able to find a
question, so a tag with no question is refused at save time rather than found by a learner.
"""

from __future__ import annotations

import uuid
from typing import Any

from xblock.core import XBlockMixin

from . import checkpoints as cp


def new_checkpoint_id() -> str:
    """A fresh id for a checkpoint the author just added (kept across later edits)."""
    return "cp-" + uuid.uuid4().hex[:10]


class CheckpointAuthoringMixin(XBlockMixin):
    """Validation of the editor's checkpoint fields (mixed into the checkpoints mixin)."""

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
