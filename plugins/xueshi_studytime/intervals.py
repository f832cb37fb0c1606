"""Merged interval sets: the coverage arithmetic of the crediting rule (``crediting.py``).

Pure functions on sorted, non-overlapping ``(start, end)`` tuples; split out of the rule so the
rule reads as decisions and this as geometry.
"""

from __future__ import annotations

from collections.abc import Iterable

Interval = tuple[float, float]
Intervals = tuple[Interval, ...]


def merge(intervals: Iterable[Interval]) -> Intervals:
    """Sort and merge intervals; touching or overlapping ones become one, empty ones vanish."""
    merged: list[list[float]] = []
    for start, end in sorted((float(s), float(e)) for s, e in intervals if e > s):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((s, e) for s, e in merged)


def measure(intervals: Iterable[Interval]) -> float:
    """Total length of a merged interval set."""
    return sum(e - s for s, e in intervals)


def uncovered(intervals: Intervals, start: float, end: float) -> Intervals:
    """The parts of ``[start, end]`` that a merged interval set does not cover, in order."""
    gaps: list[Interval] = []
    cursor = start
    for s, e in intervals:
        if e <= cursor:
            continue
        if s >= end:
            break
        if s > cursor:
            gaps.append((cursor, min(s, end)))
        cursor = max(cursor, e)
        if cursor >= end:
            break
    if cursor < end:
        gaps.append((cursor, end))
    return tuple(gaps)


def extend(intervals: Intervals, start: float, end: float, budget: float) -> tuple[float, float]:
    """Walk from ``start`` towards ``end`` spending ``budget`` seconds on uncovered content.

    Returns ``(gain, stop)``: the new coverage earned and where the walk stopped (``end`` when the
    budget sufficed). Covered stretches cost nothing, so re-watching is free but earns nothing.
    """
    gain, stop = 0.0, end
    for s, e in uncovered(intervals, start, end):
        if gain + (e - s) > budget:
            return budget, s + (budget - gain)
        gain += e - s
    return gain, stop
