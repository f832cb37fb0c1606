"""The questionnaire builder's text format: kinds, required flags, options, and errors by line."""

from __future__ import annotations

import pytest

from xueshi_services.questionnaire_source import SourceError, parse


def test_every_kind_with_required_flags_and_options() -> None:
    parsed = parse(
        "总体评价 [单选] *\n- 满意\n－ 不满意\n\nUseful parts [multiple]\n- A\n- B\n"
        "实用性［1-5］*\n讲师 [1-10]\n意见 [文本]"
    )
    assert [(q.kind, q.text, q.required) for q in parsed] == [
        ("single", "总体评价", True),
        ("multiple", "Useful parts", False),
        ("scale5", "实用性", True),
        ("scale10", "讲师", False),
        ("text", "意见", False),
    ]
    assert parsed[0].options == ["满意", "不满意"] and parsed[2].options == []


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("", 1),
        ("没有题型的题目", 1),
        ("题目 [判断]", 1),
        ("- 孤立的选项", 1),
        ("意见 [文本]\n- 选项", 2),
        ("评价 [单选]\n- 只有一个\n意见 [文本]", 1),
        ("评价 [单选]\n- 满意\n- 满意", 3),
    ],
)
def test_mistakes_are_refused_with_their_line(text: str, line: int) -> None:
    with pytest.raises(SourceError) as refused:
        parse(text)
    assert refused.value.line == line
