"""Rollbook's benchmarks: ``python -m bench --help`` (see docs/benchmarks.md)."""
