"""The trained part of deciding a detail's job: a linear model over named features.

`tools.jobs.job_features` says what the brief and the detail's words show (cue words by job, the term's usual
job, the vertical's habit, the head's WordNet sense, demonstrations); how much each of those counts for each job
is learned from the labelled details of the eval folders, not set by hand, because hand-set weights that differ
by a tenth decided cases and moved others both ways. `python -m tools.train_job_model evals/*/` rebuilds
`data/job_weights.json` reproducibly; the file records what it was trained on.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from agent.models import CATEGORIES

WEIGHTS = "job_weights.json"
# The weights of the features that name a job, the same whichever job they name: a cue word near the detail counts
# for the job it cues as much as another job's cue counts for that one, so what the common jobs teach carries over
# to the rare ones. Such a feature has no weight of its own per job (that measured no better and undid the
# sharing: a vertical's craft habit ended up adding to proof as well).
SHARED = "any job"
Table = dict[str, dict[str, float]]


@lru_cache(maxsize=1)
def weights() -> Table:
    """Per job, the bias ("") and each feature's weight; under SHARED, the weights of the job-naming features."""
    raw = json.loads((resources.files("tools") / "data" / WEIGHTS).read_text(encoding="utf-8"))
    return raw["weights"]


_NAMING = tuple(f"{sep}{job}" for job in CATEGORIES for sep in ":=")


def names_a_job(feature: str) -> bool:
    """Whether a feature is about one job ("near:proof", "usual=craftsmanship"): it has one shared weight."""
    return feature.endswith(_NAMING)


def job_view(features: dict[str, float], job: str) -> dict[str, float]:
    """The features that name `job`, seen from it: "near:proof" is "near:~" for proof and nothing for the rest."""
    ends = (f":{job}", f"={job}")
    return {name[: -len(job)] + "~": value for name, value in features.items() if name.endswith(ends)}


def scores(features: dict[str, float], jobs: list[str] | tuple[str, ...], table: Table | None = None) \
        -> dict[str, float]:
    """Each job's linear score: its bias, its own weights of the features, and the shared weights of the features
    that name it (a feature no weight was learned for counts nothing)."""
    table = weights() if table is None else table
    shared = table.get(SHARED, {})
    return {job: table[job].get("", 0.0) + sum(table[job].get(name, 0.0) * value for name, value in features.items())
            + sum(shared.get(name, 0.0) * value for name, value in job_view(features, job).items())
            for job in jobs}


def best(features: dict[str, float], jobs: list[str]) -> str:
    """The open job the model scores highest; the first listed on a tie (the term's usual job comes first)."""
    ranked = scores(features, jobs)
    return max(jobs, key=lambda job: (ranked[job], -jobs.index(job)))
