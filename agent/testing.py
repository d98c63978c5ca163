"""Test doubles for the agent, shipped with it (as pydantic-ai ships TestModel and FunctionModel).

`ScriptedPolicy` replays fixed turns, as a model would, and records the messages it saw: for driving the loop
without a model. `FunctionClient` is an `LLMClient` whose every completion comes from a function of the
messages (`ScriptedClient` replays fixed completions): for driving `LLMPolicy` without HTTP. Anyone embedding
the agent can test their own wiring with them; the project's tests use them too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from agent.policy import RunState, Turn

__all__ = ["FunctionClient", "ScriptedClient", "ScriptedPolicy"]


class ScriptedPolicy:
    """A policy that replays `turns` in order; when they run out it only talks (the loop's idle limit ends it)."""

    name = "scripted"

    def __init__(self, turns: Iterable[Turn], *, last: Turn | None = None) -> None:
        self.turns = list(turns)
        self.last = last or Turn(text="nothing more to say")
        self.seen: list[list[dict]] = []  # a copy of the messages at each turn

    async def next_turn(self, state: RunState) -> Turn:
        self.seen.append([dict(m) for m in state.messages])
        if not self.turns:
            return self.last
        return self.turns.pop(0)


Respond = Callable[[list[dict], list[dict[str, Any]]], Any]  # (messages, tool schemas) -> agent.llm_client.Completion


class FunctionClient:
    """An `LLMClient` answering each request with `respond(messages, tools)`; it records every request."""

    def __init__(self, respond: Respond, *, delta: str | None = "thinking") -> None:
        self.respond = respond
        self.delta = delta  # streamed to `on_delta` before each answer, like a model's first token
        self.seen: list[list[dict]] = []

    async def complete(self, messages, tools, stream, on_delta=None):
        self.seen.append(messages)
        if on_delta and self.delta is not None:
            on_delta(self.delta)
        return self.respond(messages, tools)


class ScriptedClient(FunctionClient):
    """A `FunctionClient` that replays fixed completions in order."""

    def __init__(self, *completions: Any) -> None:
        self.completions = list(completions)
        super().__init__(lambda messages, tools: self.completions.pop(0))
