"""`ecu eval` at concurrency 1 versus 8: offline (CPU-bound) and with a loopback model (latency-bound).

Offline planning is pure CPU on one event loop, so concurrency cannot help there; with a
model, each case waits on the network, and bounded concurrency overlaps those waits. The
model here is a fake OpenAI-compatible server on 127.0.0.1 answering after a fixed latency.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time

from benchmarks.common import print_table, row

LATENCY_S = 0.1


def _suite_seconds(cases, planner, concurrency: int, rounds: int) -> float:
    from evals.runner import run_suite

    return statistics.median(asyncio.run(run_suite(cases, planner, concurrency=concurrency)).seconds
                             for _ in range(rounds))


def _capable_model(request):
    """Accept the working plan the code drafted (`submit_plan {}`): one call per case."""
    from tests.fakes.llm_server import delay, tool_reply

    return delay(LATENCY_S, tool_reply(("submit_plan", {})))


def _model_seconds(cases, concurrency: int) -> float:
    from agent.config import Config
    from evals.runner import agent_planner, run_suite
    from tests.fakes.llm_server import FakeLLMServer

    os.environ.setdefault("OPENAI_API_KEY", "sk-bench")
    with FakeLLMServer() as server:
        server.push(*[_capable_model] * (len(cases) + 2))
        planner = agent_planner(Config(model="openai/bench", api_base=server.url))
        started = time.perf_counter()
        asyncio.run(run_suite(cases, planner, concurrency=concurrency))
        return time.perf_counter() - started


def run(rounds: int = 3) -> list[dict]:
    from agent.config import Config
    from evals.cases import load_cases
    from evals.runner import agent_planner

    cases = load_cases()
    offline = agent_planner(Config())
    sequential = _suite_seconds(cases, offline, 1, rounds)
    concurrent = _suite_seconds(cases, offline, 8, rounds)
    sample = cases[:16]
    _model_seconds(sample[:1], 1)  # pay litellm's import and first-call setup outside the timings
    model_sequential = _model_seconds(sample, 1)
    model_concurrent = _model_seconds(sample, 8)
    return [
        row("evals", f"offline suite ({len(cases)} cases), concurrency 1", sequential, "s"),
        row("evals", "offline suite, concurrency 8", concurrent, "s", sequential,
            "CPU-bound: no gain expected"),
        row("evals", f"model suite ({len(sample)} cases, {LATENCY_S * 1000:.0f} ms/call), concurrency 1",
            model_sequential, "s"),
        row("evals", "model suite, concurrency 8", model_concurrent, "s", model_sequential,
            f"speed-up {model_sequential / model_concurrent:.1f}x"),
    ]


if __name__ == "__main__":
    print_table(run())
