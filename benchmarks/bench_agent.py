"""The model path against a loopback fake model: requests, tokens and tool-schema size per brief.

Two scripted models, both acting as a capable model would with the decision tools:
the happy path accepts the working plan (`submit_plan {}`, one request), and the
corrected path fixes one detail (`set_detail`, then `submit_plan {}`, two requests).
Input tokens are counted with litellm's tokenizer (gpt-4o's) on exactly what each
request sent, tool schemas included; output tokens on what the model wrote.
Run time is compared with (model calls x latency): the difference is what the
loop, litellm's client and the tools cost on top of the model.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time

from benchmarks.common import print_table, row, suite_briefs

LATENCY_S = 0.2
BRIEFS = 8  # the first suite briefs; tokens are counted for each
TOKENIZER = "gpt-4o"
SCHEMA_BUDGET = 16_000  # characters, all tool schemas together (issue 13)


def _happy(server) -> None:
    from tests.fakes.llm_server import delay, tool_reply

    server.push(delay(LATENCY_S, tool_reply(("submit_plan", {}))))


def _corrected(server, shot_id: str) -> None:
    from tests.fakes.llm_server import delay, tool_reply

    fix = {"shot_id": shot_id, "name": "hand-finished edge of the strap", "category": "craftsmanship",
           "why": "shows the finishing is done by hand, which the brief sells"}
    server.push(delay(LATENCY_S, tool_reply(("set_detail", fix), text="The second ECU is generic; naming it.")),
                delay(LATENCY_S, tool_reply(("submit_plan", {}))))


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


def _tokens(requests, replies: int) -> tuple[int, int]:
    """(input, output) tokens of a run's `replies` requests: what was sent, and what the model wrote back."""
    from agent.llm_client import load_litellm

    litellm = load_litellm()
    run = requests[-replies:]
    sent = sum(litellm.token_counter(model=TOKENIZER, messages=r.body["messages"], tools=r.body.get("tools"))
               for r in run)
    # the model's earlier replies travel in the last request's transcript; its final one is submit_plan {}
    answers = [m for m in run[-1].body["messages"] if m.get("role") == "assistant"]
    earlier = answers[-(replies - 1):] if replies > 1 else []
    written = [{k: m[k] for k in ("content", "tool_calls") if m.get(k)} for m in earlier]
    written.append({"tool_calls": [{"type": "function", "function": {"name": "submit_plan", "arguments": "{}"}}]})
    return sent, sum(litellm.token_counter(model=TOKENIZER, text=json.dumps(w)) for w in written)


def run(repeats: int = 3) -> list[dict]:
    import os

    from agent.config import Config
    from tests.fakes.llm_server import FakeLLMServer
    from tools.decisions import Workbench, schema_registry

    os.environ.setdefault("OPENAI_API_KEY", "sk-bench")
    schema_chars = len(json.dumps(schema_registry().schemas()))
    briefs = suite_briefs()[:BRIEFS]
    happy, corrected, calls, totals = [], [], [], []
    with FakeLLMServer() as server:
        config = Config(model="openai/bench", api_base=server.url)
        _happy(server)
        asyncio.run(_one_run(config, briefs[0]))  # first run pays litellm's import: measured apart below
        for brief in briefs:
            _happy(server)
            usage = asyncio.run(_one_run(config, brief))
            happy.append((usage.model_calls, *_tokens(server.completions, 1)))
            ecu = Workbench.from_brief(brief).plan.ecu_shots()
            if ecu:
                _corrected(server, ecu[-1].id)
                usage = asyncio.run(_one_run(config, brief))
                corrected.append((usage.model_calls, *_tokens(server.completions, 2)))
        for _ in range(repeats):
            _happy(server)
            start = time.perf_counter()
            usage = asyncio.run(_one_run(config, briefs[0]))
            totals.append(time.perf_counter() - start)
            calls.append(usage.model_calls)
    total = statistics.median(totals)
    model_time = statistics.median(calls) * LATENCY_S

    def median(rows, i):
        return statistics.median(r[i] for r in rows)

    n = f"median of {len(briefs)} suite briefs"
    return [
        row("agent model path", "tool schemas, all together", schema_chars, "chars", SCHEMA_BUDGET,
            f"{len(schema_registry().names())} tools; budget {SCHEMA_BUDGET}"),
        row("agent model path", "happy path: requests per brief", median(happy, 0), "requests", 1,
            "model accepts the draft: submit_plan {}"),
        row("agent model path", "happy path: input tokens per brief", median(happy, 1), "tokens", 8000,
            f"{n}; max {max(r[1] for r in happy)}; target about 8,000"),
        row("agent model path", "happy path: output tokens per brief", median(happy, 2), "tokens", 400,
            f"{n}; target about 400"),
        row("agent model path", "one corrected detail: requests", median(corrected, 0), "requests", 2,
            "set_detail, then submit_plan {}"),
        row("agent model path", "one corrected detail: input tokens", median(corrected, 1), "tokens", None,
            f"{n}, both requests together"),
        row("agent model path", "one corrected detail: output tokens", median(corrected, 2), "tokens", None, n),
        row("agent model path", "run time vs calls x latency", total * 1000, "ms", model_time * 1000,
            f"fake model latency {LATENCY_S * 1000:.0f} ms; overhead {1000 * (total - model_time):.0f} ms per run"),
    ]


if __name__ == "__main__":
    print_table(run())
