"""Smoke run of ``python -m benchmarks.certificates`` with a few documents (the figures are not judged)."""

from __future__ import annotations

import json

from benchmarks.certificates.run import RARE_NAME_INDEX, document, main


def test_benchmark_renders_distinct_documents_and_reports_speed_and_memory(tmp_path, capsys):
    out = tmp_path / "figures.json"
    assert main(["--count", "6", "--json", str(out)]) == 0
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["documents"] == 6 and figures["processes"] == 1
    assert figures["pdfs_per_cpu_second"] > 0 and figures["kb_per_pdf"] > 10
    assert 0 < figures["rss_after_warmup_mb"] <= figures["rss_max_mb"]
    assert {"per_core_target_met", "memory_flat", "rss_growth"} <= set(figures)
    assert "pdfs_per_cpu_second" in capsys.readouterr().out


def test_benchmark_documents_differ_in_name_serial_and_course_count():
    first, other = document(1), document(40)
    assert first.serial != other.serial and first.holder_name != other.holder_name
    assert len(first.courses) != len(other.courses)


def test_warm_up_includes_a_name_the_compact_font_lacks():
    assert "喆" in document(RARE_NAME_INDEX).holder_name
