"""The agent loop: one loop for every policy.

The policy proposes tool calls; the loop validates and runs them through the
registry, records the results for the policy to read, and ends when
`submit_plan` delivers a plan that passes the misuse and consistency checks.
Anything a tool or a model gets wrong becomes a tool result the policy can
repair; only a limit or a policy failure ends the run early, carrying the best
valid plan so far (never a rejected one). A policy with a `prepare(state)`
method (the model's) sets up the run's working plan and its own tools first.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from agent.config import Limits
from agent.errors import EcuError, LimitExceeded
from agent.events import FlagRaised, PlanUpdated, RunFinished, RunStarted, ToolCalled, ToolFinished, Usage
from agent.models import ShotPlan
from agent.policy import Outcome, Policy, RunState, ToolCall, Turn

SUBMIT = "submit_plan"
NUDGE = ("Call a tool: submit_plan with {} accepts the working plan, or make an edit first; "
         "plain text does not end the run.")


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
    if (prepare := getattr(policy, "prepare", None)) is not None:
        registry = prepare(state)  # the working plan (the draft) exists before the first model call
        if state.best_plan is not None:
            emit(PlanUpdated(plan=state.best_plan))
    idle = 0
    for _ in range(limits.max_steps):
        _check_budget(state, limits)
        remaining = limits.timeout_s - state.elapsed
        try:  # asyncio.timeout, not wait_for: on 3.11 wait_for wraps every turn in a new task
            async with asyncio.timeout(max(remaining, 0.001)):
                turn = await policy.next_turn(state)
        except TimeoutError:
            raise LimitExceeded(f"time limit of {limits.timeout_s:g}s reached", state.best_plan) from None
        except EcuError as err:  # a model failure still hands over the best plan so far
            if getattr(err, "plan", None) is None:
                err.plan = state.best_plan
            raise
        if transcript:
            _record_assistant(state, turn)
        if not turn.calls:
            idle += 1
            if idle >= limits.max_idle_turns:
                raise LimitExceeded(f"the model answered {idle} times in a row without calling a tool",
                                    state.best_plan)
            state.messages.append({"role": "user", "content": NUDGE})
            state.tool_choice = "required"  # litellm maps it for each provider
            continue
        idle, state.tool_choice = 0, "auto"
        marks = (len(state.messages), len(state.outcomes))
        for call in turn.calls:
            state.tool_calls += 1
            if state.tool_calls > limits.max_tool_calls:
                raise LimitExceeded(f"tool-call limit of {limits.max_tool_calls} reached", state.best_plan)
            plan = _run_call(state, registry, call, emit, transcript)
            if plan is not None:
                emit(RunFinished(plan=plan, usage=usage_of(state)))
                return plan
        if transcript:
            _one_summary_per_turn(state, *marks)
    raise LimitExceeded(f"step limit of {limits.max_steps} reached without an accepted plan", state.best_plan)


def _one_summary_per_turn(state: RunState, first_message: int, first_outcome: int) -> None:
    """Several edits in one turn: only the last answer carries the plan summary, the others their one line
    (each summary would repeat the plan, and only the last one is current)."""
    tools = [m for m in state.messages[first_message:] if m.get("role") == "tool"]
    paired = [(m, o) for m, o in zip(tools, state.outcomes[first_outcome:])
              if o.ok and callable(getattr(o.output, "tool_content", None))]
    for message, outcome in paired[:-1]:
        message["content"] = f"{outcome.output.describe()} (the plan summary follows this turn's last edit)"


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
    if ok and call.name == SUBMIT and isinstance(output, ShotPlan):
        from tools.review import judge  # the loop's own check is authoritative, whatever the policy claims

        output, reasons = judge(output, state.brief)
        if reasons:
            ok, error = False, "plan rejected, repair and submit again: " + "; ".join(reasons)
        else:
            accepted = state.best_plan = output
            emit(PlanUpdated(plan=output))
    elif ok and (plan := output if isinstance(output, ShotPlan) else getattr(output, "working_plan", None)):
        if plan is not state.best_plan:
            if _valid(plan):  # only a plan that could be accepted may stand in as the best so far
                state.best_plan = plan
            emit(PlanUpdated(plan=plan))
    state.outcomes.append(Outcome(call=call, ok=ok, output=output if ok else None, error=error))
    if transcript:
        content = json.dumps({"error": error}) if not ok else result.content()
        state.messages.append({"role": "tool", "tool_call_id": call.id, "content": content})
    emit(ToolFinished(name=call.name, ok=ok, summary=result.summary() if ok else f"error: {error}"))
    if accepted is not None:
        for flag in accepted.flags:
            emit(FlagRaised(flag=flag))
    return accepted


def _valid(plan: ShotPlan) -> bool:
    from tools.review import check_consistency

    return not any(f.severity == "error" for f in plan.flags) and not check_consistency(plan)

