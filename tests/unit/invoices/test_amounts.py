"""Line and tax arithmetic in fen: rounding, rates, the provider's tolerance, partial red lines."""

from __future__ import annotations

import pytest

from xueshi_invoices import amounts


@pytest.mark.parametrize(
    ("gross", "rate", "tax"),
    [
        (10600, 600, 600),  # 106.00 at 6 % -> 6.00
        (10000, 600, 566),  # 100 × 0.06/1.06 = 5.6603...
        (10000, 300, 291),  # 100 × 0.03/1.03 = 2.9126...
        (10000, 100, 99),  # 100 × 0.01/1.01 = 0.990099
        (103, 300, 3),  # 1.03 × 0.03/1.03 = 0.03 exactly
        (53, 600, 3),  # 0.53 × 0.06/1.06 = 0.03 exactly
        (9, 600, 1),  # 0.09 × 0.06/1.06 = 0.0050943 -> half up to 0.01
        (8, 600, 0),  # 0.0045 -> 0.00
        (19900, 0, 0),
    ],
)
def test_tax_included_rounds_half_up(gross: int, rate: int, tax: int) -> None:
    assert amounts.tax_included(gross, rate) == tax
    built = amounts.line("*非学历教育服务*课程", 1, gross, rate)
    assert built.net_fen + built.tax_fen == gross
    assert amounts.within_tolerance(built.net_fen, built.tax_fen, rate)


def test_tolerance_is_six_fen() -> None:
    assert amounts.within_tolerance(10000, 606, 600)
    assert not amounts.within_tolerance(10000, 607, 600)
    assert amounts.within_tolerance(10000, 594, 600)
    assert not amounts.within_tolerance(10000, 593, 600)


def test_many_prices_stay_within_tolerance() -> None:
    for gross in range(1, 200_001, 97):
        for rate in (600, 300, 100):
            built = amounts.line("x", 3, gross, rate)
            # net × r − tax = gross × r − tax × (1 + r): off by at most (1 + r)/2 fen, far inside 6 fen
            assert abs(built.net_fen * rate - built.tax_fen * 10_000) * 2 <= 10_000 + rate


@pytest.mark.parametrize("bad", [(0, 600), (-5, 600), (100, 500), (100, 6)])
def test_bad_lines_are_refused(bad: tuple[int, int]) -> None:
    with pytest.raises(amounts.AmountError):
        amounts.line("x", 1, *bad)


def test_red_lines_full_and_partial_in_line_order() -> None:
    blue = [amounts.line("A", 1, 30000, 300), amounts.line("B", 2, 20000, 300)]
    full = amounts.red_lines(blue, 50000)
    assert [(r.gross_fen, r.net_fen, r.tax_fen) for r in full] == [
        (-b.gross_fen, -b.net_fen, -b.tax_fen) for b in blue
    ]
    part = amounts.red_lines(blue, 35000)
    assert [r.name for r in part] == ["A", "B"]
    assert part[0].gross_fen == -30000 and part[1].gross_fen == -5000
    assert part[1].net_fen + part[1].tax_fen == -5000
    assert amounts.red_lines(blue, 100)[0].gross_fen == -100
    with pytest.raises(amounts.AmountError):
        amounts.red_lines(blue, 50001)


@pytest.mark.parametrize(("fen", "text"), [(0, "0.00"), (5, "0.05"), (123456, "1234.56"), (-1999, "-19.99")])
def test_yuan(fen: int, text: str) -> None:
    assert amounts.yuan(fen) == text
