"""The loop with scripted policies: events, repairs, limits."""

from __future__ import annotations

import asyncio
import json

import pytest

from agent.api import Agent
from agent.config import Config, Limits
from agent.errors import LimitExceeded
from agent.events import FlagRaised, PlanUpdated, RunFailed, RunFinished, RunStarted, ToolCalled, ToolFinished
from agent.policy import ToolCall, Turn
from agent.testing import ScriptedPolicy
from tools.pipeline import STEPS, DraftPlanArgs, PlanningContext, draft_plan, run_steps


async def collect(agent, brief):
    return [event async for event in agent.stream(brief)]


def test_offline_run_emits_the_tool_sequence(leather_brief):
    events = asyncio.run(collect(Agent(Config()), leather_brief))
    assert isinstance(events[0], RunStarted) and events[0].policy == "offline"
    called = [e.name for e in events if isinstance(e, ToolCalled)]
    assert called == ["analyze_brief", "pick_details", "plan_rhythm", "build_prompts", "build_matrix",
                      "check_misuse", "assign_deliverables", "choose_sources", "settle_questions", "submit_plan"]
    assert all(e.ok for e in events if isinstance(e, ToolFinished))
    assert isinstance(events[-1], RunFinished) and events[-1].usage.tool_calls == 10
    assert Agent(Config()).plan(leather_brief) == events[-1].plan  # deterministic


def test_the_planning_context_names_a_missing_store_and_forgets_what_rerun_steps_store(leather_brief):
    ctx = PlanningContext(brief=leather_brief)
    with pytest.raises(LookupError, match="'analysis'"):
        ctx.required("analysis")
    assert run_steps(ctx) == draft_plan(DraftPlanArgs(brief=leather_brief)) == ctx.plan
    ctx.clear(STEPS[3:])  # build_prompts on
    assert ctx.sequence is not None and (ctx.prompted, ctx.matrix, ctx.report, ctx.plan) == (None, None, None, None)
    assert run_steps(ctx, start="build_prompts") == ctx.plan


def test_invalid_calls_go_back_to_the_policy_and_the_run_recovers(leather_brief):
    good = draft_plan(DraftPlanArgs(brief=leather_brief))
    fragments = good.model_copy(update={"shots": good.ecu_shots()})  # no orienting frame: an error flag
    policy = ScriptedPolicy([
        Turn(calls=[ToolCall("c1", "submit_plan", '{"brief": ')]),  # malformed JSON
        Turn(calls=[ToolCall("c2", "make_art", "{}")]),  # unknown tool
        Turn(calls=[ToolCall("c3", "submit_plan", json.dumps({"brief": {"product": "x"}, "shots": [{"id": 1}]}))]),
        Turn(calls=[ToolCall("c4", "submit_plan", fragments.model_dump_json())]),
        Turn(calls=[ToolCall("c5", "submit_plan", good.model_dump_json())]),
    ])
    events = asyncio.run(collect(Agent(Config(), policy=policy), leather_brief))
    finished = [e for e in events if isinstance(e, ToolFinished)]
    assert [e.ok for e in finished] == [False, False, False, False, True]
    tool_messages = [m["content"] for m in policy.seen[-1] if m["role"] == "tool"]
    assert "not valid JSON" in tool_messages[0]
    assert "unknown tool 'make_art'" in tool_messages[1]
    assert "shots.0" in tool_messages[2]
    assert "overuse" in tool_messages[3] and "repair" in tool_messages[3]
    assert isinstance(events[-1], RunFinished) and events[-1].plan.shots == good.shots


def test_text_only_turns_get_a_nudge_and_limits_end_the_run_with_the_best_plan(leather_brief):
    draft = ToolCall("c1", "draft_plan", json.dumps({"brief": leather_brief}))
    policy = ScriptedPolicy([Turn(calls=[draft])])
    agent = Agent(Config(limits=Limits(max_steps=3)), policy=policy)
    with pytest.raises(LimitExceeded, match="step limit of 3") as caught:
        asyncio.run(agent.run(leather_brief))
    assert caught.value.plan is not None and caught.value.plan.ecu_shots()
    assert "submit_plan" in policy.seen[-1][-1]["content"]
    events = asyncio.run(collect(Agent(Config(limits=Limits(max_steps=3)), policy=ScriptedPolicy([Turn(calls=[draft])])),
                                 leather_brief))
    assert isinstance(events[-1], RunFailed) and events[-1].plan is not None
    assert any(isinstance(e, PlanUpdated) for e in events)


def test_tool_call_and_time_limits(leather_brief):
    calls = [ToolCall(f"c{i}", "analyze_brief", json.dumps({"brief": "x y z"})) for i in range(5)]
    agent = Agent(Config(limits=Limits(max_tool_calls=3)), policy=ScriptedPolicy([Turn(calls=calls)]))
    with pytest.raises(LimitExceeded, match="tool-call limit of 3"):
        asyncio.run(agent.run(leather_brief))

    class Slow(ScriptedPolicy):
        async def next_turn(self, state):
            await asyncio.sleep(5)

    with pytest.raises(LimitExceeded, match="time limit"):
        asyncio.run(Agent(Config(limits=Limits(timeout_s=0.05)), policy=Slow([])).run(leather_brief))


def test_offline_flags_are_raised_as_events(leather_brief):
    events = asyncio.run(collect(Agent(Config()), leather_brief + " Make every single frame a macro."))
    assert [e.flag.kind for e in events if isinstance(e, FlagRaised)] == ["overuse"]
