"""Helpers of the checkpoint component tests: a learner who studies a demo lesson over real HTTP.

Sessions open through the block's handler, heartbeats go to the ledger's REST endpoint, the
server clock is a manual one selected through settings (as production selects ``time.time``),
and answers go to the block's ``answer_checkpoint`` handler.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from xueshi_questionbank import store
from xueshi_questionbank.data import Tags, question_from_dict
from xueshi_questionbank.models import Question

from ..ledgerkit import ManualClock
from .conftest import post_json

HEARTBEATS = "/api/xueshi/studytime/v1/heartbeats"
DEMO_COURSE = "course-v1:XueshiDemo+AQ101+2026"


@dataclass
class Study:
    """One learner studying one lesson: a playback session plus honest or dishonest beats."""

    http: Any
    usage: str
    clock: ManualClock
    grant: dict[str, Any] = field(default_factory=dict)
    seq: int = 0
    position: float = 0.0

    def open(self) -> dict[str, Any]:
        response = post_json(self.http, self.usage, "open_session", {"client": "web"})
        assert response.status_code == 200, response.content
        self.grant, self.seq = response.json(), 0
        self.position = float(self.grant["resume_position"])
        return self.grant

    def beat(self, position: float, *, playing: bool = True, event: str = "tick") -> dict[str, Any]:
        self.seq += 1
        body = {
            "token": self.grant["token"],
            "seq": self.seq,
            "position": position,
            "playing": playing,
            "visible": True,
            "rate": 1.0,
            "event": event,
        }
        response = self.http.post(HEARTBEATS, json.dumps(body), content_type="application/json")
        assert response.status_code == 200, response.content
        reply = response.json()
        self.position = reply["position"]
        return reply

    def play(self, start: float, until: float, step: float = 10.0) -> list[dict[str, Any]]:
        """Play from ``start`` to ``until`` honestly (media time == server time)."""
        replies = [self.beat(start, event="play")]
        position = start
        while position < until - 1e-9:
            advance = min(step, until - position)
            self.clock.advance(advance)
            position += advance
            replies.append(self.beat(position))
        return replies

    def question(self, checkpoint_id: str) -> Any:
        return post_json(self.http, self.usage, "checkpoint_question", {"checkpoint_id": checkpoint_id})

    def answer(self, checkpoint_id: str, attempt_id: str | None = None, **payload: Any) -> Any:
        body = {"checkpoint_id": checkpoint_id, "attempt_id": attempt_id or uuid.uuid4().hex, **payload}
        return post_json(self.http, self.usage, "answer_checkpoint", body)


def empty_demo_bank() -> None:
    """Retire the demo bank's seeded questions (not the blocks' own), so draws see only the test's."""
    Question.objects.filter(bank=store.bank_for(DEMO_COURSE), source=Question.BANK).update(active=False)


def add_bank_questions(count: int = 6, trade: str = "安全生产") -> list[int]:
    """Put single-choice questions (answer A) in the demo course's bank, alone; return their version ids."""
    empty_demo_bank()
    bank = store.bank_for(DEMO_COURSE)
    ids = []
    for i in range(count):
        content = {
            "type": "single",
            "stem": f"题库题目{i}：正确的做法是？",
            "options": {"A": "按规程操作", "B": "凭经验操作", "C": "跳过检查", "D": "无人监护"},
            "answer": "A",
            "explanation": f"解析{i}",
        }
        version = store.create_question(
            bank, store.NewQuestion(question_from_dict(content), Tags(trade, "操作规程", 2))
        )
        ids.append(version.pk)
    return ids
