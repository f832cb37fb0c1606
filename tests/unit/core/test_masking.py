"""xueshi_core.masking: the shapes shown on screens and in exports."""

from __future__ import annotations

import pytest

from xueshi_core.masking import mask_email, mask_id_number, mask_middle, mask_name, mask_phone


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("350102199003071234", "3501**********1234"),
        ("11010519491231002x", "1101**********002X"),
        ("350102900307123", "3501********123"),  # legacy 15 digits
        ("E12345678", "E1*****78"),  # passport
        ("H1234567", "H1****67"),  # 回乡证 permit (8 chars)
        ("810000199408230021", "8100**********0021"),  # 港澳台居民居住证
        ("AB12", "A**2"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number(value: str | None, masked: str) -> None:
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("+8613812345678", "+86 138****5678"),
        ("+86-138-1234-5678", "+86 138****5678"),
        ("010-12345678", "010******78"),
        ("12345", "12***"),
        ("", ""),
    ],
)
def test_mask_phone(value: str, masked: str) -> None:
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("张三", "张*"),
        ("李小龙", "李**"),
        ("欧阳娜娜", "欧***"),
        ("王", "*"),
        ("John Smith", "J*** S****"),
        ("", ""),
    ],
)
def test_mask_name(value: str, masked: str) -> None:
    assert mask_name(value) == masked


def test_mask_email_and_never_more_than_half_visible() -> None:
    assert mask_email("zhangsan@example.com") == "zh******@example.com"
    for n in range(1, 30):
        masked = mask_middle("9" * n, 4, 4)
        assert len(masked) == n and masked.count("*") >= (n + 1) // 2
