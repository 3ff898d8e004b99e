"""Benchmarks of the upgrade window against the test harness: `python -m benchmarks.run` (see run.py)."""
