"""The language-model policy: any litellm model decides, the code builds the plan.

`LLMPolicy.prepare` computes the offline draft before the first request and
binds the small decision tools (tools/decisions.py) to it; the opening request
carries the brief and a compact summary of that working plan, never its JSON.
`next_turn` asks an `LLMClient` (agent.llm_client) for the next message and
turns its tool calls into a `Turn`; the loop runs them and appends the results
to `state.messages`, which is what the next request sends.
"""

from __future__ import annotations

from typing import Any

from agent.config import Config
from agent.errors import ConfigError
from agent.events import AssistantDelta, Progress
from agent.llm_client import LiteLLMClient, LLMClient, Message
from agent.policy import RunState, ToolCall, Turn
from tools.summary import unmarked


class LLMPolicy:
    """A Policy that asks a language model which decisions to make about the working plan.

    `prepare` computes the offline draft before the first request (free and
    deterministic) and binds the small decision tools to it; the opening request
    carries the brief and a compact summary of that draft, not its JSON.
    """

    def __init__(self, config: Config, client: LLMClient | None = None,
                 extra_messages: list[Message] | None = None, *, stream: bool = True,
                 max_details: int | None = None, emphasis: list[str] | None = None, workbench=None) -> None:
        if not config.model:
            raise ConfigError("no model configured: pass --model or set ECU_MODEL (or plan offline without one)")
        self.config = config
        self.name = f"llm:{config.model}"
        self.client = client or LiteLLMClient(config)
        self.extra_messages = list(extra_messages or [])
        self.stream = stream
        self.max_details, self.emphasis = max_details, list(emphasis or [])
        self.workbench = workbench
        self._registry = None
        self._tools: list[dict[str, Any]] | None = None

    def prepare(self, state: RunState):
        """The run's working plan (the draft, or a session's plan) and the tools bound to it."""
        from tools.decisions import Workbench, decision_registry

        if self.workbench is None:
            self.workbench = Workbench.from_brief(state.brief, self.max_details, self.emphasis)
        state.work = self.workbench
        state.best_plan = self.workbench.plan  # the draft at worst: a run never ends empty-handed
        self._registry, self._tools = decision_registry(self.workbench), None
        return self._registry

    def tools(self) -> list[dict[str, Any]]:
        if self._tools is None:
            if self._registry is None:
                from tools.decisions import schema_registry

                self._registry = schema_registry()
            self._tools = self._registry.schemas()
        return self._tools

    def opening_messages(self, state: RunState) -> list[Message]:
        """System prompt, any extra context (a Session's recent turns), then the brief and the working plan."""
        from prompts import load_text

        content = brief_message(state.brief)
        if state.work is not None:
            content += "\n\nWorking plan (already built by code from the brief):\n" + state.work.summary()
        return [{"role": "system", "content": load_text("system.md").strip()},
                *self.extra_messages,
                {"role": "user", "content": content}]

    async def next_turn(self, state: RunState) -> Turn:
        """Send the transcript (opening messages first when it has no system message) and return the reply."""
        if not any(m.get("role") == "system" for m in state.messages):
            state.messages[:0] = self.opening_messages(state)
        streamed: list[str] = []

        def on_delta(text: str) -> None:
            streamed.append(text)
            state.emit(AssistantDelta(text=text))

        def on_retry(attempt: int, total: int, reason: str, wait: float) -> None:
            state.emit(Progress(stage=f"model retry after {reason}, waiting {wait:.1f}s", done=attempt, total=total))

        messages, tools = list(state.messages), self.tools()
        if isinstance(self.client, LiteLLMClient):
            completion = await self.client.complete(messages, tools, self.stream, on_delta, on_retry=on_retry,
                                                    tool_choice=state.tool_choice)
        else:
            completion = await self.client.complete(messages, tools, self.stream, on_delta)
        state.model_calls += 1
        state.prompt_tokens += completion.prompt_tokens
        state.completion_tokens += completion.completion_tokens
        state.cost_usd += completion.cost_usd
        if completion.text and not streamed:  # a non-streamed reply reaches the event stream in one piece
            state.emit(AssistantDelta(text=completion.text))
        calls = [ToolCall(id=c.id or f"call_{state.model_calls}_{i}", name=c.name, arguments=c.arguments)
                 for i, c in enumerate(completion.tool_calls, 1)]
        return Turn(text=completion.text, calls=calls)




def brief_message(brief: str) -> str:
    """The user message carrying the brief between markers; markers inside the brief are defused."""
    from prompts import load_text

    return load_text("brief.md").strip().replace("{brief}", unmarked(brief.strip()))
