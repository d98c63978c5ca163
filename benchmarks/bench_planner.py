"""Planner throughput: briefs per second in-process over the eval suite, offline, and memory."""

from __future__ import annotations

import asyncio
import time
import tracemalloc
from pathlib import Path

from benchmarks.common import print_table, row

REPO = Path(__file__).resolve().parents[1]


def _briefs() -> list[str]:
    import yaml

    return [yaml.safe_load(p.read_text())["brief"] for p in sorted((REPO / "evals" / "briefs").glob("*.yaml"))]


def _clear_text_caches() -> None:
    """Each brief is planned as if seen for the first time (templates and compiled regexes stay warm)."""
    from tools import signals, text

    for cached in (signals.find_signals, text.tokenize, text.sentences, text.singular):
        cached.cache_clear()


def _rate(fn, briefs: list[str], rounds: int) -> float:
    fn(briefs[0])  # load templates, compile regexes
    elapsed = 0.0
    for _ in range(rounds):
        for brief in briefs:
            _clear_text_caches()
            start = time.perf_counter()
            fn(brief)
            elapsed += time.perf_counter() - start
    return rounds * len(briefs) / elapsed


def run(rounds: int = 5) -> list[dict]:
    from agent.api import Agent
    from tools.pipeline import DraftPlanArgs, draft_plan

    briefs = _briefs()
    agent = Agent()
    direct = _rate(lambda b: draft_plan(DraftPlanArgs(brief=b)), briefs, rounds)
    loop = asyncio.new_event_loop()  # one loop for the run, as evals and the TUI use the agent
    looped = _rate(lambda b: loop.run_until_complete(agent.run(b)), briefs, rounds)
    loop.close()
    tracemalloc.start()
    for brief in briefs:
        asyncio.run(agent.run(brief))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return [
        row("planner", "draft_plan direct", direct, "briefs/s", note=f"{len(briefs)} suite briefs x {rounds}"),
        row("planner", "Agent offline (loop, events, checks)", looped, "briefs/s", direct,
            "ratio = loop throughput / direct pipeline"),
        row("planner", "peak traced memory over the suite", peak / 1e6, "MB"),
    ]


if __name__ == "__main__":
    print_table(run())
