"""What a policy is: something that looks at the run so far and says which tools to call next."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel

from agent.models import ShotPlan


@dataclass
class ToolCall:
    id: str
    name: str
    arguments: str | dict[str, Any] | BaseModel  # raw JSON from a model, or typed args from the offline policy

    def args_dict(self) -> dict[str, Any]:
        """Arguments as plain data, for events and transcripts; unparsable JSON is shown raw."""
        if isinstance(self.arguments, BaseModel):
            return self.arguments.model_dump(mode="json")
        if isinstance(self.arguments, dict):
            return self.arguments
        try:
            parsed = json.loads(self.arguments or "{}")
        except (json.JSONDecodeError, RecursionError):  # too deep to parse: the registry says so to the policy
            return {"_raw": self.arguments}
        return parsed if isinstance(parsed, dict) else {"_raw": self.arguments}


    def preview(self) -> dict[str, Any]:
        """A compact view for events: typed arguments show scalars, nested objects by type name."""
        if not isinstance(self.arguments, BaseModel):
            return self.args_dict()
        return {name: value if isinstance(value, (int, float, bool, type(None))) or (
                    isinstance(value, str) and len(value) <= 200) else f"<{type(value).__name__}>"
                for name, value in self.arguments}


@dataclass
class Turn:
    """One policy decision: optional text for the user and the tool calls to run."""

    text: str = ""
    calls: list[ToolCall] = field(default_factory=list)


@dataclass
class Outcome:
    call: ToolCall
    ok: bool
    output: BaseModel | None
    error: str | None


@dataclass
class RunState:
    """Everything a policy may look at, kept by the loop."""

    brief: str
    messages: list[dict[str, Any]] = field(default_factory=list)  # OpenAI-format transcript
    outcomes: list[Outcome] = field(default_factory=list)
    best_plan: ShotPlan | None = None
    model_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    tool_calls: int = 0
    tool_choice: str = "auto"  # "required" after a text-only turn
    work: Any = None  # the model path's working plan (tools.decisions.Workbench), set by the policy
    started: float = field(default_factory=time.monotonic)
    emit: Callable[[Any], None] = lambda event: None

    def last_output(self, tool: str) -> BaseModel | None:
        for outcome in reversed(self.outcomes):
            if outcome.call.name == tool and outcome.ok:
                return outcome.output
        return None

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


class Policy(Protocol):
    name: str
    # Policies that read state.messages (a model) need the JSON transcript; the offline one reads outcomes.
    needs_transcript: bool

    async def next_turn(self, state: RunState) -> Turn: ...
