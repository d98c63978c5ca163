"""The agent loop: one loop for every policy.

The policy proposes tool calls; the loop validates and runs them through the
registry, records the results for the policy to read, and ends when
`submit_plan` delivers a plan that passes the misuse checks. Anything a tool
or a model gets wrong becomes a tool result the policy can repair; only a
limit or a policy failure ends the run early, with the best valid plan so far.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Callable

from agent.errors import LimitExceeded
from agent.events import (FlagRaised, PlanUpdated, RunFinished, RunStarted, ToolCalled, ToolFinished, Usage)
from agent.config import Limits
from agent.models import ShotPlan
from agent.policy import Outcome, Policy, RunState, ToolCall, Turn

SUBMIT = "submit_plan"
NUDGE = "Call submit_plan with the final plan (or a planning tool first); plain text does not end the run."


def usage_of(state: RunState) -> Usage:
    return Usage(model_calls=state.model_calls, prompt_tokens=state.prompt_tokens,
                 completion_tokens=state.completion_tokens, cost_usd=round(state.cost_usd, 6),
                 tool_calls=state.tool_calls, seconds=round(state.elapsed, 3))


async def run_loop(brief: str, policy: Policy, registry, limits: Limits,
                   emit: Callable[[Any], None], state: RunState | None = None) -> ShotPlan:
    """Drive `policy` until it submits an acceptable plan; raise LimitExceeded with the best plan otherwise."""
    state = state or RunState(brief=brief)
    state.emit = emit
    emit(RunStarted(brief=brief, policy=policy.name))
    transcript = getattr(policy, "needs_transcript", True)
    for _ in range(limits.max_steps):
        _check_budget(state, limits)
        remaining = limits.timeout_s - state.elapsed
        try:  # asyncio.timeout, not wait_for: on 3.11 wait_for wraps every turn in a new task
            async with asyncio.timeout(max(remaining, 0.001)):
                turn = await policy.next_turn(state)
        except TimeoutError:
            raise LimitExceeded(f"time limit of {limits.timeout_s:g}s reached", state.best_plan) from None
        if transcript:
            _record_assistant(state, turn)
        if not turn.calls:
            state.messages.append({"role": "user", "content": NUDGE})
            continue
        for call in turn.calls:
            state.tool_calls += 1
            if state.tool_calls > limits.max_tool_calls:
                raise LimitExceeded(f"tool-call limit of {limits.max_tool_calls} reached", state.best_plan)
            plan = _run_call(state, registry, call, emit, transcript)
            if plan is not None:
                emit(RunFinished(plan=plan, usage=usage_of(state)))
                return plan
    raise LimitExceeded(f"step limit of {limits.max_steps} reached without an accepted plan", state.best_plan)


def _check_budget(state: RunState, limits: Limits) -> None:
    if state.elapsed > limits.timeout_s:
        raise LimitExceeded(f"time limit of {limits.timeout_s:g}s reached", state.best_plan)
    if state.prompt_tokens + state.completion_tokens > limits.max_tokens:
        raise LimitExceeded(f"token limit of {limits.max_tokens} reached", state.best_plan)
    if state.cost_usd > limits.max_cost_usd:
        raise LimitExceeded(f"cost limit of ${limits.max_cost_usd:g} reached", state.best_plan)


def _record_assistant(state: RunState, turn: Turn) -> None:
    message: dict[str, Any] = {"role": "assistant", "content": turn.text or None}
    if turn.calls:
        message["tool_calls"] = [
            {"id": c.id, "type": "function",
             "function": {"name": c.name, "arguments": c.arguments if isinstance(c.arguments, str)
                          else json.dumps(c.args_dict())}}
            for c in turn.calls
        ]
    state.messages.append(message)


def _run_call(state: RunState, registry, call: ToolCall, emit, transcript: bool = True) -> ShotPlan | None:
    """Run one call; return the accepted plan when this call ends the run."""
    emit(ToolCalled(name=call.name, args=call.preview()))
    result = registry.call(call.name, call.arguments)
    ok, output, error = result.ok, result.output, result.error
    accepted: ShotPlan | None = None
    if ok and isinstance(output, ShotPlan):
        if call.name == SUBMIT:  # the loop's own check is authoritative, whatever the policy claims
            output = review_plan(output, state.brief)
        state.best_plan = output
        emit(PlanUpdated(plan=output))
        if call.name == SUBMIT:
            errors = [f for f in output.flags if f.severity == "error"]
            if errors:
                ok, error = False, "plan rejected, repair and submit again: " + "; ".join(
                    f"{f.kind} on {', '.join(f.shots) or 'plan'}: {f.message}. Fix: {f.fix}" for f in errors)
            else:
                accepted = output
    state.outcomes.append(Outcome(call=call, ok=ok, output=output if ok else None, error=error))
    if transcript:
        content = json.dumps({"error": error}) if not ok else result.content()
        state.messages.append({"role": "tool", "tool_call_id": call.id, "content": content})
    emit(ToolFinished(name=call.name, ok=ok, summary=result.summary() if ok else f"error: {error}"))
    if accepted is not None:
        for flag in accepted.flags:
            emit(FlagRaised(flag=flag))
    return accepted


def review_plan(plan: ShotPlan, brief: str) -> ShotPlan:
    """Run the misuse checks on a plan; their flags replace the plan's own flags of the same kind."""
    from tools.flags import CheckMisuseArgs, check_misuse

    report = check_misuse(CheckMisuseArgs(plan=plan, brief=brief))
    checked = {f.kind for f in report.flags}
    kept = [f for f in plan.flags if f.kind not in checked]
    return plan.model_copy(update={"flags": report.flags + kept})
