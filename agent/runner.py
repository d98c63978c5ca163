"""Running the agent for a terminal: events to stderr when verbose, errors as EcuError."""

from __future__ import annotations

import asyncio
import json
import sys

from agent.config import Config
from agent.errors import LimitExceeded
from agent.events import AssistantDelta, Progress, ToolCalled, ToolFinished
from agent.models import ShotPlan

ARGS_WIDTH = 100


def plan_with_progress(brief: str, config: Config, *, verbose: bool = False, max_details: int | None = None) -> ShotPlan:
    """Plan a brief, describing events on stderr when verbose; failures raise the run's own EcuError."""
    from agent.api import Agent, policy_for

    options = {"max_details": max_details} if config.offline and max_details is not None else {}
    agent = Agent(config, policy=policy_for(config, **options))
    describe = _Describer() if verbose else None
    try:
        return asyncio.run(agent.run(brief, emit=describe or (lambda event: None)))
    except LimitExceeded as err:
        if err.plan is not None:
            raise LimitExceeded(f"{err} (best plan so far has {err.plan.summary()})", err.plan) from None
        raise
    finally:
        if describe is not None:
            describe.end_text()


class _Describer:
    """Prints tool calls, results, retries and streamed model text to stderr, one event at a time."""

    def __init__(self) -> None:
        self.in_text = False

    def end_text(self) -> None:
        if self.in_text:
            print(file=sys.stderr, flush=True)
            self.in_text = False

    def __call__(self, event) -> None:
        if isinstance(event, AssistantDelta):
            print(event.text, end="", file=sys.stderr, flush=True)
            self.in_text = True
            return
        self.end_text()
        if isinstance(event, ToolCalled):
            print(f"→ {event.name} {_short_args(event.name, event.args)}".rstrip(), file=sys.stderr)
        elif isinstance(event, ToolFinished):
            print(f"  {'ok' if event.ok else 'failed'}: {event.summary}", file=sys.stderr)
        elif isinstance(event, Progress):
            print(f"  … {event.stage} ({event.done}/{event.total})", file=sys.stderr)


def _short_args(name: str, args: dict) -> str:
    """Tool arguments on one line, cut to fit; a submitted plan is shown by its size."""
    if "_raw" in args:
        text = f"(not valid JSON) {args['_raw']}"
    elif "shots" in args and "brief" in args:
        shots = args["shots"]
        text = f"(plan with {len(shots) if isinstance(shots, list) else '?'} shots)"
    else:
        text = json.dumps(args, ensure_ascii=False, default=str) if args else ""
    text = " ".join(str(text).split())
    return text if len(text) <= ARGS_WIDTH else text[: ARGS_WIDTH - 1] + "…"
