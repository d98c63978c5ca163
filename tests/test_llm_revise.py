"""With a model configured, the model decides QC revisions through the `revise_prompt` tool (real litellm, loopback)."""

from __future__ import annotations

import pytest

from agent.config import Config
from agent.iterate import refine
from agent.reviser import ModelReviser
from tests.fakes.llm_server import FakeLLMServer, text_reply, tool_reply
from tests.test_iterate import FakeRenderer, make_plan


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    with FakeLLMServer() as fake:
        yield fake


def reviser(server) -> ModelReviser:
    return ModelReviser(Config(model="openai/reviser", api_base=server.url, retry_base_s=0.01, retry_max_s=0.05))


def test_the_model_revises_only_the_failing_shot(server, tmp_path):
    server.push(tool_reply(("revise_prompt", {"revisions": [
        "focus: razor sharp focus on the brass buckle prong, f/8 macro", "new seed"]})))
    renderer = FakeRenderer(tmp_path, {"s1": ["good"], "s2": ["blurry", "good"], "s3": ["good"]})
    plan = refine(make_plan(), render=renderer, max_rounds=2, revise=reviser(server))
    (request,) = server.completions
    assert request.body["tools"][0]["function"]["name"] == "revise_prompt"
    assert "s2" in request.messages[-1]["content"] and "focus_logic" in request.messages[-1]["content"]
    revised = plan.shot("s2")
    assert revised.prompt.fields.focus == "razor sharp focus on the brass buckle prong, f/8 macro"
    assert "brass buckle prong" in revised.prompt.text
    assert [r.attempt for r in revised.renders] == [1, 2] and revised.renders[-1].qc.passed
    assert [call[0] for call in renderer.calls[1]] == ["s2"]  # only the failing shot went again


def test_a_model_that_proposes_nothing_falls_back_on_the_qc_mapping(server, tmp_path):
    server.push(text_reply("I would try harder next time."))
    renderer = FakeRenderer(tmp_path, {"s1": ["blurry", "good"], "s2": ["good"], "s3": ["good"]})
    plan = refine(make_plan(), render=renderer, max_rounds=2, revise=reviser(server))
    first_report = plan.shot("s1").renders[0].qc
    assert first_report.revisions and plan.shot("s1").prompt != make_plan().shot("s1").prompt
