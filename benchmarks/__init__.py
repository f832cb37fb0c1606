"""Benchmarks: speed and memory goals measured side by side with their peers (see README.md)."""
