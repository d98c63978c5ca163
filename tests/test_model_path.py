"""The model decides, the code builds: the real litellm client against the loopback fake model.

Each test scripts what the "model" does; the plan comes from the code's working plan.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from agent.api import Agent
from agent.config import Config, Limits
from agent.errors import ConfigError, LimitExceeded, ModelError
from agent.llm_policy import LLMPolicy
from agent.session import Session
from cli.main import main
from tests.fakes.llm_server import FakeLLMServer, Raw, text_reply, tool_reply
from tests.test_llm import BRIEF  # one weekender brief for both model-path suites

KEY = "sk-test"
ALL_MACRO = (
    "Obra Cacao, a single-origin 72% chocolate bar from Tumaco, Colombia. Launch campaign across an "
    "Instagram carousel and a print ad. I want every frame to be macro, no wide or mid frames at all: the "
    "glossy temper on the surface, the clean snap when the bar breaks, the embossed cacao pod on each "
    "square. Eight slides, eight extreme close-ups. Everything sharp, bright, clean."
)
NEW_DETAIL = "hand-painted edge on the strap"


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)


def config_for(server: FakeLLMServer, **overrides) -> Config:
    base = Config(model="openai/x", api_base=server.url, request_timeout_s=5.0, max_retries=2,
                  retry_base_s=0.01, retry_max_s=0.02)
    return replace(base, **overrides)


async def run(config: Config, brief: str = BRIEF, **policy_options):
    events: list = []
    plan = await Agent(config, policy=LLMPolicy(config, stream=False, **policy_options)).run(brief, emit=events.append)
    return plan, events


def accept() -> object:
    return tool_reply(("submit_plan", {}), text="The plan holds up.")


def draft(brief: str = BRIEF):
    """The offline plan, what the working plan starts as (tests/test_decisions.py shows they are equal)."""
    from tools.decisions import Workbench

    return Workbench.from_brief(brief).plan


def tool_errors(request) -> list[str]:
    return [r["content"]["error"] for r in request.last_tool_results()
            if isinstance(r["content"], dict) and "error" in r["content"]]


# --- the happy path is one request, and it carries a summary, not the plan's JSON ----------------


async def test_submit_with_no_arguments_ends_after_one_request_with_the_draft(server):
    server.push(accept())
    plan, _ = await run(config_for(server))

    assert len(server.completions) == 1
    assert plan == draft()
    opening = server.completions[0].messages[1]["content"]
    counts = f"shots ({len(plan.shots)}, {len(plan.ecu_shots())} ECUs)"  # the draft's own counts, in words
    assert "<brief>" in opening and counts in opening and len(plan.ecu_shots()) >= 2
    for ecu in plan.ecu_shots():
        assert f'detail "{ecu.detail.name}" [{ecu.detail.category}]' in opening
    assert ecu.prompt.text not in opening and '"prompt"' not in opening  # no plan JSON, no prompt text
    assert len(json.dumps(server.completions[0].body["tools"])) <= 16_000


async def test_set_detail_then_submit_names_the_new_detail_in_prompt_and_matrix(server):
    old = draft().ecu_shots()[0]
    server.push(tool_reply(("set_detail", {"shot_id": old.id, "name": NEW_DETAIL, "category": "craftsmanship",
                                           "why": "proves the finishing is done by hand"})), accept())
    plan, _ = await run(config_for(server))

    assert len(server.completions) == 2
    shot = plan.shot(old.id)
    assert shot.detail.name == NEW_DETAIL and shot.scale == "extreme_close_up"
    assert NEW_DETAIL.split(" on ")[0] in shot.prompt.text and old.detail.name not in shot.prompt.text
    assert "edge" in shot.prompt.fields.focus and "stitch" not in shot.prompt.fields.focus
    matrix = {row.detail for row in plan.matrix.varied}
    assert NEW_DETAIL in matrix and old.detail.name not in matrix
    answer = server.completions[1].messages[-1]
    assert answer["role"] == "tool" and f'detail "{NEW_DETAIL}"' in answer["content"]  # the updated summary


async def test_dismiss_flag_moves_the_flag_to_dismissed_flags(server):
    assert "overuse" in draft(ALL_MACRO).flag_kinds()
    server.push(tool_reply(("dismiss_flag", {"kind": "overuse", "reason": "a macro-only teaser, by design"})),
                tool_reply(("set_prompt_field", {"shot_id": "s1", "field": "background", "text": "black slate"})),
                accept())
    plan, _ = await run(config_for(server), ALL_MACRO)

    assert "overuse" not in plan.flag_kinds()  # and it stayed out through a later edit and the final check
    (dismissed,) = plan.dismissed_flags
    assert (dismissed.kind, dismissed.reason) == ("overuse", "a macro-only teaser, by design")
    assert "ECUs everywhere" in dismissed.message
    assert "black slate" in plan.shot("s1").prompt.text


async def test_a_stale_full_plan_is_answered_with_the_mismatch(server):
    stale = draft().model_dump(mode="json")
    ecu = next(s for s in stale["shots"] if s["scale"] == "extreme_close_up")
    ecu["detail"]["name"] = NEW_DETAIL  # renamed; its prompt and the matrix still show the old detail
    server.push(tool_reply(("submit_plan", {"plan": stale})), accept())
    plan, events = await run(config_for(server))

    (error,) = tool_errors(server.completions[1])
    assert error.startswith("plan rejected")
    assert f'{ecu["id"]}: detail is "{NEW_DETAIL}" but subject_detail says' in error
    assert "matrix misses ECU details" in error or "matrix lists details no ECU shows" in error
    assert plan == draft()  # the accepted plan is the working plan, never the stale one


async def test_after_a_text_only_reply_the_next_request_requires_a_tool(server):
    server.push(text_reply("Looks good to me!"), accept())
    plan, _ = await run(config_for(server))

    assert [r.body["tool_choice"] for r in server.completions] == ["auto", "required"]
    assert plan == draft()


async def test_a_model_that_only_talks_stops_early_with_the_draft(server):
    server.push(*[text_reply("Still thinking about it.") for _ in range(10)])
    with pytest.raises(LimitExceeded, match="3 times in a row without calling a tool") as caught:
        await run(config_for(server))
    assert len(server.completions) == 3 and caught.value.plan == draft()


async def test_a_limit_after_a_rejected_submission_keeps_the_valid_plan(server):
    all_ecu = draft().model_dump(mode="json")
    for shot in all_ecu["shots"]:
        shot["scale"] = "extreme_close_up"
    server.push(tool_reply(("submit_plan", all_ecu)), tool_reply(("show_shot", {"shot_id": "s1"})))
    with pytest.raises(LimitExceeded, match="step limit of 2") as caught:
        await run(config_for(server, limits=Limits(max_steps=2)))
    assert caught.value.plan == draft()


async def test_malformed_decision_arguments_go_back_as_tool_errors(server):
    server.push(tool_reply(("set_detail", '{"shot_id": "s2", "name": "rivet"')),
                tool_reply(("set_detail", {"shot_id": "s2", "name": "rivet", "category": "glamour", "why": "x"})),
                accept())
    plan, _ = await run(config_for(server))

    assert tool_errors(server.completions[1])[0].startswith("arguments are not valid JSON")
    assert "category" in tool_errors(server.completions[2])[0]
    assert plan == draft()


async def test_max_details_is_honoured_with_a_model(server):
    medium = next(s for s in draft().shots if s.scale == "medium")
    server.push(tool_reply(("set_detail", {"shot_id": medium.id, "name": "brass rivet", "category": "craftsmanship",
                                           "why": "x"})), accept())
    plan, _ = await run(config_for(server), max_details=1)

    assert len(plan.ecu_shots()) == 1
    assert "at most 1 ECUs (max_details)" in tool_errors(server.completions[1])[0]


# --- providers -------------------------------------------------------------------------------


async def test_temperature_only_when_set_and_never_for_reasoning_models(server):
    server.push(accept(), accept(), accept())
    await run(config_for(server))
    await run(config_for(server, temperature=0.2))
    await run(config_for(server, model="openai/o3-mini", temperature=0.2))

    unset, chosen, reasoning = (r.body for r in server.completions)
    assert "temperature" not in unset and chosen["temperature"] == 0.2
    assert reasoning["model"] == "o3-mini" and "temperature" not in reasoning
    assert unset["max_tokens"] == 8192 and reasoning["max_completion_tokens"] == 8192  # explicit either way


async def test_anthropic_gets_prompt_caching_for_system_prompt_and_tools(server, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    config = config_for(server, model="anthropic/claude-3-5-sonnet-20241022", api_base=server.url[:-3])
    with pytest.raises((ConfigError, ModelError)):  # the fake only speaks OpenAI: it answers 404
        await run(config)

    (sent,) = server.requests
    assert sent.path.endswith("/v1/messages")
    assert sent.body["system"][-1]["cache_control"] == {"type": "ephemeral"}
    assert sent.body["tools"][-1]["cache_control"] == {"type": "ephemeral"}
    assert sent.body["max_tokens"] == 8192 and "temperature" not in sent.body


async def test_anthropic_without_a_key_says_which_key_before_any_request(server, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(ConfigError, match="no API key found: set ANTHROPIC_API_KEY"):
        await run(config_for(server, model="anthropic/claude-3-5-sonnet-20241022"))
    assert server.requests == []


@pytest.mark.parametrize("raw, said", [
    (Raw('{"id": "x", "object": "chat.completion", "choices": []}'), "no choices"),
    (Raw("<html>proxy login</html>", 200, "text/html"), "not a chat completion: '<html>proxy login</html>'"),
])
async def test_a_reply_without_a_message_says_what_was_sent_after_one_request(server, raw, said):
    server.push(raw, raw, raw)
    with pytest.raises(ModelError, match=said) as caught:
        await run(config_for(server))
    assert len(server.completions) == 1 and caught.value.plan == draft()


# --- the faces: the best plan is never thrown away -----------------------------------------------


def test_plan_json_prints_the_best_plan_marked_incomplete_when_a_run_stops(server, tmp_path, capsys):
    brief = tmp_path / "brief.txt"
    brief.write_text(BRIEF)
    server.push(*[text_reply("Hmm.") for _ in range(3)])
    code = main(["plan", str(brief), "--json", "--model", "openai/x", "--api-base", server.url])

    out, err = capsys.readouterr()
    assert code == 1
    printed = json.loads(out)
    assert printed["incomplete"] is True and "without calling a tool" in printed["warning"]
    assert len(printed["shots"]) == len(draft().shots)
    assert "warning" in err and "marked incomplete" in err and "Traceback" not in err


def test_an_unreachable_api_base_shows_its_retries_without_verbose(tmp_path, capsys):
    brief = tmp_path / "brief.txt"
    brief.write_text(BRIEF)
    code = main(["plan", str(brief), "--model", "openai/x", "--api-base", "http://127.0.0.1:9/v1", "--retries", "1"])

    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert "ecu: model retry after a connection error" in err and "(attempt 2 of 2)" in err
    assert "still failing after 2 attempts" in err.splitlines()[-1]


def test_timeouts_retries_and_temperature_are_settings(monkeypatch):
    monkeypatch.setenv("ECU_TEMPERATURE", "0.7")
    monkeypatch.setenv("ECU_REQUEST_TIMEOUT", "12")
    monkeypatch.setenv("ECU_MAX_RETRIES", "1")
    config = Config.from_env(max_retries=3)
    assert (config.temperature, config.request_timeout_s, config.max_retries) == (0.7, 12.0, 3)
    monkeypatch.setenv("ECU_TEMPERATURE", "warm")
    with pytest.raises(ConfigError, match="ECU_TEMPERATURE='warm' is not a number"):
        Config.from_env()
    monkeypatch.delenv("ECU_TEMPERATURE")
    with pytest.raises(ConfigError, match="request timeout must be between"):
        Config.from_env(request_timeout_s=0)


# --- sessions keep the plan and its settings; follow-ups see the last turns -----------------------


async def test_a_model_session_keeps_its_edit_settings_across_follow_ups(server, ecu_home):
    config = config_for(server, home=ecu_home)
    server.push(accept(),
                tool_reply(("set_settings", {"aspect_ratio": "9:16"})), accept(),
                tool_reply(("drop_shot", {"shot_id": "s4"})), accept())
    session = Session()
    await session.send(BRIEF, config)
    await session.send("make it 9:16 for stories", config)
    plan = await session.send("drop the other one", config)

    assert plan.brief.aspect_ratio == "9:16"  # the second follow-up did not revert the first
    assert len(plan.shots) == len(draft().shots) - 1
    assert session.settings["aspect_ratio"] == "9:16"
    last = server.completions[-2].messages  # the third turn's first request
    said = [m["content"] for m in last if m["role"] in ("user", "assistant")]
    assert any("make it 9:16 for stories" in text for text in said)  # the earlier turn is there
    assert "aspect: 9:16" in last[-1]["content"]  # the working plan summary is the session's plan
    assert Session.load(session.id, ecu_home).plan == plan


async def test_several_edits_in_one_turn_get_one_summary_and_the_product_name_can_be_fixed(server):
    server.push(tool_reply(("set_settings", {"product": "Aldgate Weekender bag"}),
                           ("set_prompt_field", {"shot_id": "s1", "field": "background", "text": "hotel corridor"})),
                accept())
    plan, _ = await run(config_for(server))

    first, second = server.completions[1].last_tool_results()
    assert first["content"].startswith("product 'Aldgate Weekender bag'") and "shots (" not in first["content"]
    counts = f"shots ({len(plan.shots)}, {len(plan.ecu_shots())} ECUs)"
    assert counts in second["content"]  # the one summary, after the turn's last edit
    assert plan.brief.product == "Aldgate Weekender bag"
    assert all("Aldgate Weekender bag" in s.prompt.text for s in plan.shots if s.scale == "wide")


def test_the_cli_sends_no_temperature_to_o3_mini_even_when_one_is_set(server, tmp_path, capsys):
    brief = tmp_path / "brief.txt"
    brief.write_text(BRIEF)
    server.push(accept(), accept())
    for model in ("openai/o3-mini", "openai/x"):
        code = main(["plan", str(brief), "--json", "--model", model, "--temperature", "0.3", "--api-base", server.url])
        assert code == 0, capsys.readouterr().err
    reasoning, plain = (r.body for r in server.completions)
    assert reasoning["model"] == "o3-mini" and "temperature" not in reasoning
    assert plain["temperature"] == 0.3
