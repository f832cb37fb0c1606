"""Figures, targets and the printed summary of a run.

Targets (issue 15, ADR 0706): heartbeats reach at least 0.60 of the bare-Django floor, and the p99
at half rate stays under 50 ms both as the load generator saw it and in the server's workers.
The old "heartbeats ≥ 10 × the completion batch API" target is retired: a heartbeat pays the
floor too, so heartbeats ÷ completion can never pass floor ÷ completion. The summary reports
instead how much of that bound the heartbeat reaches.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from pathlib import Path
from typing import Any

from .procstat import Sampler

MB = 1024 * 1024
LEDGER_FIGURES = ("watched_s", "reported_s", "credited_s", "clipped_uncredited_s", "lost_s")
TARGETS = {
    "heartbeats_vs_floor": 0.60,
    "p99_ms_at_half_rate": 50.0,
    "p99_ms_at_half_rate_server": 50.0,
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


def mean_of(before: dict[str, Any], after: dict[str, Any], name: str) -> dict[str, Any]:
    """One peer phase from two runs of it: mean rate and CPU, pooled latency as the worse of the two."""
    merged = {**before, "duration": before["duration"] + after["duration"], "runs": [before, after]}
    merged["server_cpu_seconds"] = before["server_cpu_seconds"] + after["server_cpu_seconds"]
    first, second = before["requests"][name], after["requests"][name]
    merged["requests"] = {
        name: {
            **{k: max(first[k] or 0, second[k] or 0) for k in ("p50_ms", "p95_ms", "p99_ms", "mean_ms")},
            **{k: first[k] + second[k] for k in ("count", "errors", "total")},
            "per_second": (first["per_second"] + second["per_second"]) / 2,
        }
    }
    return merged


def phase_line(result: dict[str, Any]) -> str:
    """One line per phase for the progress log."""
    parts = [
        f"{name} {r['per_second']:.0f}/s p50 {r['p50_ms'] or 0:.1f} p99 {r['p99_ms'] or 0:.1f} ms"
        f" errors {r['errors']}"
        for name, r in result["requests"].items()
    ]
    parts.append(f"idle {result['idle_fraction']:.0%}; cpu {result['server_cpu_seconds']:.1f} s")
    return "; ".join(parts)


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
    """Request errors of every phase, including saturation attempts not kept."""
    return sum(
        sum(r["errors"] for r in p["requests"].values()) + p.get("other_attempt_errors", 0)
        for p in phases.values()
    )


def _per_request_cpu(phase: dict[str, Any]) -> float | None:
    count = sum(r["count"] for r in phase["requests"].values())
    return phase["server_cpu_seconds"] / count if count else None


def _count(phase: dict[str, Any]) -> int:
    return sum(r["count"] for r in phase["requests"].values())


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 3) if whole else None


def server_p99(results: dict[str, Any], phase: str = "half_rate") -> float | None:
    """The heartbeat p99 a phase's worker log shows (None without ``--server-timing``)."""
    timing = (results.get("server_timing") or {}).get(phase) or {}
    return timing.get("heartbeat", {}).get("p99_ms")


def _under(value: float | None, limit: float) -> bool | None:
    """Whether a measured value is under ``limit``; None when it was not measured."""
    return None if value is None else value < limit


def summarize(results: dict[str, Any]) -> dict[str, Any]:
    """The headline figures, the targets and whether the run is valid."""
    phases = results["phases"]
    floor, completion = rate(phases["floor"], "floor"), rate(phases["completion"], "completion")
    sat, half = phases["saturation"], phases["half_rate"]
    heartbeats = rate(sat, "heartbeat")
    beats = results["heartbeats_sent"]
    rows = sum(results["flusher"]["rows"].values())
    growth = [g["growth_pct"] for n, g in results["memory"]["half_rate"].items() if "-worker-" in n]
    figures = {
        "floor_per_s": round(floor, 1),
        "completion_per_s": round(completion, 1),
        "heartbeats_per_s": round(heartbeats, 1),
        "saturation_requests_per_s": round(sum(r["per_second"] for r in sat["requests"].values()), 1),
        "heartbeats_vs_floor": round(heartbeats / floor, 3) if floor else None,
        "heartbeats_vs_completion": round(heartbeats / completion, 2) if completion else None,
        # The bound is floor ÷ completion: the share of it reached is heartbeats ÷ floor again,
        # stated against the completion API as the issue asks (its own target is retired).
        "heartbeats_share_of_completion_bound": _ratio(heartbeats / completion, floor / completion)
        if completion and floor
        else None,
        "half_rate_heartbeats_per_s": round(rate(half, "heartbeat"), 1),
        "half_rate_share_of_maximum": _ratio(rate(half, "heartbeat"), heartbeats),
        "p50_ms_at_half_rate": half["requests"].get("heartbeat", {}).get("p50_ms"),
        "p95_ms_at_half_rate": half["requests"].get("heartbeat", {}).get("p95_ms"),
        "p99_ms_at_half_rate": half["requests"].get("heartbeat", {}).get("p99_ms"),
        "p99_ms_at_half_rate_server": server_p99(results),
        "p99_ms_at_saturation": sat["requests"].get("heartbeat", {}).get("p99_ms"),
        "errors": _errors(phases),
        "error_rate": _errors(phases)
        / max(1, sum(r["total"] for p in phases.values() for r in p["requests"].values())),
        "cpu_ms_per_request": {n: round(1000 * c, 3) for n in phases if (c := _per_request_cpu(phases[n]))},
        "server_cores_busy": {
            n: round(phases[n]["server_cpu_seconds"] / phases[n]["duration"], 2) for n in phases
        },
        "floor_vs_completion": round(floor / completion, 2) if completion else None,
        "floor_cpu_vs_heartbeat_cpu": _ratio(
            _per_request_cpu(phases["floor"]) or 0, _per_request_cpu(sat) or 0
        ),
        "flusher_cpu_ms_per_heartbeat": _ratio(1000 * half["flusher_cpu_seconds"], _count(half)),
        "db_rows_per_heartbeat": _ratio(rows, beats),
        "db_rows_per_ledger_event": _ratio(rows, results["flusher"]["events"]),
        "memory_growth_pct": max(growth) if growth else None,
        "peak_rss_mb": results["memory"]["peak_mb"],
    }
    f, t = figures, TARGETS
    targets = {
        "heartbeats_vs_floor": (f["heartbeats_vs_floor"] or 0) >= t["heartbeats_vs_floor"],
        "p99_ms_at_half_rate": (f["p99_ms_at_half_rate"] or 1e9) < t["p99_ms_at_half_rate"],
        "p99_ms_at_half_rate_server": _under(
            f["p99_ms_at_half_rate_server"], t["p99_ms_at_half_rate_server"]
        ),
        "no_errors": f["errors"] == 0,
        "ledger_exact": results["ledger_check"]["ok"],
        "memory_flat": f["memory_growth_pct"] is not None
        and f["memory_growth_pct"] <= t["memory_growth_pct"],
    }
    return {**figures, "targets": targets, "valid": f["errors"] == 0 and results["ledger_check"]["ok"]}


def _met(ok: bool | None) -> str:
    return "not measured" if ok is None else "met" if ok else "MISSED"


def rows(results: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The summary table: figure, value, target."""
    s, check = results["summary"], results["ledger_check"]
    ok = s["targets"]
    latency = " / ".join(_ms(s[f"p{q}_ms_at_half_rate"]) for q in (50, 95, 99))
    return [
        ("framework floor (bare 204 view)", f"{s['floor_per_s']}/s", ""),
        ("edx-completion batch API", f"{s['completion_per_s']}/s", ""),
        ("heartbeats, sustained maximum", f"{s['heartbeats_per_s']}/s", ""),
        ("heartbeats ÷ floor", str(s["heartbeats_vs_floor"]), f"≥ 0.60: {_met(ok['heartbeats_vs_floor'])}"),
        ("floor ÷ completion (what any view of this stack could reach)", str(s["floor_vs_completion"]), ""),
        ("heartbeats ÷ completion, as a share of that bound",
         f"{s['heartbeats_vs_completion']} ({s['heartbeats_share_of_completion_bound']} of the bound)",
         "reported (the 10× target is retired: judged as heartbeats ÷ floor)"),
        (f"heartbeat p50 / p95 / p99 at half rate ({s['half_rate_heartbeats_per_s']}/s, "
         f"{s['half_rate_share_of_maximum']} of the maximum)", latency,
         f"p99 < 50 ms: {_met(ok['p99_ms_at_half_rate'])}"),
        ("heartbeat p99 at half rate in the worker (server-side)", _ms(s["p99_ms_at_half_rate_server"]),
         f"p99 < 50 ms: {_met(ok['p99_ms_at_half_rate_server'])}"),
        ("heartbeat p99 at saturation", _ms(s["p99_ms_at_saturation"]), ""),
        ("floor CPU ÷ heartbeat CPU, per request", str(s["floor_cpu_vs_heartbeat_cpu"]), ""),
        ("request errors", f"{s['errors']} ({s['error_rate']:.4%})", f"0: {_met(ok['no_errors'])}"),
        ("server CPU per request (ms)", str(s["cpu_ms_per_request"]), ""),
        ("server CPU busy, cores (per phase)", str(s["server_cores_busy"]), ""),
        ("flusher CPU per heartbeat (ms)", str(s["flusher_cpu_ms_per_heartbeat"]), ""),
        ("MariaDB rows written per heartbeat (per ledger event)",
         f"{s['db_rows_per_heartbeat']} ({s['db_rows_per_ledger_event']})", ""),
        ("peak RSS (MB)", str(s["peak_rss_mb"]), ""),
        ("worker RSS growth over the half-rate run", f"{s['memory_growth_pct']} %",
         f"≤ 5 %: {_met(ok['memory_flat'])}"),
        ("ledger: watched / reported / credited / clipped / lost (s)",
         " / ".join(str(check[k]) for k in LEDGER_FIGURES),
         f"exact: {_met(check['ok'])}"),
    ]  # fmt: skip


def markdown(results: dict[str, Any]) -> str:
    """The summary as Markdown (``summary.md``)."""
    m, check = results["machine"], results["ledger_check"]
    flags = [f"--{k.replace('_', '-')}={v}" for k, v in results["args"].items() if v not in (False, "")]
    lines = [
        "# Heartbeat ingestion benchmark",
        "",
        f"Machine: {m['cpus']} × {m['cpu_model']}, {m['memory_gb']} GB, Python {m['python']}, "
        f"commit {m['commit']}.",
        f"Load average before: {m['load_before']}; after: {m.get('load_after', '?')}.",
        f"Placement: {results.get('placement', '?')}.",
        f"Options: {' '.join(flags)}",
        "",
        "| figure | value | target |",
        "|---|---|---|",
        *[f"| {a} | {b} | {c} |" for a, b, c in rows(results)],
        "",
    ]
    if results.get("server_timing"):
        server = results["args"].get("server", "gunicorn")
        # A single-threaded worker takes the next request only when it is free: the wait before
        # that is in the socket's queue, which the worker's own time does not see.
        wait = "; the wait for a free worker is not in them" if results["args"].get("threads") == 1 else ""
        lines += [
            f"Server-side request times ({server} worker, request to reply; p50/p95/p99/max, ms){wait}:",
            "",
            *[
                f"- {phase} {kind} ({t['count']}): "
                f"{t['p50_ms']} / {t['p95_ms']} / {t['p99_ms']} / {t['max_ms']}"
                for phase, kinds in results["server_timing"].items()
                for kind, t in sorted(kinds.items())
            ],
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
