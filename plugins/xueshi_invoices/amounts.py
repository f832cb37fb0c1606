"""Invoice line and tax arithmetic in integer fen (no floats anywhere).

Prices we charge include VAT (a learner pays the shelf price). A 数电 invoice line shows the amount
without tax and the tax, at the seller's rate (6 %, 3 % or 1 %, in basis points here: 600, 300,
100). For a tax-inclusive line the tax is ``gross × rate / (1 + rate)`` rounded half up to the fen,
and the net is ``gross − tax``, so net + tax always equals what was paid. The bureau accepts a
line when ``|net × rate − tax| ≤ 0.06`` yuan (6 fen): our rounding is never more than (1 + rate)/2
fen off, and ``within_tolerance`` lets a test (and the sandbox) check exactly what a provider checks.
A partial red invoice takes lines in blue-invoice order (``red_lines``). See ADR 0171.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: Rates the platform knows (basis points); the seller profile picks one.
RATES_BP = (600, 300, 100, 0)
#: The provider's tolerance between net × rate and the stated tax, in fen (0.06 yuan).
TOLERANCE_FEN = 6


class AmountError(ValueError):
    """An amount or rate that cannot go on an invoice."""


@dataclass(frozen=True)
class Line:
    """One invoice line: the printed name, quantity and amounts in fen (gross = net + tax)."""

    name: str
    quantity: int
    gross_fen: int
    net_fen: int
    tax_fen: int
    rate_bp: int

    @property
    def unit_price_net_fen(self) -> int:
        """Net price per unit, rounded half up (the provider prints price to more decimals)."""
        return _div_half_up(self.net_fen, self.quantity)


def _div_half_up(numerator: int, denominator: int) -> int:
    """Integer division rounding half away from zero (amounts are never negative here)."""
    if denominator <= 0:
        raise AmountError("denominator must be positive")
    sign = -1 if numerator < 0 else 1
    quotient, remainder = divmod(abs(numerator), denominator)
    if remainder * 2 >= denominator:
        quotient += 1
    return sign * quotient


def tax_included(gross_fen: int, rate_bp: int) -> int:
    """The tax inside a tax-inclusive amount: gross × r / (1 + r), half up, in fen."""
    _check_rate(rate_bp)
    return _div_half_up(gross_fen * rate_bp, 10_000 + rate_bp)


def tax_on_net(net_fen: int, rate_bp: int) -> int:
    """The tax on a net amount: net × r, half up, in fen."""
    _check_rate(rate_bp)
    return _div_half_up(net_fen * rate_bp, 10_000)


def within_tolerance(net_fen: int, tax_fen: int, rate_bp: int) -> bool:
    """Whether the provider accepts ``tax_fen`` for ``net_fen`` at ``rate_bp`` (±6 fen)."""
    return abs(net_fen * rate_bp - tax_fen * 10_000) <= TOLERANCE_FEN * 10_000


def _check_rate(rate_bp: int) -> None:
    if rate_bp not in RATES_BP:
        raise AmountError(f"unsupported VAT rate {rate_bp} bp (allowed: {RATES_BP})")


def line(name: str, quantity: int, gross_fen: int, rate_bp: int) -> Line:
    """A tax-inclusive line: ``gross_fen`` is what was paid for ``quantity`` units."""
    if quantity <= 0:
        raise AmountError("quantity must be positive")
    if gross_fen <= 0:
        raise AmountError("a line must have a positive amount")
    tax = tax_included(gross_fen, rate_bp)
    return Line(name, quantity, gross_fen, gross_fen - tax, tax, rate_bp)


def red_lines(blue: Sequence[Line], refund_fen: int) -> list[Line]:
    """Negative lines cancelling ``refund_fen`` of ``blue``, taken in blue-line order.

    A whole line is cancelled as it stood (its own net and tax, so a full red invoice mirrors
    the blue one exactly); the last, partly refunded line is recomputed from its gross share.
    """
    total = sum(item.gross_fen for item in blue)
    if not 0 < refund_fen <= total:
        raise AmountError(f"refund must be between 1 and {total} fen")
    result: list[Line] = []
    left = refund_fen
    for item in blue:
        if left <= 0:
            break
        if left >= item.gross_fen:
            result.append(
                Line(item.name, -item.quantity, -item.gross_fen, -item.net_fen, -item.tax_fen, item.rate_bp)
            )
            left -= item.gross_fen
        else:
            part = line(item.name, 1, left, item.rate_bp)
            result.append(Line(item.name, -1, -part.gross_fen, -part.net_fen, -part.tax_fen, item.rate_bp))
            left = 0
    return result


def totals(lines: Sequence[Line]) -> tuple[int, int, int]:
    """(gross, net, tax) of several lines, in fen."""
    return (
        sum(item.gross_fen for item in lines),
        sum(item.net_fen for item in lines),
        sum(item.tax_fen for item in lines),
    )


def yuan(fen: int) -> str:
    """Fen as a yuan string with two decimals (``-1234`` → ``"-12.34"``), for the provider and pages."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"
