"""Benchmark `ecu eval` offline: the whole suite at several concurrencies, and grading alone.

    .venv/bin/python benchmarks/bench_evals.py [--rounds N]

Prints wall time per suite run, cases per second, and each setting's time as a
ratio of the sequential run; grading is timed on its own to show that it costs
little next to planning.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent.config import Config  # noqa: E402
from evals.cases import load_cases  # noqa: E402
from evals.graders import grade  # noqa: E402
from evals.runner import agent_planner, run_suite  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="runs per setting; the median is reported")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 16])
    args = parser.parse_args()

    cases = load_cases()
    planner = agent_planner(Config())
    rows = []
    plans = None
    for concurrency in args.concurrency:
        times = []
        for _ in range(args.rounds):
            suite = asyncio.run(run_suite(cases, planner, concurrency=concurrency))
            times.append(suite.seconds)
            plans = [(r.case, r.trials[0].plan) for r in suite.results]
        rows.append((f"suite, concurrency {concurrency}", statistics.median(times)))
    graded = [(case, plan) for case, plan in plans or [] if plan is not None]
    times = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        for case, plan in graded:
            grade(plan, case.expect)
        times.append(time.perf_counter() - started)
    rows.append((f"grading only ({len(graded)} plans)", statistics.median(times)))

    base = rows[0][1]
    print(f"{len(cases)} cases, median of {args.rounds} rounds")
    print(f"{'setting':<34} {'seconds':>8} {'cases/s':>8} {'vs seq':>7}")
    for name, seconds in rows:
        print(f"{name:<34} {seconds:>8.3f} {len(cases) / seconds:>8.1f} {seconds / base:>7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
