from __future__ import annotations

import pytest
from pydantic import ValidationError

from agent.models import FLAG_KINDS, FORMULA_FIELDS, Detail, ShotPlan
from tools.pipeline import DraftPlanArgs, draft_plan


def test_plan_json_has_the_contract_fields(leather_brief):
    data = draft_plan(DraftPlanArgs(brief=leather_brief)).model_dump(mode="json")
    assert set(data) >= {"brief", "shots", "flags", "matrix"}
    assert set(data["brief"]) >= {"product", "audience", "channels", "goals"}
    for shot in data["shots"]:
        assert set(shot) >= {"id", "scale", "purpose", "placement", "detail", "prompt", "camera"}
        assert set(shot["prompt"]) >= {"text", "fields", "negative"}
        assert list(shot["prompt"]["fields"]) == list(FORMULA_FIELDS)
        assert set(shot["camera"]) >= {"lens", "aperture", "lighting"}
    assert set(data["matrix"]["fixed"]) == {"shot_scale", "lighting", "aspect_ratio", "mood", "background"}
    assert set(data["matrix"]["varied"][0]) == {"detail", "material", "colorway", "angle", "theme"}
    assert ShotPlan.model_validate(data) == ShotPlan.model_validate_json(ShotPlan.model_validate(data).model_dump_json())


def test_detail_names_are_short_and_categories_fixed():
    with pytest.raises(ValidationError, match="10"):
        Detail(name="one two three four five six seven eight nine ten eleven", category="proof", why="x")
    with pytest.raises(ValidationError):
        Detail(name="seam", category="quality", why="x")
    assert Detail(name="  saddle stitching  ", category="craftsmanship", why="x").name == "saddle stitching"


def test_flag_vocabulary_is_the_design_vocabulary():
    assert FLAG_KINDS == ("overuse", "over_abstraction", "pushed_performance", "soft_focus", "ambiguous_scale", "decorative")


def test_an_editable_copy_can_be_changed_without_touching_the_plan():
    from agent.api import Agent

    plan = Agent().plan("Our Harlow leather weekender comes in tan and black. Extreme close-ups of the saddle "
                        "stitching and the brass zip pull. Instagram carousel.")
    before = plan.model_dump_json()
    copy = plan.editable()
    copy.shots[0].placement, copy.shots[0].prompt.text = "elsewhere", "changed"
    copy.brief.aspect_ratio = "9:16"
    copy.brief.colorways.append("green")
    copy.questions.append("?")
    copy.matrix.fixed.aspect_ratio = "9:16"
    copy.matrix.varied.reverse()
    assert plan.model_dump_json() == before
