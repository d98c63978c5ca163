"""Plan contract version 2 from the offline planner: deliverables per channel, shots that must be real,
open questions, their answers and dismissed flags in follow-ups."""

from __future__ import annotations

import asyncio

import pytest

from agent.api import Agent
from agent.config import Config
from agent.models import BriefSummary, Camera, Detail, Flag, Prompt, PromptFields, Shot, ShotPlan
from agent.session import Session
from tools.brief import AnalyzeBriefArgs, analyze_brief
from tools.pipeline import DraftPlanArgs, draft_plan
from tools.questions import Answers, SettleQuestionsArgs, settle_questions
from tools.sources import ChooseSourcesArgs, choose_sources, named_people

CAROUSEL_AND_STORIES = (
    "Launching the Tidewater merino beanie for winter hikers. We need an Instagram carousel at 4:5 and 9:16 "
    "stories. It comes in slate grey and forest green. Show the tight rib knit and the folded cuff."
)
PHARMACY = (
    "Launch of the CalmDose weekly pill organiser pack for pharmacies. The proof points are the braille on the "
    "carton, the tamper seal on the lid and the printed day markers on each blister. Instagram carousel."
)
APP = (
    "Our Stride running app launches on the App Store. Show the app dashboard on the phone screen, the pace "
    "notification on the watch display, and the runner's shoe sole. Landing page hero."
)
MAKER = (
    "The Okafor tote is hand-stitched by our founder Maria Okafor in her Leeds studio. Show Maria's hands saddle "
    "stitching the strap, the waxed thread and the edge paint. Instagram carousel."
)
HAZE = (
    "Dewdrop face mist for dry skin. We love a dreamy soft focus haze over everything. Close-ups of the "
    "micro-mist droplets on the cheek. Instagram carousel."
)


def plan_of(brief: str) -> ShotPlan:
    return Agent().plan(brief)


def by_deliverable(plan: ShotPlan) -> dict[str, list[Shot]]:
    groups: dict[str, list[Shot]] = {}
    for shot in plan.shots:
        groups.setdefault(shot.deliverable, []).append(shot)
    return groups


def talk(brief: str, *follow_ups: str, home) -> Session:
    session = Session()
    for text in (brief, *follow_ups):
        asyncio.run(session.send(text, Config(home=home)))
    return session


# -- deliverables ------------------------------------------------------------------------------------------


def test_carousel_and_stories_are_one_plan_with_a_ratio_per_shot():
    plan = plan_of(CAROUSEL_AND_STORIES)
    groups = by_deliverable(plan)
    assert set(groups) == {"instagram_carousel", "instagram_story"}
    assert all(s.deliverable and s.aspect_ratio for s in plan.shots)
    assert {s.aspect_ratio for s in groups["instagram_carousel"]} == {"4:5"}
    assert {s.aspect_ratio for s in groups["instagram_story"]} == {"9:16"}
    assert plan.shots[0].deliverable == "instagram_carousel"  # the primary channel keeps the opening frame
    assert [s.placement for s in groups["instagram_carousel"]][:1] == ["carousel slide 1"]
    assert groups["instagram_story"][0].placement.startswith("video beat 1")
    for shot in groups["instagram_story"]:
        assert "for Instagram stories, composed for a 9:16 vertical frame" in shot.prompt.text
        assert "Instagram carousel" not in shot.prompt.text
    for shot in groups["instagram_carousel"]:
        assert "composed for a 4:5 vertical frame" in shot.prompt.fields.intent
    assert plan.brief.aspect_ratio == "4:5"  # the plan's default is its primary deliverable's
    assert plan.matrix.fixed.aspect_ratio == "4:5 instagram_carousel, 9:16 instagram_story"


def test_a_one_channel_plan_keeps_the_planners_placements_and_prompts():
    plan = plan_of("The Harlow Weekender, a full-grain leather bag. Instagram carousel. Extreme close-ups of "
                   "the saddle stitching and the brass buckle.")
    assert {s.deliverable for s in plan.shots} == {"instagram_carousel"}
    assert {s.aspect_ratio for s in plan.shots} == {"4:5"} and plan.matrix.fixed.aspect_ratio == "4:5"
    assert not any("composed for a" in s.prompt.text for s in plan.shots)


def test_make_the_stories_square_changes_only_the_story_shots(ecu_home):
    session = talk(CAROUSEL_AND_STORIES, home=ecu_home)
    before = session.plan
    asyncio.run(session.send("make the stories 1:1", Config(home=ecu_home)))
    after = session.plan
    assert session.messages[-1].text == "Done: instagram_story shots set to 1:1."
    for old, new in zip(before.shots, after.shots):
        assert new.deliverable == old.deliverable
        if new.deliverable == "instagram_story":
            assert new.aspect_ratio == "1:1" and "composed for a 1:1 square frame" in new.prompt.text
        else:
            assert new.model_dump() == old.model_dump()  # the carousel is untouched
    # the choice holds across a later shot edit, and every shot keeps its deliverable
    asyncio.run(session.send("drop shot 2", Config(home=ecu_home)))
    kept = session.plan
    assert [s.deliverable for s in kept.shots] == [s.deliverable for s in after.shots if s.id != "s2"]
    assert {s.aspect_ratio for s in kept.shots if s.deliverable == "instagram_story"} == {"1:1"}
    # a whole-plan ratio is every shot's
    asyncio.run(session.send("make it 9:16", Config(home=ecu_home)))
    assert {s.aspect_ratio for s in session.plan.shots} == {"9:16"}
    assert {s.deliverable for s in session.plan.shots} == {"instagram_carousel", "instagram_story"}


# -- sources -----------------------------------------------------------------------------------------------


def shot_with(detail: str, shot_id: str = "s2") -> Shot:
    fields = PromptFields(subject_detail=detail, shot_scale="extreme close up shot", material_texture="card",
                          lighting="soft", focus="sharp", background="plain", intent="pharmacy pack")
    return Shot(id=shot_id, scale="extreme_close_up", purpose="punctuate", placement="slide",
                detail=Detail(name=detail, category="proof", why="proves it"),
                prompt=Prompt(text=detail, fields=fields), camera=Camera(lens="100mm", aperture="f/8", lighting="soft"))


def test_pharmacy_marks_are_photographed_with_a_reason():
    planned = plan_of(PHARMACY)
    for proof_point in ("braille", "tamper seal", "day markers"):  # the planner reads all three from the brief
        shot = next(s for s in planned.ecu_shots() if proof_point in s.detail.name)
        assert shot.source == "photograph" and "garble" in shot.source_reason
    details = ["braille on the carton", "tamper seal on the lid", "printed day markers on the blister",
               "foil edge of the blister", "matte card texture"]
    plan = ShotPlan(brief=BriefSummary(product="pill organiser pack"),
                    shots=[shot_with(d, f"s{i}") for i, d in enumerate(details, start=1)])
    chosen = choose_sources(ChooseSourcesArgs(analysis=analyze_brief(AnalyzeBriefArgs(brief=PHARMACY)), plan=plan))
    sources = {s.detail.name: (s.source, s.source_reason) for s in chosen.shots}
    for name in details[:3]:
        source, reason = sources[name]
        assert source == "photograph" and ("legible" in reason or "printed" in reason)
    assert "braille" in sources["braille on the carton"][1]
    assert sources["foil edge of the blister"] == ("generate", "")  # a mark that carries no text
    assert sources["matte card texture"] == ("generate", "")


def test_an_apps_interface_is_screen_captured():
    plan = plan_of(APP)
    sources = {s.detail.name: s for s in plan.ecu_shots()}
    interfaces = [s for name, s in sources.items() if "dashboard" in name or "notification" in name]
    assert len(interfaces) == 2
    assert all(s.source == "screen_capture" and "real interface" in s.source_reason for s in interfaces)
    assert all(s.source == "generate" for name, s in sources.items() if "sole" in name)


def test_a_named_maker_is_photographed_and_asked_for_consent(ecu_home):
    plan = plan_of(MAKER)
    hands = next(s for s in plan.ecu_shots() if "hands" in s.detail.name)
    assert hands.source == "photograph" and "Maria Okafor" in hands.source_reason
    assert all(s.source == "generate" for s in plan.shots if s is not hands)
    consent = [q for q in plan.questions if "Maria Okafor" in q]
    assert consent and "agreed to appear" in consent[0] and hands.id in consent[0]

    session = talk(MAKER, "Maria has agreed to appear", home=ecu_home)
    assert not any("Maria Okafor" in q for q in session.plan.questions)
    answered = session.plan.shot(hands.id)
    assert answered.source == "photograph" and "consent confirmed" in answered.source_reason


def test_people_are_named_people_not_brands(leather_brief):
    assert named_people(MAKER, "Okafor tote") == ["Maria Okafor"]
    assert named_people("Made by master tailor Jun Ito in Osaka.") == ["Jun Ito"]
    assert named_people(leather_brief, "Harlow Weekender") == []
    assert not any("agreed" in q for q in plan_of(leather_brief).questions)


# -- questions, answers, dismissals ------------------------------------------------------------------------


def test_two_colourways_and_no_hero_ask_which_is_the_hero(ecu_home):
    plan = plan_of(CAROUSEL_AND_STORIES)
    assert plan.brief.colorways == ["slate grey", "forest green"]
    assert any("hero" in q and "slate grey" in q and "forest green" in q for q in plan.questions)

    told = plan_of(CAROUSEL_AND_STORIES + " Forest green is the hero.")
    assert not any("hero" in q for q in told.questions) and told.brief.colorways[0] == "forest green"

    session = talk(CAROUSEL_AND_STORIES, "the hero colourway is forest green", home=ecu_home)
    assert session.messages[-1].text == "Done: hero colourway set to forest green."
    assert not any("hero" in q for q in session.plan.questions)
    assert session.plan.brief.colorways[0] == "forest green"
    assert session.plan.matrix.varied[0].colorway == "forest green"
    asyncio.run(session.send("drop shot 2", Config(home=ecu_home)))  # the answer holds across edits
    assert not any("hero" in q for q in session.plan.questions)


def test_dismissing_a_flag_in_a_follow_up_keeps_it_dismissed(ecu_home):
    assert "soft_focus" in plan_of(HAZE).flag_kinds()
    session = talk(HAZE, "ignore the soft focus warning: the haze is the brand look, the cap stays sharp",
                   home=ecu_home)
    plan = session.plan
    assert "soft_focus" not in plan.flag_kinds()
    [dismissed] = plan.dismissed_flags
    assert dismissed.kind == "soft_focus" and dismissed.reason == "the haze is the brand look, the cap stays sharp"
    assert "soft focus" in dismissed.message
    asyncio.run(session.send("drop shot 2", Config(home=ecu_home)))
    assert "soft_focus" not in session.plan.flag_kinds() and session.plan.dismissed_flags == [dismissed]


def test_structural_errors_cannot_be_dismissed():
    plan = ShotPlan(brief=BriefSummary(product="bag"), shots=[shot_with("saddle stitching")],
                    flags=[Flag(kind="overuse", severity="error", message="no orienting frame"),
                           Flag(kind="decorative", severity="warning", message="drama only")])
    answers = Answers.model_validate({"dismissed": [{"kind": "overuse", "reason": "we like it"},
                                                    {"kind": "decorative", "reason": "it is the brand"}]})
    settled = settle_questions(SettleQuestionsArgs(analysis=analyze_brief(AnalyzeBriefArgs(brief="A bag.")),
                                                   plan=plan, answers=answers))
    assert settled.flag_kinds() == {"overuse"}
    assert [(d.kind, d.reason, d.message) for d in settled.dismissed_flags] == [
        ("decorative", "it is the brand", "drama only")]


@pytest.mark.parametrize("brief", [CAROUSEL_AND_STORIES, PHARMACY, APP, MAKER, HAZE])
def test_draft_plan_and_the_agent_agree_on_the_v2_fields(brief):
    draft, agent = draft_plan(DraftPlanArgs(brief=brief)), plan_of(brief)
    assert [(s.deliverable, s.aspect_ratio, s.source, s.source_reason) for s in draft.shots] == [
        (s.deliverable, s.aspect_ratio, s.source, s.source_reason) for s in agent.shots]
    assert draft.questions == agent.questions


@pytest.mark.parametrize("detail, source", [
    ("hallmark stamp inside the band", "photograph"),
    ("laser-etched batch number on the bottle", "photograph"),
    ("engraved initials on the clasp", "photograph"),
    ("FSC certification mark on the box", "photograph"),
    ("handwritten thank-you note under the lid", "photograph"),
    ("watermark in the paper", "photograph"),
    ("engraved scrollwork on the blade", "generate"),  # an engraved pattern is a texture, not text
    ("thumbprint in the body butter", "generate"),  # a thumbprint is not print
    ("wax caps on the honey jars", "generate"),
    ("the right note on the keys", "generate"),  # a note may be music: generic words need a qualifier
    ("heart-rate readout on the watch", "screen_capture"),
    ("dashboard of the companion app", "screen_capture"),
])
def test_a_details_source_follows_what_its_words_mean(detail, source):
    from tools.sources import source_of

    assert source_of(shot_with(detail), [])[0] == source


def test_an_apps_own_text_is_a_screen_capture():
    from tools.sources import source_of

    source, reason = source_of(shot_with("streak badge"), [], product="language learning app")
    assert source == "screen_capture" and "real interface" in reason
    assert source_of(shot_with("streak badge"), [], product="leather wallet")[0] == "photograph"


@pytest.mark.parametrize("text", [
    "Hello! I'm Priya, founder of Lumen Botanicals, and we are launching a facial oil.",
    "SHOT 1 | WIDE | Small Tokyo counter, chef wiping the hinoki board.",
    "Harlow Weekender, made in our Leeds workshop for frequent travellers.",
])
def test_companies_places_and_greetings_are_not_people(text):
    assert named_people(text) == []


def test_a_founder_named_before_or_after_the_role_is_a_person():
    assert named_people("From our founder, Luc Tremblay: forty springs tapping the same sugar bush.") == [
        "Luc Tremblay"]
    assert named_people("Ama Mensah (founder) dyes every skein by hand.") == ["Ama Mensah"]


def test_make_the_stories_9_16_when_the_brief_set_everything_4_5(ecu_home):
    brief = ("The Tidewater merino beanie for winter hikers, for an Instagram carousel and Instagram stories. "
             "Shoot everything 4:5. Show the tight rib knit and the folded cuff.")
    session = talk(brief, home=ecu_home)
    assert {s.aspect_ratio for s in session.plan.shots} == {"4:5"}  # a ratio with no channel is the plan's
    before = session.plan
    asyncio.run(session.send("make the stories 9:16", Config(home=ecu_home)))
    assert session.messages[-1].text == "Done: instagram_story shots set to 9:16."
    for old, new in zip(before.shots, session.plan.shots):
        assert new.aspect_ratio == ("9:16" if old.deliverable == "instagram_story" else "4:5")
    assert session.plan.matrix.fixed.aspect_ratio == "4:5 instagram_carousel, 9:16 instagram_story"
    resumed = Session.load(session.id, ecu_home)  # the choice is saved with the session
    assert resumed.settings["ratios"] == {"instagram_story": "9:16"}
