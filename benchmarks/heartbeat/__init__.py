"""Heartbeat ingestion benchmark (issue 7): ``python -m benchmarks.heartbeat`` or ``make bench``."""
