"""Start-up: `ecu --help` and offline `ecu plan` against a bare `python -c "import pydantic"`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.common import median_seconds, print_table, row

REPO = Path(__file__).resolve().parents[1]
TARGETS = {"ecu --help": 2.0, "ecu plan (offline)": 2.5}


def _brief() -> bytes:
    import yaml

    return yaml.safe_load((REPO / "evals" / "briefs" / "leather-weekender.yaml").read_text())["brief"].encode()


def _runner(args: list[str], stdin: bytes | None = None):
    def go():
        subprocess.run([sys.executable, *args], input=stdin, capture_output=True, check=True, cwd=REPO)
    return go


def run(repeats: int = 9) -> list[dict]:
    baseline = median_seconds(_runner(["-c", "import pydantic"]), repeats)
    help_s = median_seconds(_runner(["-m", "agent.cli", "--help"]), repeats)
    plan_s = median_seconds(_runner(["-m", "agent.cli", "plan", "-", "--json"], _brief()), repeats)
    rows = [row("startup", "python -c 'import pydantic'", baseline * 1000, "ms")]
    for name, seconds in (("ecu --help", help_s), ("ecu plan (offline)", plan_s)):
        ratio = seconds / baseline
        verdict = "within" if ratio <= TARGETS[name] else "OVER"
        rows.append(row("startup", name, seconds * 1000, "ms", baseline * 1000,
                        f"target <= {TARGETS[name]}x: {verdict}; median of {repeats}"))
    return rows


if __name__ == "__main__":
    print_table(run())
