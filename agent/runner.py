"""Running the agent for a terminal: events to stderr when verbose, errors as EcuError."""

from __future__ import annotations

import asyncio
import json
import re
import sys

from agent.config import Config
from agent.errors import LimitExceeded
from agent.events import AssistantDelta, Progress, ToolCalled, ToolFinished
from agent.models import ShotPlan

ARGS_WIDTH = 100


def plan_with_progress(brief: str, config: Config, *, verbose: bool = False,
                       max_details: int | None = None) -> ShotPlan:
    """Plan a brief, describing events on stderr when verbose; failures raise the run's own EcuError."""
    from agent.api import Agent, policy_for

    agent = Agent(config, policy=policy_for(config, max_details=max_details))
    describe = _Describer() if verbose else _Waits()
    try:
        return asyncio.run(agent.run(brief, emit=describe))
    except LimitExceeded as err:
        if err.plan is not None:
            raise LimitExceeded(f"{err} (best plan so far has {err.plan.summary()})", err.plan) from None
        raise
    finally:
        describe.end_text()


_WAIT = re.compile(r"waiting ([\d.]+)s")


class _Waits:
    """Without --verbose, say only what would otherwise be silence: retries after timeouts, refused
    connections, or a wait of a second or more (an unreachable --api-base backs off for half a minute)."""

    def end_text(self) -> None:
        pass

    def __call__(self, event) -> None:
        if not isinstance(event, Progress) or not event.stage.startswith("model retry"):
            return
        wait = _WAIT.search(event.stage)
        if "timeout" in event.stage or "connection" in event.stage or (wait and float(wait.group(1)) >= 1.0):
            print(f"ecu: {event.stage} (attempt {event.done + 1} of {event.total})", file=sys.stderr, flush=True)


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
    elif "shots" in args and "brief" in args or isinstance(args.get("plan"), dict):
        shots = args["plan"].get("shots") if isinstance(args.get("plan"), dict) else args["shots"]
        text = f"(plan with {len(shots) if isinstance(shots, list) else '?'} shots)"
    else:
        text = json.dumps(args, ensure_ascii=False, default=str) if args else ""
    text = " ".join(str(text).split())
    return text if len(text) <= ARGS_WIDTH else text[: ARGS_WIDTH - 1] + "…"
