"""Helpers shared by the benchmark scripts: timing, suite briefs, rows, the table."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def suite_briefs() -> list[str]:
    """The brief of every case in the shipped eval suite, in file order, as `ecu eval` reads them."""
    from evals.cases import load_cases

    return [case.brief for case in load_cases()]


def suite_brief(case_id: str = "leather-weekender") -> str:
    """One brief of the shipped eval suite."""
    from evals.cases import default_suite, load_case

    return load_case(default_suite() / f"{case_id}.yaml").brief


def python_runner(args: list[str], stdin: bytes | None = None,
                  env: dict[str, str] | None = None) -> Callable[[], None]:
    """A callable that runs `python ARGS` in a fresh interpreter from the repo root (for `median_seconds`);
    `env`, when given, is the whole environment."""
    def go() -> None:
        subprocess.run([sys.executable, *args], input=stdin, capture_output=True, check=True, cwd=REPO, env=env)
    return go


def median_seconds(fn: Callable[[], object], repeats: int = 7, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def row(benchmark: str, metric: str, value: float, unit: str, baseline: float | None = None,
        note: str = "") -> dict:
    ratio = round(value / baseline, 2) if baseline else None
    return {"benchmark": benchmark, "metric": metric, "value": round(value, 3), "unit": unit,
            "baseline": None if baseline is None else round(baseline, 3), "ratio": ratio, "note": note}


def print_table(rows: list[dict]) -> None:
    headers = ("benchmark", "metric", "value", "unit", "baseline", "ratio", "note")
    cells = [[("" if r.get(h) is None else str(r.get(h))) for h in headers] for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(headers)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print(line.format(*headers))
    print(line.format(*("-" * w for w in widths)))
    for c in cells:
        print(line.format(*c))
