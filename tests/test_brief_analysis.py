from __future__ import annotations

import pytest

from tools.brief import AnalyzeBriefArgs, analyze_brief
from tools.pipeline import DraftPlanArgs, draft_plan


def analyse(text):
    return analyze_brief(AnalyzeBriefArgs(brief=text))


def test_reads_product_channels_goals_and_aspect(leather_brief):
    a = analyse(leather_brief)
    assert a.summary.product.startswith("Harlow Weekender")  # its name, with or without what it is
    assert a.product_head in {"weekender", "bag"}
    assert a.summary.channels == ["instagram_carousel", "landing_page_hero"]
    assert "durability" in a.summary.goals
    assert a.summary.aspect_ratio == "4:5"  # carousel default
    assert a.summary.vertical == "luxury_goods"
    assert "leather" in a.materials


@pytest.mark.parametrize("text, product", [
    ("Introducing the Nimbus 2 wireless earbuds for commuters. Landing page hero.", "Nimbus 2 wireless earbuds"),
    ("Product: Ember Roast single-origin coffee beans, 250g bag. TikTok video.", "Ember Roast single-origin coffee beans"),
    ("We can show anything you like for our spring campaign on Reels.", ""),
])
def test_product_phrases(text, product):
    a = analyse(text)
    assert a.summary.product == (product or "the product")


def test_aspect_ratio_from_words_and_numbers():
    assert analyse("Vertical video for TikTok of our tea tin.").summary.aspect_ratio == "9:16"
    assert analyse("A 16:9 landing page hero for the new kettle.").summary.aspect_ratio == "16:9"
    assert analyse("Square tiles for the product grid of our mugs.").summary.aspect_ratio == "1:1"


def test_colourways_only_where_the_brief_talks_about_them():
    a = analyse("The Loop scarf comes in forest green, navy and rust. Shoot it on a black background.")
    assert a.summary.colorways == ["forest green", "navy", "rust"]


def test_no_product_means_an_assumption_and_an_info_flag():
    plan = draft_plan(DraftPlanArgs(brief="A moody autumn mood piece for Instagram, all warm light and texture, "
                                          "with a few extreme close-ups of steam and crumbs."))
    assert plan.brief.product == "the product"
    assert any("no product is named" in a for a in plan.brief.assumptions)
    info = [f for f in plan.flags if f.severity == "info"]
    assert info and info[0].kind == "over_abstraction"


def test_characters_that_lower_to_two_do_not_break_analysis():
    """'İ'.lower() is two characters; folding keeps offsets, so a GİFT box brief still plans."""
    from tools.text import fold

    brief = "Launching the Heron tea tin as a GİFT. Show the embossed lid in an extreme close-up for Instagram."
    assert len(fold(brief)) == len(brief)
    analysis = analyze_brief(AnalyzeBriefArgs(brief=brief))
    assert analysis.summary.channels == ["instagram_carousel"]
    assert "tin" in analysis.summary.product.lower()


@pytest.mark.parametrize("text, product", [
    ("Merchandising note - Pet Accessories\nProduct: Harwell bridle-leather dog collar, solid brass hardware.\n"
     "One wide frame, then an extreme close-up of the nameplate.", "Harwell bridle-leather dog collar"),
    ("Forge & Loom 14oz selvedge — PDP refresh. 1 wide, 1 mid, then 3 ECUs of the rivets.",
     "Forge & Loom 14oz selvedge"),
    ("Maya: for the Fizzwell kombucha reels can we do a few macros?\nJon: sure.", "Fizzwell kombucha"),
    ("Storyboard: Cane Ridge Single Barrel Bourbon, 15s pre-roll\nShot 1 | WIDE | Rickhouse at dusk.",
     "Cane Ridge Single Barrel Bourbon"),
    ("Notes on cut v2 — Hartley & Rowe bespoke wedding suit film\nThe wide of the cutting room stays.",
     "Hartley & Rowe bespoke wedding suit"),
    ("[10:02] Priya: ok for the Kindred mailer box reveal I want macro\n[10:03] Dan: sure, and a wide?",
     "Kindred mailer box"),
])
def test_products_the_noun_list_does_not_know(text, product):
    assert analyse(text).summary.product == product


def test_props_in_brackets_and_shop_names_are_not_the_product():
    assert analyse("Forge & Loom 14oz selvedge — PDP refresh. Need: 1 wide, 1 mid (cuffed hem, boots), then "
                   "3 ECUs of the rivets.").summary.product == "Forge & Loom 14oz selvedge"
    assert analyse("ok so for the puddle jumper boots spring push, every shot macro. rain drops on the rubber toe."
                   ).summary.product == "puddle jumper boots"


def test_colourways_listed_after_a_cue_keep_their_names():
    from tools.brief import _colorways
    assert _colorways("The runner comes in volt, black/white and ocean blue.") == ["volt", "black/white", "ocean blue"]
    assert _colorways("It comes in a box that keeps the leather safe for years.") == []


def test_colourways_named_in_the_brief_fill_the_matrix():
    from agent.api import Agent
    plan = Agent().plan("The Vela runner comes in volt, black/white and ocean blue. Extreme close-ups of the "
                        "knit upper and the foam midsole. Instagram carousel.")
    assert {row.colorway for row in plan.matrix.varied} == {"volt", "black/white", "ocean blue"}


def test_no_product_and_no_ecu_raises_no_abstraction_risk():
    """Nothing to misread without an ECU: the missing product is an assumption (and a question), not a flag."""
    plan = draft_plan(DraftPlanArgs(brief="Brand refresh for Instagram: warm, human, optimistic. Nothing specific."))
    assert not plan.ecu_shots()
    assert not [f for f in plan.flags if f.kind == "over_abstraction"]
