"""Plan-level checks catch a plan that misuses ECUs, whoever wrote it."""

from __future__ import annotations

from tools.flags import CheckMisuseArgs, check_misuse
from tools.pipeline import DraftPlanArgs, draft_plan


def test_a_clean_offline_plan_raises_nothing(leather_brief):
    plan = draft_plan(DraftPlanArgs(brief=leather_brief))
    assert plan.flags == []


def _flags(plan, brief=""):
    return {f.kind: f for f in check_misuse(CheckMisuseArgs(plan=plan, brief=brief)).flags}


def test_all_ecu_plan_is_an_overuse_error_unless_the_brief_insisted(leather_brief):
    plan = draft_plan(DraftPlanArgs(brief=leather_brief))
    fragments = plan.model_copy(update={"shots": plan.ecu_shots()})
    flag = _flags(fragments)["overuse"]
    assert flag.severity == "error" and flag.shots == [s.id for s in fragments.shots]
    insisted = _flags(fragments, "Only extreme close-ups please, no wide shots.")["overuse"]
    assert insisted.severity == "warning"


def test_vague_unnamed_soft_or_pushed_ecus_are_errors(leather_brief):
    plan = draft_plan(DraftPlanArgs(brief=leather_brief))
    shot = plan.ecu_shots()[0]
    shot.detail.name = "texture"
    shot.prompt.text = "Extreme close up shot of texture, soft focus, exaggerated expression"
    shot.prompt.fields.focus = "dreamy"
    flags = _flags(plan)
    for kind in ("over_abstraction", "soft_focus", "pushed_performance"):
        assert flags[kind].severity == "error" and shot.id in flags[kind].shots
    shot.detail.why = ""
    assert _flags(plan)["decorative"].shots == [shot.id]


def test_wording_flags_carry_evidence_and_a_fix(leather_brief):
    plan = draft_plan(DraftPlanArgs(brief=leather_brief + " Make it dreamy, nothing needs to be sharp."))
    (flag,) = plan.flags
    assert flag.kind == "soft_focus" and flag.severity == "warning"
    assert "nothing needs to be sharp" in flag.message and "focus" in flag.fix


def test_a_product_named_like_a_misuse_is_not_one():
    """A setting spray called "Soft Focus" asks for no blur: its name in every ECU prompt must not fail the plan."""
    plan = draft_plan(DraftPlanArgs(brief="Launch of the Soft Focus setting spray for Instagram. Wide of the vanity, "
                                          "mid of her spritzing, then an extreme close-up of the micro-mist droplets "
                                          "on her cheek, razor sharp."))
    assert "Soft Focus" in plan.brief.product
    assert [f.kind for f in plan.flags if f.severity == "error"] == []
    assert all(s.prompt.fields.focus.startswith("razor sharp focus on the micro-mist droplets")
               for s in plan.ecu_shots() if "droplets" in s.detail.name)
