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


# What any program pays before it can validate one pydantic model: pydantic's lazy package shell
# (the baseline) does not load BaseModel, Field or the schema builder that the first model class pulls in.
PYDANTIC_FLOOR = ("from pydantic import BaseModel, Field\n"
                  "class Probe(BaseModel):\n    name: str = Field(description='one validated field')\n"
                  "Probe(name='x')")


def run(repeats: int = 9) -> list[dict]:
    baseline = median_seconds(_runner(["-c", "import pydantic"]), repeats)
    help_s = median_seconds(_runner(["-m", "agent.cli", "--help"]), repeats)
    plan_s = median_seconds(_runner(["-m", "agent.cli", "plan", "-", "--json"], _brief()), repeats)
    floor_s = median_seconds(_runner(["-c", PYDANTIC_FLOOR]), repeats)
    contract_s = median_seconds(_runner(["-c", "import agent.models; agent.models.ShotPlan.model_json_schema"]),
                                repeats)
    rows = [row("startup", "python -c 'import pydantic'", baseline * 1000, "ms")]
    for name, seconds in (("ecu --help", help_s), ("ecu plan (offline)", plan_s)):
        ratio = seconds / baseline
        verdict = "within" if ratio <= TARGETS[name] else "OVER"
        rows.append(row("startup", name, seconds * 1000, "ms", baseline * 1000,
                        f"target <= {TARGETS[name]}x: {verdict}; median of {repeats}"))
    rows += [
        row("startup", "floor: one validated pydantic model", floor_s * 1000, "ms", baseline * 1000,
            "BaseModel + Field + first schema build, nothing of ours"),
        row("startup", "floor: the plan contract's models built", contract_s * 1000, "ms", baseline * 1000,
            "import agent.models (15 models)"),
        row("startup", "ecu plan (offline) vs contract floor", plan_s * 1000, "ms", contract_s * 1000,
            f"our imports + planning + output: {(plan_s - contract_s) * 1000:.0f} ms"),
    ]
    return rows


if __name__ == "__main__":
    print_table(run())
