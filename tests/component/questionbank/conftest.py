"""Fixtures of the question bank's component tests: learners and a small bank in MariaDB."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from xueshi_questionbank import store
from xueshi_questionbank.data import Tags, question_from_dict

COURSE = "course-v1:BankOrg+E101+2026"
OTHER_COURSE = "course-v1:BankOrg+W201+2026"
FOREIGN_COURSE = "course-v1:ElseOrg+X1+2026"
USAGE = "block-v1:BankOrg+E101+2026+type@xueshi_practice+block@p1"


def single(stem: str, answer: str = "A", explanation: str = "解析") -> dict[str, Any]:
    """A single-choice question's content."""
    return {
        "type": "single",
        "stem": stem,
        "options": {"A": "甲", "B": "乙", "C": "丙", "D": "丁"},
        "answer": answer,
        "explanation": explanation,
    }


def add_question(
    course: str, content: dict[str, Any], trade: str = "电工", point: str = "安全用电", level: int = 2
):
    """Store a bank question; return its first version."""
    item = store.NewQuestion(question_from_dict(content), Tags(trade, point, level))
    return store.create_question(store.bank_for(course), item)


@pytest.fixture
def learners(db: Any) -> list[Any]:
    """Two learners."""
    model = get_user_model()
    return [
        model.objects.create_user(name, f"{name}@example.invalid", "pw") for name in ("xiaoming", "xiaohong")
    ]


@pytest.fixture
def small_bank(db: Any) -> dict[str, list[Any]]:
    """30 questions in COURSE: 20 电工 (10 easy, 10 hard), 10 焊工."""
    versions: dict[str, list[Any]] = {"电工": [], "焊工": []}
    for i in range(20):
        versions["电工"].append(
            add_question(COURSE, single(f"电工题{i}"), "电工", "安全用电", 1 if i < 10 else 3)
        )
    for i in range(10):
        versions["焊工"].append(add_question(COURSE, single(f"焊工题{i}", "B"), "焊工", "焊接工艺", 2))
    return versions
