"""Figures of a path run: per page and per API at each step, server-side times, the learners per core."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks.heartbeat.report import machine  # noqa: F401  (re-exported for run.py)
from benchmarks.heartbeat.serverlog import LINE

#: The seeds' thresholds (000, 001, 004): a page answers in 1 s on average and 5 s at peak.
MEAN_LIMIT_MS, PEAK_LIMIT_MS = 1000.0, 5000.0
#: Server-side names, by the path the journey asks for (first match wins).
SERVER_NAMES = (
    (re.compile(r"^/login/"), "sign-in"),
    (re.compile(r"^/logout/"), "sign-out"),
    (re.compile(r"^/api/xueshi/studytime/v1/heartbeats"), "heartbeat"),
    (re.compile(r"^/api/xueshi/studytime/v1/challenges/answer"), "still there? answer"),
    (re.compile(r"/handler/open_session"), "open_session"),
    (re.compile(r"/handler/(checkpoint_question|answer_checkpoint)"), "checkpoint"),
    (re.compile(r"type@xueshi_practice.*/handler/"), "practice and exam APIs"),
    (re.compile(r"^/xblock/resource/"), "XBlock resource"),
    (re.compile(r"^/xblock/"), "unit page"),
    (re.compile(r"^/courses/[^/]+/$"), "course page"),
    (re.compile(r"^/media/"), "media (range)"),
    (re.compile(r"^/static/"), "static file"),
    (re.compile(r"^/xueshi/"), "learner's own pages"),
    (re.compile(r"^/$"), "dashboard"),
)


def server_name(uri: str) -> str:
    for pattern, name in SERVER_NAMES:
        if pattern.search(uri):
            return name
    return "other"


def server_times(log: Path, window: tuple[float, float]) -> dict[str, dict[str, Any]]:
    """Per server-side name: count, mean and p50/p95/p99 in ms of requests logged inside ``window``.

    uWSGI logs the time its worker spent (microseconds); static files mapped by uWSGI itself are
    served outside the workers and are not in this log.
    """
    found: dict[str, list[float]] = {}
    if not log.exists():
        return {}
    start, end = window
    with log.open() as lines:
        for line in lines:
            match = LINE.match(line.strip())
            if not match:
                continue
            when = datetime.strptime(match["t"], "%d/%b/%Y:%H:%M:%S %z").timestamp()
            if start <= when < end:
                found.setdefault(server_name(match["u"]), []).append(int(match["d"]) / 1000.0)
    summary = {}
    for name, values in sorted(found.items()):
        values.sort()
        summary[name] = {
            "count": len(values),
            "mean_ms": round(sum(values) / len(values), 1),
            **{f"p{round(q * 100)}_ms": _pick(values, q) for q in (0.5, 0.95, 0.99)},
        }
    return summary


def _pick(ordered: list[float], q: float) -> float:
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def step_ok(step: dict[str, Any]) -> bool:
    """Whether a step meets the seeds' thresholds: mean ≤ 1 s and p99 ≤ 5 s over every request."""
    return (
        bool(step["requests"]) and step["mean_ms"] <= MEAN_LIMIT_MS and (step["p99_ms"] or 0) <= PEAK_LIMIT_MS
    )


def step_line(step: dict[str, Any]) -> str:
    rate = step["requests"] / max(step["seconds"], 1e-9)
    cpu = step["server_cpu_s"] / max(step["seconds"], 1e-9)
    return (
        f"{step['learners']} learners: {step['requests']} requests ({rate:.1f}/s), "
        f"{step['failures']} failed, "
        f"mean {step['mean_ms']:.0f} ms, p99 {step['p99_ms'] or 0:.0f} ms, server CPU {cpu:.2f} cores"
    )


def summarize(results: dict[str, Any], *, cores: int) -> dict[str, Any]:
    """Validity (no failures, every page measured) and the learners one core holds at the thresholds."""
    steps = results.get("steps") or []
    failures = sum(s["failures"] for s in steps)
    expected = {
        "sign-in",
        "dashboard",
        "course page",
        "unit page (video)",
        "open_session",
        "heartbeat",
        "checkpoint answer",
        "practice: answer",
        "my hours",
    }
    seen = set().union(*(set(s["names"]) for s in steps)) if steps else set()
    missing = sorted(expected - seen)
    passing = [s["learners"] for s in steps if step_ok(s)]
    held = max(passing) if passing else 0
    return {
        "valid": bool(steps) and failures == 0 and not missing,
        "failures": failures,
        "missing_names": missing,
        "server_cores": cores,
        "learners_held": held,
        "learners_per_core": round(held / cores, 1) if cores else None,
        "largest_step_passed": bool(steps) and held == max(s["learners"] for s in steps),
    }


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def markdown(results: dict[str, Any]) -> str:
    """The summary: the verdict, one table per step (client side, and server side when logged)."""
    summary, out = results["summary"], []
    out.append("# Whole learner path (issue 23)\n")
    out.append(f"Machine: {results['machine']}  \nPlacement: {results['placement']}\n")
    out.append(
        f"Valid: **{summary['valid']}** (failures {summary['failures']}, pages without figures: "
        f"{summary['missing_names'] or 'none'}). Learners at once within mean ≤ 1 s and p99 ≤ 5 s: "
        f"**{summary['learners_held']}** on {summary['server_cores']} server core(s) = "
        f"**{summary['learners_per_core']} per core**"
        + ("" if not summary["largest_step_passed"] else " (the largest step still passed: a lower bound)")
        + "\n"
    )
    for step in results.get("steps") or []:
        out.append(f"\n## {step_line(step)}\n")
        out.append("| page / API | requests | per s | failed | mean ms | p50 | p95 | p99 |")
        out.append("|---|---|---|---|---|---|---|---|")
        for name, row in sorted(step["names"].items(), key=lambda kv: -kv[1]["requests"]):
            out.append(
                f"| {name} | {row['requests']} | {row['per_s']} | {row['failures']} | {_ms(row['mean_ms'])} "
                f"| {_ms(row.get('p50_ms'))} | {_ms(row.get('p95_ms'))} | {_ms(row.get('p99_ms'))} |"
            )
        server = step.get("server") or {}
        if server:
            out.append("\nServer side (uWSGI worker time):\n")
            out.append("| kind | count | mean ms | p50 | p95 | p99 |")
            out.append("|---|---|---|---|---|---|")
            for name, row in server.items():
                cells = [row[k] for k in ("count", "mean_ms", "p50_ms", "p95_ms", "p99_ms")]
                out.append(f"| {name} | " + " | ".join(str(c) for c in cells) + " |")
        if step.get("error_samples"):
            out.append("\nErrors: " + "; ".join(step["error_samples"]))
    return "\n".join(out) + "\n"
