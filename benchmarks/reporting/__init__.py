"""Outbox throughput against the provincial sandbox (issue 21)."""
