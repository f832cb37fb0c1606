"""The benchmark's simulated person reads the challenge's code (issue 15: replies never carry it)."""

from __future__ import annotations

import random

from benchmarks.heartbeat.learner import Block, Learner, Mix
from xueshi_studytime.challenges import code_under

KEY = b"benchmark-key"
BLOCK = Block("course-v1:A+B+C", "block-v1:A+B+C+type@xueshi_video+block@v", 600.0)


def challenged_learner():
    learner = Learner(1, [BLOCK], random.Random(1), Mix(0, 0, 0, 0, 0, 0))
    learner.read_code = lambda cid: code_under(KEY, cid)
    learner.start(0.0)
    now = learner.next_due()
    learner.on_reply(learner.next_call(now), 200, {"token": "t", "resume_position": 0.0}, now)
    now = learner.next_due()
    call = learner.next_call(now)
    learner.on_reply(call, 200, {"position": call.position, "challenge": {"id": "first"}}, now)
    return learner


def next_answer(learner):
    while True:
        now = learner.next_due()
        call = learner.next_call(now)
        if call.action == "answer":
            return call, now
        learner.on_reply(
            call, 200, {"position": call.position, "challenge": {"id": call.device.challenge}}, now
        )


def test_the_answer_carries_the_code_read_from_the_picture():
    call, _now = next_answer(challenged_learner())
    assert call.body == {"token": "t", "challenge_id": "first", "code": code_under(KEY, "first")}


def test_a_late_answer_reads_the_replacement_code_without_a_failure():
    learner = challenged_learner()
    call, now = next_answer(learner)
    learner.on_reply(call, 400, {"error": "challenge_late", "challenge": {"id": "second"}}, now)
    again, _now = next_answer(learner)
    assert again.body["challenge_id"] == "second" and again.body["code"] == code_under(KEY, "second")
    assert learner.failures == 0
