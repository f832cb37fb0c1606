"""USCC and buyer tax numbers: GB 32100-2015 check characters, letter-leading codes, old numbers."""

from __future__ import annotations

import pytest

from xueshi_invoices import taxids

#: The weights as printed in the reference (3^(i-1) mod 31), written out rather than computed.
PRINTED_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
PRINTED_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _by_hand(first17: str) -> str:
    total = sum(PRINTED_ALPHABET.index(c) * w for c, w in zip(first17, PRINTED_WEIGHTS, strict=True))
    return PRINTED_ALPHABET[(31 - total % 31) % 31]


def test_weights_match_the_standard() -> None:
    assert taxids.WEIGHTS == PRINTED_WEIGHTS


@pytest.mark.parametrize(
    "code",
    [
        "91110000600037341L",  # a real 工商 registration (stdnum's own example)
        "9111 0000 6000 3734 1l",  # pasted with spaces, lower case
        "91350100M000100Y43",  # python-stdnum's documented valid example
    ],
)
def test_valid_uscc(code: str) -> None:
    assert taxids.uscc_problem(code) is None


@pytest.mark.parametrize("first17", ["N2370100MA3C8QKX0", "Y1110000MD0123456", "A1110105MB1234567"])
def test_letter_leading_codes_are_valid(first17: str) -> None:
    """stdnum 2.2 refuses these (InvalidFormat); we accept them when the check character fits."""
    code = first17 + _by_hand(first17)
    assert taxids.uscc_problem(code) is None
    wrong = PRINTED_ALPHABET[(PRINTED_ALPHABET.index(code[-1]) + 1) % 31]
    assert taxids.uscc_problem(first17 + wrong).code == "check"


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("91110000600037341M", "check"),
        ("91110000600037341", "length"),
        ("9111000060003734IL", "alphabet"),  # I is not in the alphabet
        ("B1110000600037341L", "authority"),
        ("911A0000600037341L", "region"),
        ("", "length"),
    ],
)
def test_invalid_uscc(code: str, problem: str) -> None:
    found = taxids.uscc_problem(code)
    assert found is not None and found.code == problem and found.reason


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("110108600037341", True),  # 15-digit old 税务登记证号
        ("11010860003734X", True),  # organisation code ends in X
        ("1101086000373", False),  # too short
        ("ABCDEF600037341", False),  # region must be digits
        ("91110000600037341L", True),
        ("91110000600037341M", False),  # 18 characters: full check
        ("1101086000373410000", True),  # 19 characters, providers take up to 20
        ("110108600037341000001", False),  # 21
        ("11010860003734—", False),
    ],
)
def test_buyer_tax_ids(value: str, ok: bool) -> None:
    assert (taxids.buyer_tax_id_problem(value) is None) is ok
