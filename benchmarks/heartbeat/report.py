"""Figures, targets and the printed summary of a run."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from pathlib import Path
from typing import Any

from .procstat import Sampler

MB = 1024 * 1024
TARGETS = {
    "heartbeats_vs_floor": 0.60,
    "heartbeats_vs_completion": 10.0,
    "p99_ms_at_half_rate": 50.0,
    "memory_growth_pct": 5.0,
}


def load_average() -> str:
    """``/proc/loadavg`` (what ``uptime`` prints): other people's work on a shared machine."""
    return Path("/proc/loadavg").read_text().strip()


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    mem = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gb": round(int(mem) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "commit": commit,
        "load_before": load_average(),
    }


def rate(phase: dict[str, Any], name: str) -> float:
    """Requests of ``name`` per second in the phase's window."""
    return float(phase["requests"].get(name, {}).get("per_second", 0.0))


def phase_line(result: dict[str, Any]) -> str:
    """One line per phase for the progress log."""
    parts = []
    for name, r in result["requests"].items():
        parts.append(f"{name} {r['per_second']:.0f}/s p50 {r['p50_ms'] or 0:.1f} p99 {r['p99_ms'] or 0:.1f} ms"
                     f" errors {r['errors']}")  # fmt: skip
    return (
        "; ".join(parts) + f"; idle {result['idle_fraction']:.0%}; cpu {result['server_cpu_seconds']:.1f} s"
    )


def memory(sampler: Sampler, window: list[float]) -> dict[str, Any]:
    """Peak RSS per process over the run, and growth over the half-rate run (first vs last part)."""
    start, end = window
    samples = sampler.between(start, end)
    part = max(1, len(samples) // 5)  # the first and last fifth (2 minutes of a 10-minute run)
    growth = {}
    for name in samples[0][1] if samples else {}:
        first = statistics.median(s[name] for _t, s in samples[:part] if name in s)
        last = statistics.median(s[name] for _t, s in samples[-part:] if name in s)
        growth[name] = {"first_mb": round(first / MB, 1), "last_mb": round(last / MB, 1),
                        "growth_pct": round(100 * (last - first) / first, 2) if first else None}  # fmt: skip
    return {"peak_mb": {k: round(v / MB, 1) for k, v in sampler.peak().items()}, "half_rate": growth,
            "samples": len(samples)}  # fmt: skip


def _errors(phases: dict[str, Any]) -> int:
    return sum(r["errors"] for p in phases.values() for r in p["requests"].values())


def _per_request_cpu(phase: dict[str, Any]) -> float | None:
    count = sum(r["count"] for r in phase["requests"].values())
    return phase["server_cpu_seconds"] / count if count else None


def summarize(results: dict[str, Any]) -> dict[str, Any]:
    """The headline figures, the targets and whether the run is valid."""
    phases = results["phases"]
    floor, completion = rate(phases["floor"], "floor"), rate(phases["completion"], "completion")
    sat, half = phases["saturation"], phases["half_rate"]
    heartbeats = rate(sat, "heartbeat")
    beats = sum(
        phases[n]["requests"].get("heartbeat", {}).get("total", 0) for n in ("saturation", "half_rate")
    )
    rows = sum(results["flusher"]["rows"].values())
    growth = [
        g["growth_pct"] for n, g in results["memory"]["half_rate"].items() if n.startswith("gunicorn-worker")
    ]
    figures = {
        "floor_per_s": round(floor, 1),
        "completion_per_s": round(completion, 1),
        "heartbeats_per_s": round(heartbeats, 1),
        "saturation_requests_per_s": round(sum(r["per_second"] for r in sat["requests"].values()), 1),
        "heartbeats_vs_floor": round(heartbeats / floor, 3) if floor else None,
        "heartbeats_vs_completion": round(heartbeats / completion, 2) if completion else None,
        "half_rate_heartbeats_per_s": round(rate(half, "heartbeat"), 1),
        "p50_ms_at_half_rate": half["requests"].get("heartbeat", {}).get("p50_ms"),
        "p95_ms_at_half_rate": half["requests"].get("heartbeat", {}).get("p95_ms"),
        "p99_ms_at_half_rate": half["requests"].get("heartbeat", {}).get("p99_ms"),
        "p99_ms_at_saturation": sat["requests"].get("heartbeat", {}).get("p99_ms"),
        "errors": _errors(phases),
        "error_rate": _errors(phases)
        / max(1, sum(r["total"] for p in phases.values() for r in p["requests"].values())),
        "cpu_ms_per_request": {n: round(1000 * c, 3) for n in phases if (c := _per_request_cpu(phases[n]))},
        "flusher_cpu_ms_per_heartbeat": round(
            1000 * half["flusher_cpu_seconds"] / max(1, sum(r["count"] for r in half["requests"].values())), 3
        ),  # fmt: skip
        "db_rows_per_heartbeat": round(rows / beats, 3) if beats else None,
        "db_rows_per_ledger_event": round(rows / results["flusher"]["events"], 3)
        if results["flusher"]["events"]
        else None,
        "memory_growth_pct": max(growth) if growth else None,
        "peak_rss_mb": results["memory"]["peak_mb"],
    }
    targets = {
        "heartbeats_vs_floor": (figures["heartbeats_vs_floor"] or 0) >= TARGETS["heartbeats_vs_floor"],
        "heartbeats_vs_completion": (figures["heartbeats_vs_completion"] or 0)
        >= TARGETS["heartbeats_vs_completion"],
        "p99_ms_at_half_rate": (figures["p99_ms_at_half_rate"] or 1e9) < TARGETS["p99_ms_at_half_rate"],
        "no_errors": figures["errors"] == 0,
        "ledger_exact": results["ledger_check"]["ok"],
        "memory_flat": figures["memory_growth_pct"] is not None
        and figures["memory_growth_pct"] <= TARGETS["memory_growth_pct"],
    }
    return {**figures, "targets": targets, "valid": figures["errors"] == 0 and results["ledger_check"]["ok"]}


def markdown(results: dict[str, Any]) -> str:
    """The summary as Markdown (``summary.md``)."""
    s, m, check = results["summary"], results["machine"], results["ledger_check"]
    met = lambda ok: "met" if ok else "MISSED"  # noqa: E731
    lines = [
        "# Heartbeat ingestion benchmark",
        "",
        f"Machine: {m['cpus']} × {m['cpu_model']}, {m['memory_gb']} GB, Python {m['python']}, commit {m['commit']}.",
        f"Load average before: {m['load_before']}; after: {m.get('load_after', '?')}.",
        f"Options: {' '.join(f'--{k.replace(chr(95), chr(45))}={v}' for k, v in results['args'].items() if v not in (False, ''))}",
        "",
        "| figure | value | target |",
        "|---|---|---|",
        f"| framework floor (bare 204 view) | {s['floor_per_s']}/s | |",
        f"| edx-completion batch API | {s['completion_per_s']}/s | |",
        f"| heartbeats, sustained maximum | {s['heartbeats_per_s']}/s | |",
        f"| heartbeats ÷ floor | {s['heartbeats_vs_floor']} | ≥ 0.60: {met(s['targets']['heartbeats_vs_floor'])} |",
        f"| heartbeats ÷ completion | {s['heartbeats_vs_completion']} | ≥ 10: {met(s['targets']['heartbeats_vs_completion'])} |",
        f"| p50 / p95 / p99 at half rate ({s['half_rate_heartbeats_per_s']}/s) | "
        f"{_ms(s['p50_ms_at_half_rate'])} / {_ms(s['p95_ms_at_half_rate'])} / {_ms(s['p99_ms_at_half_rate'])} | "
        f"p99 < 50 ms: {met(s['targets']['p99_ms_at_half_rate'])} |",
        f"| p99 at saturation | {_ms(s['p99_ms_at_saturation'])} | |",
        f"| errors | {s['errors']} ({s['error_rate']:.4%}) | 0: {met(s['targets']['no_errors'])} |",
        f"| server CPU per request (ms) | {s['cpu_ms_per_request']} | |",
        f"| flusher CPU per heartbeat (ms) | {s['flusher_cpu_ms_per_heartbeat']} | |",
        f"| MariaDB rows written per heartbeat | {s['db_rows_per_heartbeat']} ({s['db_rows_per_ledger_event']} per ledger event) | |",
        f"| peak RSS (MB) | {s['peak_rss_mb']} | |",
        f"| worker RSS growth over the half-rate run | {s['memory_growth_pct']} % | ≤ 5 %: {met(s['targets']['memory_flat'])} |",
        f"| ledger check | watched {check['watched_s']} s, reported {check['reported_s']} s, "
        f"credited {check['credited_s']} s, lost {check['lost_s']} s | exact: {met(check['ok'])} |",
        "",
    ]
    if check["problems"]:
        lines += ["Ledger check problems:", "", *[f"- {k}: {v}" for k, v in check["problems"].items()], ""]
    samples = [x for p in results["phases"].values() for x in p.get("error_samples", [])]
    if samples:
        lines += ["Error samples:", "", *[f"- {x}" for x in samples[:10]], ""]
    return "\n".join(lines)


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} ms"
