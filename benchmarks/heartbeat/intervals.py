"""Interval sets for the ledger check, written independently of the ledger's own (``crediting``).

The benchmark checks the ledger against what the simulated learners watched; using the ledger's
interval code for the learners' side would let a bug there hide itself.
"""

from __future__ import annotations

from collections.abc import Iterable

Interval = tuple[float, float]


def union(intervals: Iterable[Iterable[float]]) -> list[Interval]:
    """Sorted, merged, non-empty intervals."""
    out: list[list[float]] = []
    for start, end in sorted((float(a), float(b)) for a, b in intervals):
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(a, b) for a, b in out]


def length(intervals: Iterable[Iterable[float]]) -> float:
    """Total length of the union."""
    return sum(b - a for a, b in union(intervals))


def minus(left: Iterable[Iterable[float]], right: Iterable[Iterable[float]]) -> list[Interval]:
    """The parts of ``left`` not covered by ``right``."""
    cover = union(right)
    out: list[Interval] = []
    for start, end in union(left):
        cursor = start
        for a, b in cover:
            if b <= cursor or a >= end:
                continue
            if a > cursor:
                out.append((cursor, a))
            cursor = max(cursor, b)
            if cursor >= end:
                break
        if cursor < end:
            out.append((cursor, end))
    return out
