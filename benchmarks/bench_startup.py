"""Start-up: `ecu --help` and offline `ecu plan` against a bare `python -c "import pydantic"`."""

from __future__ import annotations

import os
import tempfile

from benchmarks.common import REPO, median_seconds, print_table, python_runner, row, suite_brief

TARGETS = {"ecu --help": 2.0, "ecu plan (offline)": 2.5}


# What any program pays before it can validate one pydantic model: pydantic's lazy package shell
# (the baseline) does not load BaseModel, Field or the schema builder that the first model class pulls in.
PYDANTIC_FLOOR = ("from pydantic import BaseModel, Field\n"
                  "class Probe(BaseModel):\n    name: str = Field(description='one validated field')\n"
                  "Probe(name='x')")


PLAN = ["-m", "cli.main", "plan", "-", "--json"]
CONTRACT = ["-c", "import agent.models; agent.models.ShotPlan.model_json_schema"]


def bytecode_note() -> str:
    """How the plain rows load this repo's modules: a machine with PYTHONDONTWRITEBYTECODE compiles each from
    source on every start, unless some run without it left a __pycache__ (a few tests do)."""
    if not os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return "our modules from __pycache__"
    cached = any(REPO.glob("tools/__pycache__/*.pyc"))
    return "PYTHONDONTWRITEBYTECODE set; " + ("a stale __pycache__ is read" if cached else "our modules from source")


def cached_rows(brief: bytes, repeats: int) -> list[dict]:
    """Plan and contract floor side by side with every module read from bytecode, as an installed `ecu` runs
    (the caches in a temporary folder, written by the warm-up run)."""
    with tempfile.TemporaryDirectory(prefix="ecu-pyc-") as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONPYCACHEPREFIX": cache}
        contract_s = median_seconds(python_runner(CONTRACT, env=env), repeats)
        plan_s = median_seconds(python_runner(PLAN, brief, env=env), repeats)
    return [row("startup", "ecu plan vs contract floor, bytecode cached", plan_s * 1000, "ms",
                contract_s * 1000, f"both from .pyc (as installed); contract floor {contract_s * 1000:.0f} ms")]


def run(repeats: int = 9) -> list[dict]:
    brief = suite_brief().encode()
    baseline = median_seconds(python_runner(["-c", "import pydantic"]), repeats)
    help_s = median_seconds(python_runner(["-m", "cli.main", "--help"]), repeats)
    plan_s = median_seconds(python_runner(PLAN, brief), repeats)
    floor_s = median_seconds(python_runner(["-c", PYDANTIC_FLOOR]), repeats)
    contract_s = median_seconds(python_runner(CONTRACT), repeats)
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
            f"our imports + planning + output: {(plan_s - contract_s) * 1000:.0f} ms; {bytecode_note()}"),
    ]
    return rows + cached_rows(brief, repeats)


if __name__ == "__main__":
    print_table(run())
