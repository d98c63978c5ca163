"""Train the job model (`tools/job_model.py`) on the labelled details of eval folders.

    python -m tools.train_job_model evals/*/

Each case's brief is planned offline; every candidate detail whose name an expected detail's words match is one
example, labelled with the jobs the case accepts for it. The model is multinomial logistic regression over the
open jobs of each example (a set of accepted jobs is a target spread evenly over them: a loss that is happy with
any of them taught the model to answer the job most often accepted, proof, whatever the cues said), with an
L2 penalty, fitted by full-batch gradient descent in a fixed order, so the same folders give the
same weights.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from importlib import resources
from pathlib import Path

import yaml

from tools import job_model
from tools.jobs import open_jobs

Example = tuple[dict[str, float], list[str], frozenset[str]]  # features, open jobs, accepted jobs
L2 = 0.003  # penalty per example on each squared weight (chosen by held-out accuracy)
STEPS = 400
RATE = 0.5


# The code whose change alters the features or the fit: weights trained before such a change are stale.
FEATURE_CODE = ("tools/jobs.py", "tools/lexicon.py", "tools/train_job_model.py")
REPO = Path(__file__).resolve().parent.parent


def fingerprint(folders: list[str]) -> str:
    """A hash of the training cases (by name and content) and of the feature code, in a fixed order."""
    digest = hashlib.sha256()
    paths = sorted(p for folder in folders for p in Path(folder).glob("*.yaml"))
    for path in [*paths, *(REPO / name for name in FEATURE_CODE)]:
        digest.update(f"{path.parent.name}/{path.name}\n".encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def read_cases(folders: list[str]) -> list[dict]:
    """Every case file's brief and expected details, in path order (the case format: evals/README)."""
    cases = []
    for folder in folders:
        for path in sorted(Path(folder).glob("*.yaml")):
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
            if isinstance(raw, dict) and "brief" in raw:
                cases.append(raw)
    return cases


def examples(cases: list[dict]) -> list[Example]:
    """The labelled candidates of every case."""
    from tools.pipeline import PlanningContext, run_steps

    found: list[Example] = []
    for case in cases:
        labelled = [(tuple(str(w).lower() for w in d["any"]), d["category"])
                    for d in (case.get("expect") or {}).get("details") or [] if d.get("category")]
        if not labelled:
            continue
        context = PlanningContext(brief=case["brief"])
        run_steps(context)
        for candidate in context.picks.candidates:
            name = candidate.name.lower()
            for words, accepted in labelled:
                if any(w in name for w in words):
                    accepted = frozenset([accepted] if isinstance(accepted, str) else accepted)
                    found.append((candidate.features, open_jobs(candidate.features), accepted))
    return found


def probabilities(table: job_model.Table, features: dict[str, float], jobs: list[str]) -> dict[str, float]:
    """The model's softmax over the open jobs."""
    logits = job_model.scores(features, jobs, table)
    top = max(logits.values())
    exp = {job: math.exp(value - top) for job, value in logits.items()}
    total = sum(exp.values())
    return {job: value / total for job, value in exp.items()}


def fit(data: list[Example], jobs: tuple[str, ...], l2: float = L2, steps: int = STEPS) -> job_model.Table:
    """Weights that make the accepted jobs likely: cross-entropy against the target spread evenly over them, whose
    gradient for job j with probability p_j is p_j - q_j."""
    rows = (*jobs, job_model.SHARED)
    table: job_model.Table = {row: {} for row in rows}
    count = max(len(data), 1)
    for _ in range(steps):
        grad: job_model.Table = {row: {} for row in rows}
        for features, open_, accepted in data:
            p = probabilities(table, features, open_)
            target = [j for j in open_ if j in accepted]
            if not target:
                continue
            for job in open_:
                g = p[job] - (1 / len(target) if job in accepted else 0.0)
                for name, value in (("", 1.0), *features.items()):
                    if not job_model.names_a_job(name):  # those weigh the same for every job (SHARED)
                        grad[job][name] = grad[job].get(name, 0.0) + g * value
                for name, value in job_model.job_view(features, job).items():
                    grad[job_model.SHARED][name] = grad[job_model.SHARED].get(name, 0.0) + g * value
        for row in rows:
            for name in set(grad[row]) | set(table[row]):
                weight = table[row].get(name, 0.0)
                step = grad[row].get(name, 0.0) / count + (l2 * weight if name else 0.0)  # no penalty on a bias
                table[row][name] = weight - RATE * step
    return {row: {n: round(w, 4) for n, w in sorted(weights.items()) if abs(w) >= 1e-3}
            for row, weights in table.items()}


def accuracy(table: job_model.Table, data: list[Example]) -> float:
    """The share of examples whose best open job is one the case accepts."""
    right = 0
    for features, open_, accepted in data:
        p = probabilities(table, features, open_)
        right += max(open_, key=lambda j: p[j]) in accepted
    return right / max(len(data), 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+")
    parser.add_argument("--l2", type=float, default=L2)
    parser.add_argument("--out", default=str(resources.files("tools") / "data" / job_model.WEIGHTS))
    args = parser.parse_args(argv)
    from agent.models import CATEGORIES

    data = examples(read_cases(args.folders))
    table = fit(data, CATEGORIES, args.l2)
    names = sorted({Path(f).name for f in args.folders})
    body = {"trained_on": names, "fingerprint": fingerprint(args.folders), "examples": len(data), "l2": args.l2,
            "steps": STEPS,
            "training_accuracy": round(accuracy(table, data), 3), "weights": table}
    Path(args.out).write_text(json.dumps(body, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(data)} examples from {len(names)} folders, training accuracy {body['training_accuracy']}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
