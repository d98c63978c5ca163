"""The working plan, its small decision tools and the consistency checker (no model, no network)."""

from __future__ import annotations

import json

import pytest

from agent.api import Agent
from agent.config import Config
from evals.cases import default_suite, load_cases
from tools.decisions import Workbench, check_consistency, decision_registry, schema_registry

ALL_MACRO = (
    "Obra Cacao, a single-origin 72% chocolate bar from Tumaco, Colombia. Launch campaign across an "
    "Instagram carousel and a print ad. I want every frame to be macro, no wide or mid frames at all: the "
    "glossy temper on the surface, the clean snap when the bar breaks, the embossed cacao pod on each "
    "square. Eight slides, eight extreme close-ups. Everything sharp, bright, clean."
)


@pytest.fixture
def work(leather_brief) -> Workbench:
    return Workbench.from_brief(leather_brief)


def call(work: Workbench, tool: str, **args):
    return decision_registry(work).call(tool, args)


def first_ecu(plan):
    return plan.ecu_shots()[0]


# --- the offline draft holds together -----------------------------------------------------------


def test_every_suite_brief_plans_offline_into_a_consistent_plan():
    cases = load_cases([default_suite()])
    assert len(cases) >= 20
    for case in cases:
        plan = Agent(Config()).plan(case.brief)
        assert check_consistency(plan) == [], case.id


def test_the_workbench_draft_is_the_offline_plan(leather_brief, work):
    assert work.plan == Agent(Config()).plan(leather_brief)
    assert Workbench.from_brief(leather_brief, max_details=1).plan.ecu_shots().__len__() == 1


def test_all_tool_schemas_together_fit_the_budget():
    schemas = schema_registry().schemas()
    assert len(json.dumps(schemas)) <= 16_000
    assert {"set_detail", "dismiss_flag", "submit_plan"} <= {s["function"]["name"] for s in schemas}
    detail = next(s for s in schemas if s["function"]["name"] == "set_detail")["function"]["parameters"]
    assert {"shot_id", "name", "category", "why"} <= set(detail["required"])


# --- the checker catches what used to be accepted -------------------------------------------------


def test_checker_names_a_renamed_detail_whose_prompt_went_stale(work):
    plan = work.plan.model_copy(deep=True)
    ecu = first_ecu(plan)
    ecu.detail.name = "hand-painted edge on the strap"
    problems = check_consistency(plan)
    assert any(p.startswith(f'{ecu.id}: detail is "hand-painted edge on the strap" but subject_detail says')
               for p in problems)
    assert any("matrix lists details no ECU shows" in p for p in problems)  # the matrix still has the old name


@pytest.mark.parametrize("break_it, expected", [
    (lambda p: p.shots.clear(), "the plan has no shots"),
    (lambda p: setattr(p.shots[1], "id", "s1"), "duplicated: s1"),
    (lambda p: setattr(p.shots[0].prompt, "text", p.shots[0].prompt.text + ", with fireworks"),
     "s1: prompt text does not match its fields"),
    (lambda p: p.shots.remove(p.ecu_shots()[-1]), "matrix lists details no ECU shows"),
])
def test_checker_catches_broken_plans(work, break_it, expected):
    plan = work.plan.model_copy(deep=True)
    break_it(plan)
    assert any(expected in p for p in check_consistency(plan))


def test_checker_wants_ecu_prompts_to_say_extreme_close_up(work):
    plan = work.plan.model_copy(deep=True)
    ecu = first_ecu(plan)
    ecu.prompt.fields.shot_scale = "close-up shot"
    ecu.prompt.text = ecu.prompt.text.replace("Extreme close up shot", "Close-up shot")
    assert any(f'{ecu.id}: an ECU whose prompt says "close-up shot"' in p for p in check_consistency(plan))


# --- the tools: code builds, every answer is the summary ------------------------------------------


def test_set_detail_rebuilds_the_shot_and_the_matrix(work):
    ecu = first_ecu(work.plan)
    old = ecu.detail.name
    result = call(work, "set_detail", shot_id=ecu.id, name="hand-painted edge on the strap",
                  category="craftsmanship", why="shows the finishing by hand")
    assert result.ok, result.error
    shot = work.plan.shot(ecu.id)
    assert "hand-painted edge" in shot.prompt.text and old not in shot.prompt.text
    assert "edge" in shot.prompt.fields.focus
    details = {row.detail for row in work.plan.matrix.varied}
    assert "hand-painted edge on the strap" in details and old not in details
    assert 'detail "hand-painted edge on the strap"' in result.content()  # answered with the updated summary
    assert check_consistency(work.plan) == []


def test_a_too_long_detail_and_an_unknown_shot_are_tool_errors(work):
    long = call(work, "set_detail", shot_id="s2", name=" ".join(["word"] * 12), category="proof", why="x")
    assert not long.ok and "10" in long.error
    missing = call(work, "drop_shot", shot_id="s99")
    assert not missing.ok and "no shot 's99'" in missing.error and "s1" in missing.error


def test_drop_add_and_move_renumber_and_rebuild(work):
    n = len(work.plan.shots)
    assert call(work, "drop_shot", shot_id="s1").ok
    assert [s.id for s in work.plan.shots] == [f"s{i}" for i in range(1, n)]
    added = call(work, "add_shot", scale="wide", position=1)
    assert added.ok and work.plan.shots[0].scale == "wide" and len(work.plan.shots) == n
    ecu_without_detail = call(work, "add_shot", scale="extreme_close_up")
    assert not ecu_without_detail.ok and "name, category and why" in ecu_without_detail.error
    last = work.plan.ecu_shots()[-1].id
    assert call(work, "move_shot", shot_id=last, position=1).ok
    assert work.plan.shots[0].scale == "extreme_close_up" and check_consistency(work.plan) == []


def test_a_prompt_field_edit_renders_the_text_and_must_keep_naming_the_detail(work):
    ecu = first_ecu(work.plan)
    ok = call(work, "set_prompt_field", shot_id=ecu.id, field="background", text="plain charcoal paper sweep")
    assert ok.ok and "plain charcoal paper sweep" in work.plan.shot(ecu.id).prompt.text
    before = work.plan
    stale = call(work, "set_prompt_field", shot_id=ecu.id, field="focus", text="razor sharp focus on the logo")
    assert not stale.ok and "but focus says" in stale.error and work.plan is before  # refused, plan unchanged


def test_settings_persist_and_cap_the_ecus(work):
    assert call(work, "set_settings", aspect_ratio="9:16").ok
    assert work.plan.brief.aspect_ratio == "9:16" and work.plan.matrix.fixed.aspect_ratio == "9:16"
    assert call(work, "set_settings", max_details=1).ok
    assert len(work.plan.ecu_shots()) == 1 and work.plan.brief.aspect_ratio == "9:16"  # the ratio stayed
    medium = next(s for s in work.plan.shots if s.scale == "medium")
    over = call(work, "set_detail", shot_id=medium.id, name="brass rivet", category="craftsmanship", why="x")
    assert not over.ok and "at most 1 ECUs (max_details)" in over.error
    assert not call(work, "set_settings", aspect_ratio="tall").ok


def test_a_misread_vertical_can_be_corrected_and_is_kept_by_a_saved_plan(leather_brief, work):
    before = work.plan.shots[0].prompt.fields.lighting
    assert work.plan.brief.vertical != "food_beverage"
    assert call(work, "set_settings", vertical="food_beverage").ok
    assert work.plan.brief.vertical == "food_beverage" and work.plan.shots[0].prompt.fields.lighting != before
    wrong = call(work, "set_settings", vertical="spaceships")
    assert not wrong.ok and "food_beverage" in wrong.error
    again = Workbench.from_plan(leather_brief, work.plan, work.settings.model_dump())
    assert call(again, "drop_shot", shot_id="s1").ok and again.plan.brief.vertical == "food_beverage"


def test_a_wording_flag_is_dismissed_and_stays_dismissed_across_edits():
    work = Workbench.from_brief(ALL_MACRO)
    assert "overuse" in work.plan.flag_kinds()
    result = call(work, "dismiss_flag", kind="overuse", reason="the client insists and accepts the risk")
    assert result.ok and "overuse" not in work.plan.flag_kinds()
    (dismissed,) = work.plan.dismissed_flags
    assert dismissed.kind == "overuse" and dismissed.reason.startswith("the client") and "ECUs everywhere" in dismissed.message
    assert call(work, "set_prompt_field", shot_id="s1", field="background", text="black slate").ok
    assert "overuse" not in work.plan.flag_kinds() and work.plan.dismissed_flags == [dismissed]
    absent = call(work, "dismiss_flag", kind="soft_focus", reason="x")
    assert not absent.ok and "no soft_focus flag" in absent.error


def test_a_structural_error_cannot_be_dismissed(work):
    for _shot in [s for s in work.plan.shots if s.scale != "extreme_close_up"]:
        assert call(work, "drop_shot", shot_id=next(x.id for x in work.plan.shots if x.scale != "extreme_close_up")).ok
    assert any(f.kind == "overuse" and f.severity == "error" for f in work.plan.flags)  # no orienting frame left
    refused = call(work, "dismiss_flag", kind="overuse", reason="I like it")
    assert not refused.ok and "structural error and cannot be dismissed" in refused.error
    assert any(f.severity == "error" for f in work.plan.flags)


def test_a_saved_plan_keeps_its_hand_set_fields_when_edited_again(leather_brief, work):
    ecu = first_ecu(work.plan)
    call(work, "set_prompt_field", shot_id=ecu.id, field="background", text="plain charcoal paper sweep")
    again = Workbench.from_plan(leather_brief, work.plan, work.settings.model_dump())
    assert again.entries[int(ecu.id[1:]) - 1].overrides == {"background": "plain charcoal paper sweep"}
    assert call(again, "drop_shot", shot_id="s1").ok
    assert any("plain charcoal paper sweep" in s.prompt.text for s in again.plan.ecu_shots())
