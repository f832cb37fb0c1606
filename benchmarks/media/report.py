"""Figures of a serving run: per phase, whether the target held, and learners per server core.

The target (issue 24, seed 002 "no stalls"): segment time to first byte p95 < 1 s, no failed
request, every player started, and at least 95 % of the offered segment rate achieved (the players
ask on schedule, open loop, so a server that falls behind shows as slow answers or a lower rate,
never hides behind fewer requests). ``late`` counts requests the generator itself started more
than a segment length behind schedule: a sign that it, not the server, was the limit.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks.heartbeat.report import machine  # noqa: F401  (re-exported for the runner)
from benchmarks.heartbeat.serverlog import LINE

TTFB_P95_LIMIT_MS = 1000.0
RATE_SHARE = 0.95


def django_share(log: Path, window: tuple[float, float]) -> dict[str, float]:
    """uWSGI worker time (s) in ``window`` by kind: segments, playlists and key, heartbeats, other."""
    found = {"segment": 0.0, "playlist": 0.0, "heartbeat": 0.0, "other": 0.0}
    if not log.exists():
        return found
    start, end = window
    with log.open() as lines:
        for line in lines:
            match = LINE.match(line.strip())
            if not match:
                continue
            when = datetime.strptime(match["t"], "%d/%b/%Y:%H:%M:%S %z").timestamp()
            if not start <= when < end:
                continue
            uri = match["u"].split("?", 1)[0]
            kind = (
                "segment" if uri.startswith("/xueshi/media/hls/") and uri.endswith(".ts")
                else "playlist" if uri.startswith("/xueshi/media/hls/")
                else "heartbeat" if "/studytime/v1/heartbeats" in uri
                else "other"
            )  # fmt: skip
            found[kind] += int(match["d"]) / 1e6
    return found


def phase_figures(phase: dict[str, Any], segment_seconds: float, factor: float) -> dict[str, Any]:
    """The phase's headline figures and its verdict."""
    seconds = max(phase["seconds"], 1e-9)
    ttfb = phase["names"].get("segment") or {}
    whole = phase["names"].get("segment (whole)") or {}
    segments = int(ttfb.get("requests") or 0)
    offered = phase["users"] * factor / segment_seconds
    server_cpu = sum(phase["cpu_s"].values())
    timed = phase.get("django_time_s") or {}
    busy = sum(timed.values())
    django_segment = phase["cpu_s"].get("django", 0.0) * (timed.get("segment", 0.0) / busy if busy else 0.0)
    figures = {
        "segments": segments,
        "segments_per_s": round(segments / seconds, 1),
        "offered_per_s": round(offered, 1),
        "mb_per_s": round(phase["bytes"] / seconds / 1e6, 1),
        "ttfb_ms": {q: ttfb.get(f"{q}_ms") for q in ("p50", "p95", "p99")},
        "whole_ms": {q: whole.get(f"{q}_ms") for q in ("p50", "p95", "p99")},
        "server_cores_used": round(server_cpu / seconds, 2),
        "cpu_share": {k: round(v / server_cpu, 3) if server_cpu else 0.0 for k, v in phase["cpu_s"].items()},
        "django_cpu_ms_per_segment": round(1000 * django_segment / segments, 2) if segments else None,
        "server_cpu_ms_per_segment": round(1000 * server_cpu / segments, 2) if segments else None,
        "generator_cores_used": round(phase["generator_cpu_s"] / seconds, 2),
        "late_share": round(phase["late"] / phase["scheduled"], 4) if phase["scheduled"] else 0.0,
    }
    figures["ok"] = bool(
        segments
        and phase["failures"] == 0
        and (figures["ttfb_ms"]["p95"] or 0) < TTFB_P95_LIMIT_MS
        and not phase.get("gave_up")
        and segments / seconds >= RATE_SHARE * offered
    )
    return figures


def summarize(phases: list[dict[str, Any]], *, cores: int) -> dict[str, Any]:
    """Per kind: the most learners that met the target, per server core, and whether a step broke it."""
    out: dict[str, Any] = {"server_cores": cores}
    for kind in ("guarded", "plain"):
        mine = [p for p in phases if p["kind"] == kind]
        held = max((p["learners"] for p in mine if p["figures"]["ok"]), default=0)
        out[kind] = {
            "learners_held": held,
            "learners_per_core": round(held / cores, 1) if cores else None,
            "broke": any(not p["figures"]["ok"] for p in mine),
        }
    return out


def line(phase: dict[str, Any]) -> str:
    f = phase["figures"]
    return (
        f"{phase['kind']:7s} {phase['learners']:6d} learners ({phase['users']} players): "
        f"{f['segments_per_s']}/{f['offered_per_s']} segments/s, {f['mb_per_s']} MB/s, TTFB p50/p95/p99 "
        f"{_ms(f['ttfb_ms']['p50'])}/{_ms(f['ttfb_ms']['p95'])}/{_ms(f['ttfb_ms']['p99'])} ms, "
        f"{phase['failures']} failed, late {100 * f['late_share']:.1f} %, server {f['server_cores_used']} "
        f"cores, generator {f['generator_cores_used']} → {'ok' if f['ok'] else 'BROKE'}"
    )


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def markdown(results: dict[str, Any]) -> str:
    """The summary: verdict per kind, one table row per phase."""
    s = results["summary"]
    out = ["# Course media served through Tutor's Caddy (issue 24)\n"]
    out.append(f"Machine: {results['machine']}  \nPlacement: {results['placement']}  ")
    out.append(f"Ladder: {results['ladder_note']}\n")
    for kind, label in (("guarded", "Guarded (Django checks, Caddy sends)"), ("plain", "Plain files")):
        k = s[kind]
        bound = "" if k["broke"] else " (no step broke the target: a lower bound)"
        out.append(
            f"- {label}: **{k['learners_held']}** learners on {s['server_cores']} core(s) = "
            f"**{k['learners_per_core']} per core**{bound}"
        )
    out.append(
        "\n| kind | learners | segments/s (offered) | MB/s | TTFB p50/p95/p99 ms | whole p50/p95/p99 ms "
        "| failed | late % | server cores | Django share | Django CPU ms/segment | ok |"
    )
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for phase in results["phases"]:
        f = phase["figures"]
        t, w = f["ttfb_ms"], f["whole_ms"]
        out.append(
            f"| {phase['kind']} | {phase['learners']} | {f['segments_per_s']} ({f['offered_per_s']}) "
            f"| {f['mb_per_s']} | {_ms(t['p50'])}/{_ms(t['p95'])}/{_ms(t['p99'])} "
            f"| {_ms(w['p50'])}/{_ms(w['p95'])}/{_ms(w['p99'])} | {phase['failures']} "
            f"| {100 * f['late_share']:.1f} | {f['server_cores_used']} "
            f"| {f['cpu_share'].get('django', 0):.2f} "
            f"| {f['django_cpu_ms_per_segment'] if f['django_cpu_ms_per_segment'] is not None else '–'} "
            f"| {'yes' if f['ok'] else 'no'} |"
        )
    errors = [e for p in results["phases"] for e in p.get("error_samples", []) + p.get("start_failures", [])]
    if errors:
        out.append("\nErrors: " + "; ".join(errors[:10]))
    return "\n".join(out) + "\n"
