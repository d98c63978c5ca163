"""Planner throughput: briefs per second in-process over the eval suite, offline, and memory."""

from __future__ import annotations

import asyncio
import time
import tracemalloc

from benchmarks.common import print_table, row, suite_briefs


def _clear_text_caches() -> None:
    """Each brief is planned as if seen for the first time (templates and compiled regexes stay warm)."""
    from tools import brief, signals, text

    for cached in (signals.find_signals, text.tokenize, text.sentences, text.singular, text.fold,
                   brief._bracketed_name, brief._timed_words):
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


LARGE = 95_000  # just under the 100 kB brief limit


def _large_briefs(briefs: list[str]) -> dict[str, str]:
    """Shapes a pasted document can take at the size limit: prose, one endless sentence, one endless list."""
    prose = "\n\n".join(briefs)
    return {
        "prose": (prose * 10)[:LARGE],
        "no punctuation": " ".join(prose.replace(".", " ").replace(";", " ").split())[:LARGE] * 2,
        "one long list": "Leather bag. ECUs: " + ("the seam, " * (LARGE // 10)),
        "repeated labels": "Leather bag. " + ("details: the stitch, the zip, the seal. " * (LARGE // 40)),
        "repeated ECU asks": "Leather bag. " + ("extreme close-up of the seam, macro " * (LARGE // 36)),
        "one endless item": "Leather bag. ECU of the " + ("seam of the leather in the bag " * (LARGE // 31)),
        "quoted words": "Leather bag. ECU of the " + ('the "best" seam and the ' * (LARGE // 24)),
        # adversarial markers: each starts an enumeration that never gets its second item
        "'1) ' repeated": "Leather bag. " + "1) " * (LARGE // 3),
        "'(a) ' repeated": "Leather bag. " + "(a) " * (LARGE // 4),
        "'a) the ' repeated": "Leather bag. " + "a) the " * (LARGE // 7),
        "9,000-item list": "Leather bag. ECUs: " + ", ".join(f"item{i}" for i in range(9000)),
        "'swap ' repeated": "Leather bag. " + "swap " * (LARGE // 5),
        "one endless word": "Leather bag. " + "a" * LARGE,  # no space: a pattern that rescans a word is quadratic
        # line shapes the storyboard, list and chat readers walk line by line
        "storyboard table rows": "Leather bag 15s.\n" + "| 0:00-0:03 | ECU | the seam of the bag | proof |\n"
                                 * (LARGE // 48),
        "timed rows": "Leather bag 15s.\n" + "0:00-0:03 ECU: the seam - it never splits\n" * (LARGE // 42),
        "bullets, no heading": "Leather bag\n" + "- the seam\n" * (LARGE // 11),
        "chat lines": "Leather bag\n" + "[10:02] maya: and the seam?\n" * (LARGE // 28),
    }


def _slowest_large(briefs: list[str]) -> tuple[str, float, int]:
    """The slowest large shape: its name, its seconds, and how many shapes were tried."""
    from tools.pipeline import DraftPlanArgs, draft_plan

    timings = {}
    for name, brief in _large_briefs(briefs).items():
        _clear_text_caches()
        start = time.perf_counter()
        draft_plan(DraftPlanArgs(brief=brief[:LARGE]))
        timings[name] = time.perf_counter() - start
    worst = max(timings, key=timings.get)
    return worst, timings[worst], len(timings)


def run(rounds: int = 5) -> list[dict]:
    from agent.api import Agent
    from tools.pipeline import DraftPlanArgs, draft_plan

    briefs = suite_briefs()
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
    shape, worst, shapes = _slowest_large(briefs)
    linear = LARGE * len(briefs) / (direct * sum(len(b) for b in briefs))  # the suite's seconds per character
    return [
        row("planner", "draft_plan direct", direct, "briefs/s", note=f"{len(briefs)} suite briefs x {rounds}"),
        row("planner", "Agent offline (loop, events, checks)", looped, "briefs/s", direct,
            "ratio = loop throughput / direct pipeline"),
        row("planner", "peak traced memory over the suite", peak / 1e6, "MB"),
        row("planner", f"largest brief (95 kB), slowest of {shapes} shapes", worst, "s", linear,
            f"slowest: {shape}; baseline = suite seconds per character x 95 kB (ratio 1 = linear)"),
    ]


if __name__ == "__main__":
    print_table(run())
