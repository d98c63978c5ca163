"""Runnable benchmarks: each `bench_*.py` has `run() -> list[dict]`; `python -m benchmarks.run` runs them all."""
