"""Running the agent for a terminal: events to stderr when verbose, errors as EcuError."""

from __future__ import annotations

import asyncio
import sys

from agent.config import Config
from agent.errors import LimitExceeded, PlanError
from agent.events import AssistantDelta, RunFailed, RunFinished, ToolCalled, ToolFinished
from agent.models import ShotPlan


def plan_with_progress(brief: str, config: Config, *, verbose: bool = False, max_details: int | None = None) -> ShotPlan:
    from agent.api import Agent, policy_for

    options = {"max_details": max_details} if config.offline and max_details else {}
    agent = Agent(config, policy=policy_for(config, **options))

    async def drive() -> ShotPlan:
        async for event in agent.stream(brief):
            if verbose:
                _describe(event)
            if isinstance(event, RunFinished):
                return event.plan
            if isinstance(event, RunFailed):
                if event.plan is not None:
                    raise LimitExceeded(f"{event.error} (best plan so far has {event.plan.summary()})", event.plan)
                raise PlanError(event.error)
        raise PlanError("the run ended without a plan")

    return asyncio.run(drive())


def _describe(event) -> None:
    if isinstance(event, ToolCalled):
        print(f"→ {event.name}", file=sys.stderr)
    elif isinstance(event, ToolFinished):
        print(f"  {'ok' if event.ok else 'failed'}: {event.summary}", file=sys.stderr)
    elif isinstance(event, AssistantDelta):
        print(event.text, end="", file=sys.stderr, flush=True)
