"""Visible strings of our pages under zh-cn: the question bank's count ("(306 in total)")."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from tests.component.questionbank.conftest import add_question, single

COURSE = "course-v1:BankOrg+I18N+2026"


def test_question_bank_count_is_chinese(client: Any, db: Any) -> None:
    """Its catalog entry was fuzzy, so msgfmt dropped it and the page said "(2 in total)"."""
    add_question(COURSE, single("第一题"))
    add_question(COURSE, single("第二题"))
    client.force_login(get_user_model().objects.create_user("i18n-teacher", password="pw", is_staff=True))
    page = client.get(f"/xueshi/questionbank/{COURSE}/", HTTP_ACCEPT_LANGUAGE="zh-cn").content.decode()
    assert "共 2 道" in page
    assert "in total" not in page
