"""The deterministic policy: walks the planning steps through the loop, no network."""

from __future__ import annotations

from agent.errors import PlanError
from agent.policy import RunState, ToolCall, Turn


class OfflinePolicy:
    name = "offline"
    needs_transcript = False

    def __init__(self, emphasis: list[str] | None = None, max_details: int | None = None) -> None:
        self.emphasis = list(emphasis or [])
        self.max_details = max_details

    async def next_turn(self, state: RunState) -> Turn:
        from tools.pipeline import STEPS, PlanningContext, assemble

        last = state.outcomes[-1] if state.outcomes else None
        if last is not None and not last.ok:
            raise PlanError(f"offline planning failed at {last.call.name}: {last.error}")
        ctx = PlanningContext(brief=state.brief, emphasis=self.emphasis, max_details=self.max_details)
        for step in STEPS:
            output = state.last_output(step.tool)
            if output is None:
                return Turn(calls=[ToolCall(f"call_{len(state.outcomes) + 1}", step.tool, step.args(ctx))])
            ctx.put(step.store, output)
        return Turn(calls=[ToolCall(f"call_{len(state.outcomes) + 1}", "submit_plan", assemble(ctx))])
