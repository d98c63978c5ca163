"""Agent-loop overhead against a loopback fake model with a fixed latency.

The scripted model answers like a capable one: `draft_plan`, then `submit_plan` with
the draft. Total run time is compared with (model calls x latency): the difference
is what the loop, litellm's client and the tools cost on top of the model.
"""

from __future__ import annotations

import asyncio
import statistics
import time

from benchmarks.common import print_table, row, suite_brief

LATENCY_S = 0.2


def _script(server, brief: str) -> None:
    from tests.fakes.llm_server import delay, tool_reply

    def submit(request):
        draft = request.last_tool_results()[0]["content"]
        return tool_reply(("submit_plan", draft))

    server.push(delay(LATENCY_S, tool_reply(("draft_plan", {"brief": brief}))),
                delay(LATENCY_S, submit))


async def _one_run(config, brief: str):
    from agent.api import Agent
    from agent.events import RunFinished

    usage = None

    def on_event(event):
        nonlocal usage
        if isinstance(event, RunFinished):
            usage = event.usage

    await Agent(config).run(brief, emit=on_event)
    return usage


def run(repeats: int = 5) -> list[dict]:
    import os

    from agent.config import Config
    from tests.fakes.llm_server import FakeLLMServer

    os.environ.setdefault("OPENAI_API_KEY", "sk-bench")
    brief = suite_brief()
    with FakeLLMServer() as server:
        config = Config(model="openai/bench", api_base=server.url)
        _script(server, brief)
        asyncio.run(_one_run(config, brief))  # first run pays litellm's import: measured apart below
        totals, calls = [], []
        for _ in range(repeats):
            _script(server, brief)
            start = time.perf_counter()
            usage = asyncio.run(_one_run(config, brief))
            totals.append(time.perf_counter() - start)
            calls.append(usage.model_calls)
    total = statistics.median(totals)
    model_time = statistics.median(calls) * LATENCY_S
    return [
        row("agent loop", "model calls per brief", statistics.median(calls), "calls", note="capable model: draft, submit"),
        row("agent loop", "run time vs calls x latency", total * 1000, "ms", model_time * 1000,
            f"fake model latency {LATENCY_S * 1000:.0f} ms; overhead {1000 * (total - model_time):.0f} ms per run"),
    ]


if __name__ == "__main__":
    print_table(run())
