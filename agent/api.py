"""The public API: `Agent(config).plan(brief)` and `Agent(config).stream(brief)`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from agent.briefs import check_brief
from agent.config import Config
from agent.errors import EcuError
from agent.events import Event, RunFailed
from agent.models import ShotPlan
from agent.policy import Policy, RunState


def policy_for(config: Config, *, max_details: int | None = None, emphasis: list[str] | None = None) -> Policy:
    """The offline policy unless a model is configured; both honour the same planning options."""
    if config.offline:
        from agent.offline import OfflinePolicy

        return OfflinePolicy(emphasis=emphasis, max_details=max_details)
    from agent.llm_policy import LLMPolicy

    return LLMPolicy(config, max_details=max_details, emphasis=emphasis)


def tool_registry():
    """The planning tools (`tools.registry.build_registry`): one registry may serve many agents."""
    from tools.registry import build_registry

    return build_registry()


class Agent:
    def __init__(self, config: Config | None = None, policy: Policy | None = None, registry=None) -> None:
        self.config = config or Config.from_env()
        self.policy = policy or policy_for(self.config)
        self.registry = registry if registry is not None else tool_registry()

    async def run(self, brief: str, emit=lambda event: None, state: RunState | None = None) -> ShotPlan:
        """Plan a brief, sending every event to `emit`; raises EcuError subclasses on failure."""
        from agent.loop import run_loop

        brief = check_brief(brief)
        return await run_loop(brief, self.policy, self.registry, self.config.limits, emit, state)

    def plan(self, brief: str) -> ShotPlan:
        """Plan a brief synchronously."""
        return asyncio.run(self.run(brief))

    async def stream(self, brief: str) -> AsyncIterator[Event]:
        """Yield every event of a run; the last one is RunFinished or RunFailed."""
        queue: asyncio.Queue = asyncio.Queue()
        task = asyncio.create_task(self.run(brief, emit=queue.put_nowait))
        task.add_done_callback(lambda _: queue.put_nowait(None))
        try:
            while (event := await queue.get()) is not None:
                yield event
            error = task.exception()
            if error is not None:
                if not isinstance(error, EcuError):
                    raise error
                yield RunFailed(error=str(error), plan=getattr(error, "plan", None))
        finally:
            if not task.done():
                task.cancel()
