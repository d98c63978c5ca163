"""The planner's learned judgments: which job a detail does, how likely a candidate is a detail worth its extreme
close-up, and which phrase of the brief names the product. All are linear models over named features, read from
tables trained on labelled cases.

What the features say is code (`tools.jobs.job_features`: cue words by job, the term's usual job, the vertical's
habit, the head's sense, demonstrations; `tools.details.rank_features`: the readers' score, where and how the brief
names the candidate, the words of its name and clause; `tools.brief.product_features`: which readers found a
phrase and where, and what its words are). How much each counts is learned from the labelled
details of `evals/` and `training/` (`make train-models`, `tools/train_models.py`), not set by hand: hand-set
weights that differed by a tenth decided cases and moved others both ways. Each table records what it was
trained on.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from agent.models import CATEGORIES

JOB_WEIGHTS = "job_weights.json"  # classes: the jobs
RANK_WEIGHTS = "rank_weights.json"  # classes: SHOT (an expected detail) and SKIP
SHOT, SKIP = "shot", "skip"
PRODUCT_WEIGHTS = "product_weights.json"  # classes: PRODUCT (the phrase names what is sold) and OTHER
PRODUCT, OTHER = "product", "other"
# The weights of the features that name a job, the same whichever job they name: a cue word near the detail counts
# for the job it cues as much as another job's cue counts for that one, so what the common jobs teach carries over
# to the rare ones. Such a feature has no weight of its own per job (that measured no better and undid the
# sharing: a vertical's craft habit ended up adding to proof as well).
SHARED = "any job"
Table = dict[str, dict[str, float]]
# The features that name a job: a cue count or a habit for that job ("near:proof", "usual=craftsmanship"). A word
# of the clause that happens to be a job's name ("word:proof") is a word like any other.
NAMING_PREFIXES = ("near:", "context:", "purpose:", "usual=", "can=", "habit=")
_NAMING = frozenset(prefix + job for prefix in NAMING_PREFIXES for job in CATEGORIES)


class Model(NamedTuple):
    """A table made ready to score: per feature, its weight for each class with any shared weight folded in."""
    classes: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]


def weights(name: str) -> Table:
    """Per class, the bias ("") and each feature's weight; under SHARED, the weights of the job-naming features."""
    raw = json.loads((resources.files("tools") / "data" / name).read_text(encoding="utf-8"))
    return raw["weights"]


@lru_cache(maxsize=3)
def model(name: str) -> Model:
    return compile_table(weights(name))


def compile_table(table: Table) -> Model:
    """One weight vector per feature, so a score costs one lookup per feature: a shared weight ("near:~") becomes
    the weight of each job-naming feature ("near:proof") for the job it names."""
    classes = tuple(c for c in table if c != SHARED)
    vectors: dict[str, list[float]] = {}
    for i, c in enumerate(classes):
        for name, weight in table[c].items():
            if name:
                vectors.setdefault(name, [0.0] * len(classes))[i] += weight
        for stem, weight in table.get(SHARED, {}).items():
            if stem[:-1] + c in _NAMING:
                vectors.setdefault(stem[:-1] + c, [0.0] * len(classes))[i] += weight
    return Model(classes, tuple(table[c].get("", 0.0) for c in classes), {n: tuple(v) for n, v in vectors.items()})


def names_a_job(feature: str) -> bool:
    """Whether a feature is about one job ("near:proof", "usual=craftsmanship"): it has one shared weight."""
    return feature in _NAMING


def job_view(features: dict[str, float], job: str) -> dict[str, float]:
    """The features that name `job`, seen from it: "near:proof" is "near:~" for proof and nothing for the rest."""
    return {name[: -len(job)] + "~": value for name, value in features.items() if name in _NAMING
            and name.endswith(job)}


def scores(features: dict[str, float], classes: list[str] | tuple[str, ...], fitted: Model) -> dict[str, float]:
    """Each class's linear score: its bias, its weights of the features and the shared weights of the features
    that name it. A feature no weight was learned for counts nothing, and so does a class the table lacks (one no
    training example could take), rather than stopping a plan."""
    total = list(fitted.bias)
    for name, value in features.items():
        vector = fitted.weights.get(name)
        if vector is not None:
            for i, weight in enumerate(vector):
                total[i] += weight * value
    known = dict(zip(fitted.classes, total))
    return {c: known.get(c, 0.0) for c in classes}


def best_job(features: dict[str, float], jobs: list[str]) -> str:
    """The open job the job model scores highest; the first listed on a tie (the term's usual job comes first)."""
    ranked = scores(features, jobs, model(JOB_WEIGHTS))
    return max(jobs, key=lambda job: (ranked[job], -jobs.index(job)))


def shot_logit(features: dict[str, float]) -> float:
    """How much likelier than not the rank model finds a candidate to be a detail the brief wants shot (log-odds)."""
    ranked = scores(features, (SHOT, SKIP), model(RANK_WEIGHTS))
    return ranked[SHOT] - ranked[SKIP]


def product_logit(features: dict[str, float]) -> float:
    """How much likelier than not the product model finds a phrase to name what the brief sells (log-odds)."""
    ranked = scores(features, (PRODUCT, OTHER), model(PRODUCT_WEIGHTS))
    return ranked[PRODUCT] - ranked[OTHER]
