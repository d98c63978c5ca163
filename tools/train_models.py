"""Train the planner's learned judgments (`tools/learned.py`) on the labelled details of case folders.

    python -m tools.train_models [FOLDER ...]        (make train-models: the default folders)

Each case's brief is planned offline. Every candidate detail is one example for the rank model, labelled "shot"
when an expected detail's words name it, else "skip" (cases that expect no details are left out: they teach how
many to shoot, not which). Every candidate an expected detail with a job names is one example for the job model,
labelled with the jobs the case accepts.

Both are multinomial logistic regression over the open classes of each example, with an L2 penalty, fitted by
full-batch gradient descent in a fixed order, so the same folders give the same weights. A set of accepted jobs
is a target spread evenly over them: a loss content with any of them taught the model to answer the job most
often accepted, proof, whatever the cues said.
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

from agent.models import CATEGORIES
from tools import learned
from tools.jobs import open_jobs

Example = tuple[dict[str, float], list[str], frozenset[str]]  # features, open classes, accepted classes
L2 = 0.003  # the gradient's pull towards zero per unit of weight (a penalty of L2/2 per squared weight), per
# example; chosen by held-out accuracy
STEPS = 400
RATE = 0.5
KEPT = 0.01  # a weight smaller than this is left out of the table: it halves the start-up cost of reading the
# tables and changed no eval case (measured on every folder and dev set)
# What the tables depend on besides the cases: the planner's code (it makes the candidates and their features),
# the trainer, the vertical templates and the WordNet table. Weights trained before any of it changed are stale.
REPO = Path(__file__).resolve().parent.parent
DEPENDS_ON = ("tools/**/*.py", "prompts/templates.json", "tools/language/data/wordnet.tsv", "training/products.yaml")
# The product each training case sells (per folder, per case id, substrings of the name): the case format has no
# place for it, so it lives beside the training folders.
PRODUCTS = REPO / "training" / "products.yaml"
# The own eval folder kept out of training, so one folder still measures the learned judgments out of sample.
HELD_OUT = "holdout"


def default_folders() -> list[str]:
    """The eval folders but the held-out one, and the training folders (relative to the repo, sorted)."""
    evals = [f for f in sorted(REPO.glob("evals/*/")) if f.name != HELD_OUT and any(f.glob("*.yaml"))]
    return [str(f.relative_to(REPO)) for f in [*evals, *sorted(REPO.glob("training/*/"))]]


def fingerprint(folders: list[str]) -> str:
    """A hash of what the cases teach (each brief and its expected details, not its notes) and of everything the
    features and the fit depend on, in a fixed order."""
    digest = hashlib.sha256()
    for case in read_cases(folders):
        taught = {"brief": case["brief"], "details": (case.get("expect") or {}).get("details") or []}
        digest.update(json.dumps(taught, sort_keys=True, default=str).encode())
    for path in sorted(p for pattern in DEPENDS_ON for p in REPO.glob(pattern)):
        digest.update(str(path.relative_to(REPO)).encode() + b"\n" + path.read_bytes())
    return digest.hexdigest()[:16]


def read_cases(folders: list[str]) -> list[dict]:
    """Every case file's brief and expected details, in path order (the case format: docs/contract.md). Read here,
    not through `evals.cases`: the tools may not import a face (the import contracts), and only two keys matter."""
    cases = []
    for folder in folders:
        for path in sorted((REPO / folder).glob("*.yaml")):
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
            if isinstance(raw, dict) and "brief" in raw:
                cases.append(raw | {"folder": Path(folder).name})
    return cases


def examples(cases: list[dict]) -> tuple[list[Example], list[Example]]:
    """The job examples and the rank examples of every case."""
    from tools.details import rank_features
    from tools.pipeline import PlanningContext, run_steps

    jobs: list[Example] = []
    ranks: list[Example] = []
    for case in cases:
        expected = [(tuple(str(w).lower() for w in d["any"]), d.get("category"))
                    for d in (case.get("expect") or {}).get("details") or []]
        if not expected:
            continue
        context = PlanningContext(brief=case["brief"])
        run_steps(context)
        for position, candidate in enumerate(context.picks.candidates):
            name, open_ = candidate.name.lower(), open_jobs(candidate.features)
            named = [accepted for words, accepted in expected if any(w in name for w in words)]
            ranks.append((rank_features(candidate, position), [learned.SHOT, learned.SKIP],
                          frozenset([learned.SHOT if named else learned.SKIP])))
            for accepted in filter(None, named):
                accepted = frozenset([accepted] if isinstance(accepted, str) else accepted)
                if accepted & set(open_):  # else no answer could be right
                    jobs.append((candidate.features, open_, accepted))
    return jobs, ranks


def product_examples(cases: list[dict]) -> list[Example]:
    """One example per product candidate of every case whose product is known, labelled PRODUCT when the
    phrase holds one of the case's product words. A brief the "Product:" label decides teaches nothing, and nor
    does one whose product no candidate names."""
    from tools.brief import _labelled_product, product_choices
    from tools.text import plain

    known = yaml.safe_load(PRODUCTS.read_text(encoding="utf-8")) if PRODUCTS.exists() else {}
    found: list[Example] = []
    for case in cases:
        words = [str(w).lower() for w in (known.get(case["folder"]) or {}).get(case.get("id"), [])]
        text = plain(case["brief"]).strip()
        if not words or _labelled_product(text):
            continue
        candidates = product_choices(text)
        labels = [any(w in c.phrase.lower() for w in words) for c in candidates]
        # A case names its product by the thing or by the brand alone; where a candidate naming a thing matches,
        # a bare brand that matches too is not what the planner should say the product is.
        things = [named and bool(c.features.get("thing") or c.features.get("object"))
                  for c, named in zip(candidates, labels)]
        labels = things if any(things) else labels
        if any(labels):
            classes = [learned.PRODUCT, learned.OTHER]
            found += [(c.features, classes, frozenset([learned.PRODUCT if named else learned.OTHER]))
                      for c, named in zip(candidates, labels)]
    return found


def probabilities(fitted: learned.Model, features: dict[str, float], classes: list[str]) -> dict[str, float]:
    """The model's softmax over the open classes."""
    logits = learned.scores(features, classes, fitted)
    top = max(logits.values())
    exp = {c: math.exp(value - top) for c, value in logits.items()}
    total = sum(exp.values())
    return {c: value / total for c, value in exp.items()}


def fit(data: list[Example], classes: tuple[str, ...], l2: float = L2, steps: int = STEPS) -> learned.Table:
    """Weights that make the accepted classes likely: cross-entropy against the target spread evenly over them,
    whose gradient for class c with probability p_c is p_c - q_c. Among jobs, a feature that names one has only
    its shared weight (`learned.SHARED`)."""
    share = set(classes) <= set(CATEGORIES)
    rows = (*classes, learned.SHARED)
    table: learned.Table = {row: {} for row in rows}
    count = max(len(data), 1)
    for _ in range(steps):
        grad: learned.Table = {row: {} for row in rows}
        fitted = learned.compile_table(table)
        for features, open_, accepted in data:
            p = probabilities(fitted, features, open_)
            target = [c for c in open_ if c in accepted]
            if not target:
                continue
            for c in open_:
                g = p[c] - (1 / len(target) if c in accepted else 0.0)
                for name, value in (("", 1.0), *features.items()):
                    if not (share and learned.names_a_job(name)):
                        grad[c][name] = grad[c].get(name, 0.0) + g * value
                for name, value in (learned.job_view(features, c) if share else {}).items():
                    grad[learned.SHARED][name] = grad[learned.SHARED].get(name, 0.0) + g * value
        for row in rows:
            for name in set(grad[row]) | set(table[row]):
                weight = table[row].get(name, 0.0)
                step = grad[row].get(name, 0.0) / count + (l2 * weight if name else 0.0)  # no penalty on a bias
                table[row][name] = weight - RATE * step
    return {row: {n: round(w, 4) for n, w in sorted(weights.items()) if abs(w) >= KEPT or not n}
            for row, weights in table.items() if weights}


def accuracy(table: learned.Table, data: list[Example]) -> float:
    """The share of examples whose best open class is one the case accepts."""
    right, fitted = 0, learned.compile_table(table)
    for features, open_, accepted in data:
        p = probabilities(fitted, features, open_)
        right += max(open_, key=lambda c: p[c]) in accepted
    return right / max(len(data), 1)


def _write(path: Path, data: list[Example], classes: tuple[str, ...], folders: list[str], stamp: str) -> str:
    table = fit(data, classes)
    body = {"trained_on": sorted({Path(f).name for f in folders}), "fingerprint": stamp,
            "examples": len(data), "l2": L2, "steps": STEPS, "training_accuracy": round(accuracy(table, data), 3),
            "weights": table}
    path.write_text(json.dumps(body, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return f"{path.name}: {len(data)} examples, training accuracy {body['training_accuracy']}"


TABLES = ((learned.PRODUCT_WEIGHTS, (learned.PRODUCT, learned.OTHER)), (learned.JOB_WEIGHTS, CATEGORIES),
          (learned.RANK_WEIGHTS, (learned.SHOT, learned.SKIP)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", help="case folders (default: the eval folders but holdout, training/)")
    parser.add_argument("--out", default=str(resources.files("tools") / "data"), help="folder for the tables")
    args = parser.parse_args(argv)
    folders = args.folders or default_folders()
    shipped = Path(str(resources.files("tools") / "data"))
    for name, classes in TABLES:
        if not (shipped / name).exists():  # a first training: planning reads a table, and no example depends on it
            (shipped / name).write_text(json.dumps({"weights": {c: {} for c in classes}}), encoding="utf-8")
    cases = read_cases(folders)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = fingerprint(folders)  # once: it hashes every case and all the planner's code
    # The product first: the candidate details, and so the other two models' examples, depend on it.
    print(_write(out / learned.PRODUCT_WEIGHTS, product_examples(cases), (learned.PRODUCT, learned.OTHER), folders,
                 stamp), file=sys.stderr)
    if out == shipped:
        learned.model.cache_clear()
    jobs, ranks = examples(cases)
    print(_write(out / learned.JOB_WEIGHTS, jobs, CATEGORIES, folders, stamp), file=sys.stderr)
    print(_write(out / learned.RANK_WEIGHTS, ranks, (learned.SHOT, learned.SKIP), folders, stamp), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
