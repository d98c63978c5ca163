"""The event stream every face (CLI, TUI, evals, Slack) consumes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agent.models import Flag, QCReport, ShotPlan


@dataclass(frozen=True)
class RunStarted:
    brief: str
    policy: str


@dataclass(frozen=True)
class AssistantDelta:
    text: str


@dataclass(frozen=True)
class ToolCalled:
    name: str
    args: dict[str, Any]


@dataclass(frozen=True)
class ToolFinished:
    name: str
    ok: bool
    summary: str


@dataclass(frozen=True)
class PlanUpdated:
    plan: ShotPlan


@dataclass(frozen=True)
class FlagRaised:
    flag: Flag


@dataclass(frozen=True)
class Progress:
    stage: str
    done: int
    total: int


@dataclass(frozen=True)
class ImageSaved:
    shot_id: str
    path: str
    seed: int


@dataclass(frozen=True)
class QCReported:
    shot_id: str
    report: QCReport


@dataclass(frozen=True)
class Usage:
    model_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    tool_calls: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class RunFinished:
    plan: ShotPlan
    usage: Usage = field(default_factory=Usage)


@dataclass(frozen=True)
class RunFailed:
    error: str
    plan: ShotPlan | None = None


Event = (RunStarted | AssistantDelta | ToolCalled | ToolFinished | PlanUpdated | FlagRaised | Progress
         | ImageSaved | QCReported | RunFinished | RunFailed)
