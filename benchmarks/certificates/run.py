"""Render N distinct certificates with ``render_many`` and measure speed and memory (issue 19).

Targets: at least 10 PDFs per second per core in a batch, and resident memory flat over 10,000
documents. "Per core" is PDFs per CPU-second of the rendering process (``time.process_time``):
on a shared machine wall time also counts other processes' turns, CPU time does not. Wall-clock
throughput is reported beside it. Memory: the resident set (``/proc/self/status`` VmRSS) after
the first tenth of the batch (fonts, caches and allocator warmed up) against the largest seen
afterwards; "flat" means growth ≤ 5 %.

Run: ``DJANGO_SETTINGS_MODULE=sandbox.settings .venv/bin/python -m benchmarks.certificates --count 10000``
(default 1,000; ``--processes 2`` renders on two cores, each its own batch; ``--path full`` lays
every certificate out with WeasyPrint, the path before ADR 0360, for a side-by-side figure).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import time
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

TARGET_PER_CORE = 10.0
RARE_NAME_INDEX = 18 * 32  # SURNAMES has 32 characters; GIVEN[18] is 喆, outside GB 2312
TARGET_GROWTH = 0.05
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = (
    "伟",
    "芳",
    "娜",
    "秀英",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "喆",
)


@dataclass
class BatchResult:
    """What one process measured."""

    count: int
    wall_seconds: float
    cpu_seconds: float
    bytes_total: int
    rss_after_warmup_mb: float
    rss_max_mb: float
    rss_end_mb: float
    rss_samples_mb: list[float]  # every 50 documents after the warm-up tenth


def rss_mb() -> float:
    """This process's resident set, in MB, from /proc."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def document(i: int):
    """The i-th certificate: a different name, serial, check code and 0–30 courses each time."""
    from xueshi_certificates.pdf import CertificateDocument

    name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)]
    serial = f"ZJ330100-2026-{i:06d}-{i % 10}"
    courses = [(f"专业科目课程第{i % 97}-{k}讲 安全生产与职业健康", Decimal("1.5")) for k in range(i % 31)]
    return CertificateDocument(
        serial=serial,
        title="2026年度专业技术人员继续教育学时证明",
        holder_name=name,
        holder_id_masked=f"3301{i % 100:02d}********{i % 10000:04d}",
        body=f"依据《专业技术人员继续教育规定》，{name}同志于2026年度参加继续教育学习，累计取得继续教育学时"
        f"{90 + i % 40}学时，特此证明。",
        period_label="2026年1月1日至2026年12月31日",
        unit_label="学时",
        total=Decimal(90 + i % 40),
        by_category=[("公需科目", Decimal(30)), ("专业科目", Decimal(60 + i % 40))],
        courses=courses,
        issuer_name="浙江学时继续教育学院",
        issued_on=date(2027, 1, 1 + i % 28),
        verify_url=f"https://xueshi.example.cn/verify/{serial}?c=K{i:05d}",
        check_code=f"K{i:05d}",
    )


def run_batch(start: int, count: int, path: str = "stamp") -> BatchResult:
    """Render ``count`` certificates from number ``start`` in this process (after one warm-up)."""
    import django
    from django.conf import settings

    django.setup()
    if path == "full":  # the operator's switch: every certificate laid out by WeasyPrint
        settings.XUESHI_CERTIFICATES_PDF_TEMPLATE = {
            **getattr(settings, "XUESHI_CERTIFICATES_PDF_TEMPLATE", {}),
            "stamping": False,
        }
    from xueshi_certificates.pdf import render_certificate_pdf, render_many

    render_certificate_pdf(document(start))  # fonts, compact font, CSS: paid once per process
    # A name with a character outside GB 2312 (喆) loads the full Noto font as well, ~50 MB once
    # (ADR 0129); warm it too, or that one-off step reads as growth when it first occurs.
    render_certificate_pdf(document(RARE_NAME_INDEX))
    warm_at = max(count // 10, 1)
    rss_warm, rss_max, total, samples = 0.0, 0.0, 0, []
    wall, cpu = time.perf_counter(), time.process_time()
    for n, (_serial, pdf) in enumerate(render_many(document(start + i) for i in range(count)), start=1):
        total += len(pdf)
        if n == warm_at:
            rss_warm = rss_max = rss_mb()
        elif n > warm_at and n % 10 == 0:
            rss_max = max(rss_max, rss_now := rss_mb())
            if n % 50 == 0:
                samples.append(round(rss_now, 1))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    end = rss_mb()
    return BatchResult(count, wall, cpu, total, rss_warm, max(rss_max, end), end, samples)


def _batch(args: tuple[int, int, str]) -> BatchResult:
    return run_batch(*args)


def summarise(results: list[BatchResult], processes: int, path: str = "stamp") -> dict[str, object]:
    """Figures of the whole run and whether each target is met."""
    count = sum(r.count for r in results)
    cpu = sum(r.cpu_seconds for r in results)
    wall = max(r.wall_seconds for r in results)
    growth = max((r.rss_max_mb - r.rss_after_warmup_mb) / r.rss_after_warmup_mb for r in results)
    per_core = count / cpu
    return {
        "path": path,
        "documents": count,
        "processes": processes,
        "pdfs_per_cpu_second": round(per_core, 2),
        "pdfs_per_wall_second": round(count / wall, 2),
        "ms_cpu_per_pdf": round(1000 * cpu / count, 1),
        "kb_per_pdf": round(sum(r.bytes_total for r in results) / count / 1024, 1),
        "rss_after_warmup_mb": round(max(r.rss_after_warmup_mb for r in results), 1),
        "rss_max_mb": round(max(r.rss_max_mb for r in results), 1),
        "rss_end_mb": round(max(r.rss_end_mb for r in results), 1),
        "rss_growth": round(growth, 4),
        "per_core_target_met": per_core >= TARGET_PER_CORE,
        "memory_flat": growth <= TARGET_GROWTH,
        "batches": [asdict(r) for r in results],
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the figures, and optionally write them as JSON."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.certificates", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--count", type=int, default=1000, help="certificates in all (default 1000)")
    parser.add_argument("--processes", type=int, default=1, help="rendering processes, one batch each")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    parser.add_argument(
        "--path",
        choices=("stamp", "full"),
        default="stamp",
        help="stamped static pages (default) or full layouts",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")
    share = [
        args.count // args.processes + (1 if p < args.count % args.processes else 0)
        for p in range(args.processes)
    ]
    starts = [sum(share[:p]) for p in range(args.processes)]
    if args.processes == 1:
        results = [run_batch(0, args.count, args.path)]
    else:
        with multiprocessing.get_context("spawn").Pool(args.processes) as pool:
            results = pool.map(_batch, [(s, n, args.path) for s, n in zip(starts, share, strict=True)])
    figures = summarise(results, args.processes, args.path)
    for key, value in figures.items():
        if key != "batches":
            print(f"{key:<24} {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0
