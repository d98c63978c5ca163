from __future__ import annotations

import pytest

from agent.models import FORMULA_FIELDS
from tools.pipeline import DraftPlanArgs, draft_plan
from tools.templates import templates

VERTICAL_BRIEFS = {
    "apparel": "The Coast linen shirt for summer. Extreme close-ups of the slub in the linen weave and the shell buttons.",
    "packaging": "Our new gift box for Tidal tea: an extreme close-up of the foil embossing on the lid and the paper seal.",
    "skincare": "Dew serum with hyaluronic acid: an extreme close-up of a serum droplet on the dropper and the gel texture.",
    "education": "Our microscope kit for students: extreme close-ups of the focus knob markings and a stained cell slide.",
    "luxury_goods": "The Orion watch: extreme close-ups of the engraved caseback and the polished bezel.",
    "food_beverage": "Cold brew coffee can: extreme close-ups of a bead of condensation and the roast date stamp.",
    "beauty": "Velour lipstick: extreme close-ups of the lip texture and the sculpted bullet.",
    "tech": "Arc headphones: extreme close-ups of the brushed metal hinge and the mesh on the ear cushion.",
    "instruments": "The Alder OM acoustic guitar: extreme close-ups of the abalone rosette and the bone saddle.",
    "outdoor": "The Cairn four-season tent for alpine camping: extreme close-ups of the taped seams and the pole hub.",
    "sports": "The Vantor padel racket: extreme close-ups of the sand-textured hitting surface and the perforated grip.",
    "baby": "The Sprout anti-colic baby bottle for newborns: extreme close-ups of the vent valve and the soft teat.",
}


def plan_for(text):
    return draft_plan(DraftPlanArgs(brief=text))


@pytest.mark.parametrize("vertical, brief", VERTICAL_BRIEFS.items())
def test_every_vertical_gets_a_complete_oriented_plan(vertical, brief):
    plan = plan_for(brief)
    assert plan.brief.vertical == vertical
    scales = [s.scale for s in plan.shots]
    assert scales[0] in ("wide", "extreme_close_up") and {"wide", "medium"} & set(scales)
    assert all(not (a == b == "extreme_close_up") for a, b in zip(scales, scales[1:])), scales
    ecus = plan.ecu_shots()
    assert 0.2 <= len(ecus) / len(plan.shots) <= 0.6
    head = plan.brief.product.split()[-1].lower()
    for shot in plan.shots:
        assert all(getattr(shot.prompt.fields, f) for f in FORMULA_FIELDS)
        assert shot.prompt.negative
    for shot in ecus:
        words = shot.prompt.text.lower().split()
        assert words[:4] == ["extreme", "close", "up", "shot"]
        assert any(head in w for w in words[:16]), shot.prompt.text
        assert "sharp focus on" in shot.prompt.fields.focus


def test_faces_get_a_long_lens_and_objects_a_macro():
    plan = plan_for("Glow mascara campaign: an extreme close-up of the model's eye and lashes, and one of the "
                    "moulded wand bristles.")
    lenses = {s.detail.name: s.camera.lens for s in plan.ecu_shots()}
    assert any("eye" in name and "long lens" in lens for name, lens in lenses.items())
    assert any("bristle" in name and "macro" in lens for name, lens in lenses.items())


def test_ad_openers_lead_with_the_hook_then_orient():
    plan = plan_for("Paid social ad opener for Fizz soda: extreme close-ups of a droplet running down the can as a "
                    "clue, and the ring pull. Then show the can.")
    assert plan.shots[0].scale == "extreme_close_up" and plan.shots[0].purpose == "hook"
    assert plan.shots[1].scale == "wide"
    assert plan.shots[0].placement == "ad opener (first second)"


def test_a_brief_that_forbids_orienting_frames_gets_them_dropped_and_flagged():
    plan = plan_for("Mellow chocolate bar. Only extreme close-ups, no wide or mid frames at all: the snap, the "
                    "glossy temper and the cocoa nibs.")
    assert {s.scale for s in plan.shots} == {"extreme_close_up"}
    assert "overuse" in plan.flag_kinds()


def test_refusing_the_orienting_frames_alone_is_overuse_and_the_plan_still_submits():
    # no "only ECUs" wording: turning down every frame that shows the product is itself the ask
    plan = plan_for("Cedar soap bar. Skip the product shots; we want the carved lettering, the oat flecks and "
                    "the wax wrap seal.")
    assert {s.scale for s in plan.shots} == {"extreme_close_up"} and "overuse" in plan.flag_kinds()
    kept = plan_for("Cedar soap bar: the carved lettering, the oat flecks and the wax wrap seal.")
    assert "overuse" not in kept.flag_kinds() and any(s.scale == "wide" for s in kept.shots)


def test_matrix_fixes_the_look_and_varies_the_details():
    plan = plan_for("The Loop scarf comes in forest green, navy and rust. Extreme close-ups of the hand-rolled hem "
                    "and the cashmere weave. Instagram carousel.")
    assert plan.matrix.fixed.aspect_ratio == "4:5" and plan.matrix.fixed.shot_scale == "extreme close up shot"
    rows = plan.matrix.varied
    assert {r.colorway for r in rows} == {"forest green", "navy", "rust"}
    assert len({r.detail for r in rows}) == len(plan.ecu_shots())
    assert len({r.angle for r in rows}) > 1


def test_every_vertical_template_is_data():
    assert set(templates()) >= set(VERTICAL_BRIEFS) | {"general"}


def test_video_beats_are_consecutive_and_add_up_to_the_asked_length():
    import re

    from tools.brief import video_length
    from tools.rhythm import placements

    scales = ["wide", "extreme_close_up", "medium", "extreme_close_up", "wide"]
    beats = [tuple(map(float, re.search(r"\(([\d.]+)-([\d.]+)s\)", p).groups())) for p in
             placements("short_video", scales, 15.0)]
    assert beats[0][0] == 0 and beats[-1][1] == 15.0
    assert all(a[1] == b[0] for a, b in zip(beats, beats[1:]))  # no overlap, no gap
    assert video_length("A 15-second vertical video for Reels.") == 15.0
    assert video_length("Dries in 60 seconds, guaranteed. Instagram carousel.") is None


def test_a_short_video_plan_runs_as_long_as_the_brief_asks():
    from agent.api import Agent

    plan = Agent().plan("A 15-second TikTok video for the Harlow leather weekender: extreme close-ups of the saddle "
                        "stitching and the brass zip pull.")
    assert plan.shots[-1].placement.endswith("-15s)")


def _said_once(**fields) -> str:
    """The rendered prompt of an ECU's fields once each fact is said once, lower case."""
    from agent.models import PromptFields
    from tools.prompting import render, said_once

    defaults = {"shot_scale": "extreme close up shot", "intent": "commercial photography"}
    return render(said_once(PromptFields(**(defaults | fields)))).lower()


def test_prompts_say_each_fact_once():
    text = _said_once(
        subject_detail="the metal aglet on the Vela runner",
        material_texture="crisp metal aglet, crisp knit texture", lighting="controlled highlights from a side light",
        focus="razor sharp focus on the metal aglet", background="metallic foil with controlled highlights")
    assert text.count("metal aglet") == 2  # the subject and the focus name it; nothing else repeats it
    assert text.count("controlled highlights") == 1 and "crisp knit texture" in text
    assert ", crisp," not in text


def test_a_phrase_read_across_a_comma_is_not_said_again():
    """"... the logo pressed, ink in paper" already reads "pressed ink": a later "pressed ink" is dropped."""
    text = _said_once(
        subject_detail="the sparrow logo on the Wren seed packet pressed",
        material_texture="ink in cotton paper, pressed ink, deckled edge", lighting="raking side light",
        focus="razor sharp focus on the logo", background="plain paper-toned background").replace(",", "")
    assert text.count("pressed ink") == 1 and "deckled edge" in text


def test_a_phrase_that_would_repeat_a_pair_across_a_comma_loses_its_first_word():
    """"pure texture, true material texture" has said "texture true" once; "true oak grain" after it drops
    "true" rather than say that pair again."""
    text = _said_once(
        subject_detail="the veneer of the Orrel side table turning to pure texture",
        material_texture="true material texture, true oak grain", lighting="soft daylight",
        focus="razor sharp focus on the veneer", background="plain wall").replace(",", "")
    assert text.count("texture true") <= 1 and "oak grain" in text
