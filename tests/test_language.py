"""The language layer (WordNet table) and the planner rules that read meaning instead of word lists.

Each rule's example stands beside a negative case, so a rule that matches too much fails here.
"""

from __future__ import annotations

import pytest

from agent.models import MAX_ECUS
from tools.brief import AnalyzeBriefArgs, analyze_brief, sellable
from tools.details import PickDetailsArgs, pick_details
from tools.language import wordnet
from tools.pipeline import DraftPlanArgs, PlanningContext, draft_plan, run_steps
from tools.templates import detect_vertical, templates
from tools.text import without_logistics


def test_table_lookups_find_every_row_and_nothing_else():
    rows = (wordnet.resources.files("tools.language") / "data" / "wordnet.tsv").read_text(encoding="utf-8")
    words = [line.split("\t", 1)[0] for line in rows.splitlines()[::997]]
    assert words and all(wordnet.entry(w) is not None for w in words)
    assert wordnet.entry("qwzxv") is None and wordnet.entry("") is None


@pytest.mark.parametrize("word, pos, base", [("seams", "n", "seam"), ("geese", "n", "goose"), ("knives", "n", "knife"),
                                             ("stitched", "v", "stitch"), ("glazing", "v", "glaze"), ("glass", "n", "glass")])
def test_lemma(word, pos, base):
    assert wordnet.lemma(word, pos) == base


def test_what_nouns_mean():
    assert wordnet.physical("gaskets") and wordnet.physical("burr", senses=2)
    assert not wordnet.physical("durability") and not wordnet.physical("idea")
    assert wordnet.domain("sofa") == "furniture" and wordnet.domain("valves") == "machine"
    assert wordnet.domain("watch") == "timepiece" and wordnet.domain("idea") == ""
    # a measuring instrument is sold though no category owns it; a hormone is a medicine
    assert wordnet.domain("thermometer") == "measuring" and wordnet.domain("insulin") == "medicine"


def test_a_run_on_paste_is_read_in_bounded_pieces_with_no_word_lost():
    from tools.text import SENTENCE_LIMIT, sentences

    run_on = "the seam of the bag " * 1200  # 24,000 characters and no full stop
    pieces = sentences(run_on)
    assert len(pieces) > 1 and all(len(p) <= SENTENCE_LIMIT for p in pieces)
    assert " ".join(pieces).split() == run_on.split()
    assert sentences("The seam. The zip.") == ("The seam.", "The zip.")  # ordinary sentences are untouched


def test_addresses_are_blanked_in_place_and_words_are_left_alone():
    from tools.text import without_logistics

    text = "From: Jo <jo.smith+x@rye-and-ember.co.uk>, see https://shop.example/tin. The seam."
    blanked = without_logistics(text)
    assert len(blanked) == len(text) and "ember" not in blanked and "example" not in blanked
    assert blanked.endswith("The seam.") and without_logistics("a" * 5000) == "a" * 5000


def test_a_closed_compound_wordnet_lacks_is_a_kind_of_its_last_part():
    assert wordnet.compound_head("footswitches") == "switch" and wordnet.compound_head("keycap") == "cap"
    # a word WordNet lists is no compound to split; a first part naming a feeling or an act makes no thing
    assert wordnet.compound_head("bezel") is None and wordnet.compound_head("moodboard") is None
    assert wordnet.compound_head("kickstarter") is None and wordnet.compound_head("x1") is None


def test_sellable_nouns_are_things_not_people_places_or_closed_words():
    assert sellable("sofa") and sellable("valve")
    assert not sellable("a") and not sellable("workshop") and not sellable("customer") and not sellable("tuesday")


@pytest.mark.parametrize("brief, vertical", [
    ("Launching our forged steel gate valve for water utilities. Shoot it on the rustic oak table in the canteen.",
     "industrial"),
    ("Our new three-seat sofa in boucle. Photograph it for the spring catalogue.", "home"),
    ("A fine chronograph watch with a blued hand.", "luxury_goods"),
    # a meter is an instrument, not a length; the word before a pen says a medicine, not stationery
    ("We launch the Vitra 2 glucose meter for patients with diabetes. ECU on the test strip.", "pharma"),
    ("Dosepoint insulin pen: ECU of the dose window clicking to 4 units.", "pharma"),
    ("Inkwell fountain pen: ECU of the nib laying down a line.", "stationery"),
])
def test_vertical_follows_what_the_product_is(brief, vertical):
    analysis = analyze_brief(AnalyzeBriefArgs(brief=brief))
    assert analysis.summary.vertical == vertical


def test_vertical_falls_back_to_the_briefs_words_when_the_product_has_no_domain():
    assert detect_vertical("A charity appeal for the food bank: donate this winter.", "appeal", "appeal") == "nonprofit"
    # an app is software however many phones and screens it is shown on; earbuds with an app stay a device
    app = "Pennywise is an app for saving: open the app, and the app shows your goal on the phone."
    assert detect_vertical(app, "Pennywise", "pennywise") == "software"
    assert detect_vertical("Orbit earbuds with a companion app: the earbuds in the case.", "Orbit earbuds",
                           "earbuds") == "tech"
    # an app store preview is made for an app only, whatever its name's last noun means
    assert detect_vertical("Notebox Notes 2 | Play Store trailer", "Notebox Notes 2", "notes") == "software"
    assert detect_vertical("nothing in particular", "thing", "thing") == "general"


def test_a_modifier_that_says_who_the_product_is_for_decides_its_domain():
    from tools.templates import product_domains
    assert product_domains("Trail dog harness", "harness") == ("pet",)  # a harness alone reads as machinery
    assert product_domains("oak dining table", "table") == ("furniture",)  # oak says what it is made of
    assert product_domains("cairn four-season tent", "tent") == ("sports",)  # a name two words back says nothing


def test_categories_with_no_product_domain_of_their_own_get_their_template_from_the_briefs_words():
    cleaning = "Brisk washing-up liquid cuts grease: the foam lifting grease off a pan, a streak-free plate."
    assert detect_vertical(cleaning, "Brisk washing-up liquid", "liquid") == "cleaning"
    compost = "Peat-free compost for gardeners: the crumbly soil, seedlings rooting in it."
    assert detect_vertical(compost, "Wormhill compost", "compost") == "garden"
    oil = "Cold-pressed olive oil: the golden pour, the pressing date stamped on the tin."
    assert detect_vertical(oil, "Cold-pressed olive oil", "oil") == "food_beverage"


def test_every_template_is_loaded_and_none_asks_for_softness_in_focus_words():
    loaded = templates()
    assert {"software", "industrial", "pharma", "home", "automotive", "toys", "jewellery", "hospitality",
            "nonprofit", "stationery", "instruments", "outdoor", "sports", "pet", "baby", "cleaning",
            "garden"} <= set(loaded)
    for t in loaded.values():
        assert "out of focus" not in t.background and "blur" not in t.background


def test_vertical_keywords_count_as_whole_words_and_plurals_only():
    from tools.templates import keyword_counts

    assert keyword_counts("two ice creams, then one more ice cream")["food_beverage"] == 2  # the phrase, not "ice"
    assert keyword_counts("three bottles of cold brew")["food_beverage"] == 2  # "bottles" and "brew"
    assert "food_beverage" not in keyword_counts("a steady teapot")  # "tea" inside another word: no
    assert "food_beverage" not in keyword_counts("can we get the hinge? you can see it")  # a modal, no food
    # words every brief uses about the shoot name no category: a clean background, the creative lead, a pitch
    assert keyword_counts("a clean background; the creative lead will pitch it to the owners") == {}
    assert keyword_counts("") == {}


def test_the_compiled_templates_match_their_yaml_sources():
    from tools.templates import read_compiled, read_sources

    assert read_compiled() == read_sources(), "a template YAML changed: run `python -m tools.templates`"


def test_logistics_sections_are_blanked_but_selling_lines_stay():
    brief = ("The hero is the hand-turned brass knob.\n"
             "Mandatories: full pack front, legal line\n"
             "Deliverables:\n- stand graphics\n- 6 x 4:5 posts\n\n"
             "Key details:\n- the knurled grip\n")
    out = without_logistics(brief)
    assert len(out) == len(brief)
    assert "brass knob" in out and "knurled grip" in out
    assert "pack front" not in out and "stand graphics" not in out and "4:5 posts" not in out


def _chosen(brief: str) -> list[str]:
    ctx = PlanningContext(brief=brief)
    run_steps(ctx)
    return [d.name for d in ctx.picks.chosen]


def test_a_noun_the_lexicon_does_not_know_is_a_detail_where_the_brief_says_it_sells():
    names = _chosen("Our new burr grinder. The hero is the conical steel burr, which people always comment on.")
    assert any("burr" in n for n in names)


def test_a_noun_shaped_by_its_modifier_is_a_part_even_where_its_usual_sense_is_not():
    """"Binding" is first a quality and "corner" a place in WordNet; "thread-sewn" and "rounded" say they are
    made parts here. A bare corner of the room, said with the same cue, stays no detail."""
    assert any("thread-sewn binding" in n for n in _chosen("Linen journal. Its hero: that thread-sewn binding."))
    assert any("rounded corners" in n for n in _chosen("Beech blocks. What parents love is the rounded corners."))
    assert not any("corner" in n for n in _chosen("Beech blocks. What parents love is the corner of the room."))


def test_a_closed_compound_part_is_a_detail_where_the_brief_says_it_sells():
    names = _chosen("Fuzz pedal. The star of it is the chrome footswitch, everyone comments on it.")
    assert any("footswitch" in n for n in names)
    assert not any("moodboard" in n for n in _chosen("Fuzz pedal. The star of it is the moodboard we sent."))


def test_what_someone_notices_loves_or_praises_sells_whatever_the_verb():
    """A person noun and a verb of seeing, feeling or talking make a selling cue WordNet types, not a word list:
    the thing after the verb sells; a logistics "said" or a thing named far from the reaction does not."""
    assert any("gasket" in n for n in _chosen("Steel flask. Plumbers swear by the silicone gasket."))
    assert any("gasket" in n for n in _chosen("Steel flask. Hikers keep praising the silicone gasket."))
    assert not any("gasket" in n for n in _chosen("Steel flask. Sam said the silicone gasket ships Tuesday."))


def test_a_list_of_feelings_is_a_mood_not_a_shot_list():
    """Bare words with no physical sense ("warmth, momentum, belonging") set the mood; a list of parts, or of
    coinages WordNet does not know ("twist-lock"), is read item by item."""
    assert _chosen("Orla tea tin. Listed details: warmth, momentum, belonging.") == []
    assert any("hinge" in n for n in _chosen("Orla tea tin. What we want to capture: the hinge, the lid seam."))
    assert any("twist-lock" in n for n in _chosen("Orla tea tin. ECUs: twist-lock, micro-grooves."))


def test_the_main_thing_the_brief_names_is_a_selling_point():
    assert any("gasket" in n for n in _chosen("Steel flask. The main thing is the silicone gasket in the lid."))
    assert not any("gasket" in n for n in _chosen("Steel flask. It has a silicone gasket in the lid."))


def test_a_physical_noun_said_in_passing_is_not_a_detail():
    names = _chosen("Our new burr grinder. It sits on the counter next to the kettle.")
    assert not any("kettle" in n or "counter" in n for n in names)


def test_no_stock_details_when_the_brief_names_none_and_the_plan_asks():
    ctx = PlanningContext(brief="Meet Halcyon, our new brand of everyday calm. We want people to feel it. Instagram launch.")
    plan = run_steps(ctx)
    assert len(plan.ecu_shots()) < 2
    assert plan.questions and "detail" in plan.questions[0]
    assert not any("maker's mark" in (s.detail.name if s.detail else "") for s in plan.shots)


def test_a_brief_with_selling_details_asks_nothing_and_keeps_evidence():
    ctx = PlanningContext(brief="Extreme close-ups of the saddle stitching on the handle and the engraved brass zip "
                                "pull of our leather weekender bag.")
    plan = run_steps(ctx)
    assert not plan.questions
    details = [s.detail for s in plan.ecu_shots()]
    assert details and all(d.evidence and d.evidence in ctx.brief for d in details)


def test_body_part_nouns_carry_emotion_only_with_a_person_in_the_sentence():
    analysis = analyze_brief(AnalyzeBriefArgs(
        brief="Our new glass carafe. The hero detail is the hand-blown neck, people always comment on it."))
    picks = pick_details(PickDetailsArgs(analysis=analysis))
    neck = [d for d in picks.chosen if "neck" in d.name]
    assert neck and neck[0].category != "emotion"


def test_a_chat_handle_in_lower_case_opens_a_new_sentence():
    from tools.text import sentences
    chat = "brief for the Vantor racquet\nmira: hero stuff: the string bed\ntom: and the grip\nmira: ok"
    assert sentences(chat) == ("brief for the Vantor racquet", "hero stuff: the string bed", "and the grip", "ok")
    note = "oven cleaner shoot - Brite foam\nneed: the foam sticking to the oven door"
    assert "need: the foam sticking to the oven door" in " ".join(sentences(note))  # "need:" is no one's handle


def test_a_logistics_line_wrapped_onto_the_next_line_is_blanked_with_it():
    from tools.text import without_logistics
    text = ("Legal mandatories: the whole carton in each asset;\nno promises past the licence; batch code shown.\n"
            "The sachet is printed with a dosing grid.")
    kept = without_logistics(text)
    assert "batch code" not in kept and "sachet is printed" in kept
    assert len(kept) == len(text)


def test_shot_lines_under_a_logistics_heading_stay():
    brief = "Deliverable sequence:\n- Proof frames (extreme close-up): the tamper-evident seal band\n- 4 x stills\n"
    out = without_logistics(brief)
    assert "tamper-evident seal band" in out and "4 x stills" not in out


def test_a_mandatory_that_asks_for_a_shot_stays_and_the_rest_are_blanked():
    inline = "Mandatories: full pack front in the last 2 s, Fairtrade seal legible.\nBudget: 2k."
    out = without_logistics(inline)
    assert "Fairtrade seal legible" in out and "pack front" not in out and len(out) == len(inline)
    section = ("Mandatories\n- Recycling logo on the base\n- Show the pull tab being torn in one go, the hero moment\n"
               "- The peel strip\n\nDeliverables\n- Show reel cutdowns\n")
    out = without_logistics(section)
    assert "Show the pull tab" in out
    assert "Recycling logo" not in out and "peel strip" not in out  # asked for nothing: a plain mandatory
    assert "reel cutdowns" not in out  # "Show reel" names a deliverable, no request to show a thing


def test_a_mandatory_that_says_why_its_part_sells_or_must_be_legible_stays_for_the_detail_reader():
    """Under a legal heading, "the weld on the flange: customers photograph it" is still a selling point, when
    the planner's own test of selling words (`sells`) says so; any code or label that must be legible is a proof
    shot. "Full unit in context" asks for nothing in close-up and stays blanked."""
    section = ("MANDATORIES\n- Full unit in context on the rig\n- The TIG weld on the flange: customers photograph "
               "the beads\n- Batch code on the base must be readable\n")
    def sells(line: str) -> bool:
        return "photograph" in line

    out = without_logistics(section, sells=sells)
    assert "TIG weld" in out and "Batch code" in out and "Full unit" not in out and len(out) == len(section)
    assert "TIG weld" not in without_logistics(section)  # no test of selling words: a plain mandatory


def test_an_enumeration_needs_its_second_marker():
    from tools.details import _enumeration_start
    assert _enumeration_start("ECUs: 1) the seam 2) the zip") == 5
    assert _enumeration_start("ECUs: (a) the seam (b) the zip") == 5
    assert _enumeration_start("1) " * 500) is None  # every first marker, no second one: one pass, not one per marker


def test_evidence_of_a_long_sentence_is_the_window_around_the_detail():
    from tools.details import EVIDENCE_CHARS, evidence
    sentence = "filler " * 400 + "the hand-stitched seam along the handle " + "filler " * 400
    quote = evidence(sentence, sentence.index("hand-stitched"))
    assert "hand-stitched seam" in quote and len(quote) <= EVIDENCE_CHARS + 4
    assert evidence("  The seam,\n stitched by hand. ") == "The seam, stitched by hand."


def test_a_polysemous_head_takes_the_domain_its_modifiers_share():
    from tools.templates import product_domains
    assert "plant" in product_domains("Obra cacao bar", "bar")  # a counter or something of cacao: the brief decides
    assert product_domains("Obra chocolate bar", "bar") == ("food",)
    assert product_domains("walnut sofa", "sofa") == ("furniture",)
    assert detect_vertical("Obra cacao bar, single-origin dark chocolate, 70% cocoa.", "Obra cacao bar",
                           "bar") == "food_beverage"


def test_a_leading_verb_is_not_part_of_the_product():
    from tools.brief import _tidy_product
    assert _tidy_product("bake slow-fermented sourdough") == "slow-fermented sourdough"
    assert _tidy_product("sleep mask") == "sleep mask"


def test_a_long_detail_name_puts_the_product_first():
    from tools.prompting import subject_detail
    short = subject_detail("zip pull", "Aldgate Weekender", "weekender", "mechanism")
    assert short == "the zip pull on the Aldgate Weekender"
    long = subject_detail("flour dusting on the baker's knuckles at dawn", "Hearth sourdough loaf", "loaf", "texture")
    assert long.startswith("the Hearth sourdough loaf,")


def test_a_headed_list_is_read_as_the_shot_list():
    from tools.text import fold_headed_lists
    text = "Product: Orla mug\nWhat to show:\n1. the speckled glaze\n2. the thumb rest on the\n   handle\n\nThanks"
    assert "Listed details: the speckled glaze; the thumb rest on the handle." in fold_headed_lists(text)
    plain = "Notes:\n- call Sam on Monday\n- the speckled glaze"
    assert fold_headed_lists(plain) == plain  # a heading that does not introduce shots leaves its list alone


def test_only_the_sentence_ending_in_the_colon_leads_into_a_list():
    from tools.text import fold_headed_lists
    text = ("Pictures for the Tor field boot, third run. What sells it:\n - the brass eyelets\n - the cork footbed\n"
            " - and one pair worn for a winter: the creases. That says it all.")
    assert "\n\nListed details: the brass eyelets; the cork footbed; and one pair" in fold_headed_lists(text)
    long = ("Here is the feedback from the whole team after the second round of pictures came back to us today:\n"
            " - The eyelets look dull. Relight them.\n - The footbed is out of focus. Reshoot it.")
    assert fold_headed_lists(long) == long  # a long lead-in heads sentences, read as the sentences they are
    wrapped = "about nine shots in all, mostly tight. Things she likes:\n- the hinge pins\n- the side guides"
    assert "Listed details: the hinge pins; the side guides." in fold_headed_lists(wrapped)  # "about" frames nothing
    says_what = ("As we said on the call, here is what matters for the Tor table in oak, 2 m long:\n"
                 "- the walnut keys across the split in the top, which we leave open on purpose, as we always do\n"
                 "- the through-tenons")
    assert "Listed details: the walnut keys" in fold_headed_lists(says_what)  # it says it lists what matters


def test_any_heading_that_is_not_about_tone_or_aims_introduces_a_list_of_things_to_show():
    from tools.text import fold_headed_lists
    why = "Why cooks switch:\n- the pre-seasoned cooking surface\n- the helper handle with its hanging loop"
    assert "Listed details: the pre-seasoned cooking surface; the helper handle" in fold_headed_lists(why)
    numbered = "2.1 What reviewers notice:\n- the riveted handle\n- the pour spouts"
    assert "Listed details: the riveted handle; the pour spouts." in fold_headed_lists(numbered)
    tone = "Tone of voice:\n- warm\n- confident, never smug"
    aims = "Objectives:\n- grow trial\n- win the cookware aisle"
    assert fold_headed_lists(tone) == tone and fold_headed_lists(aims) == aims


def test_a_second_noun_finishes_a_compound_part():
    names = _chosen("Product: Vita jar\nWhat to show:\n1. the speckled glaze\n2. the tamper seal band on the lid\n")
    assert any("seal band" in n for n in names)
    from tools.details import _compound_part
    from tools.text import tokenize
    assert not _compound_part(tokenize("pressing")[0]) and not _compound_part(tokenize("the")[0])


def test_how_a_detail_is_made_names_it():
    from tools.details import made_how
    from tools.text import tokenize
    tokens = tokenize("the edges are burnished by hand")
    assert made_how(tokens, 2) == "hand-burnished"
    assert made_how(tokenize("the edges are burnished, then waxed by hand"), 2) == "burnished"
    assert made_how(tokenize("the edges are sharp"), 2) == ""
    assert made_how(tokenize("the seams are sewn with linen"), 2) == "sewn"  # an irregular participle
    assert made_how(tokenize("the dial is hand-turned guilloché"), 2) == ""  # the guilloché is hand-turned
    names = _chosen("Launching the Fenwick card wallet. The edges are burnished by hand.")
    assert any("burnished edges" in n for n in names) and not any(n == "hand" for n in names)


def test_an_acronym_on_a_mark_leans_to_proof_and_an_ornament_does_not():
    from tools.jobs import choose_job
    assert choose_job(None, "", "packaging", near="the FSC logo on the side", head="logo", acronym=True) == "proof"
    assert choose_job(None, "", "packaging", near="the embossed logo on the lid", head="logo") != "proof"


def test_props_and_the_senders_desk_are_not_the_product_or_its_details():
    from tools.brief import find_product
    product, _ = find_product("Hi all, from the Millbrook marketing desk. We've redesigned our heirloom seed packets.")
    assert "desk" not in product
    names = _chosen("Our Meridian fountain pen. The hero is the engraved nib, shot on a writing desk by the window.")
    assert not any("desk" in n for n in names)


def test_a_sentence_that_names_the_proof_points_lists_them():
    names = _chosen("Our Vita jar. The proof points are the tamper seal, the batch code and the embossed lid.")
    assert sum(any(w in n for n in names) for w in ("seal", "batch code", "lid")) == 3
    prose = _chosen("Our Vita jar. The point is to sell more jars this winter, with the lid.")
    assert not any("point" in n for n in prose)


@pytest.mark.parametrize("word, made", [("hand-stitched", "hand stitching"), ("knurled", "knurling"),
                                        ("woven", "weaving"), ("hand-forged", "hand forging")])
def test_a_craft_participle_names_the_making(word, made):
    from tools.details import craft_gerund
    assert craft_gerund(word)[0] == made


@pytest.mark.parametrize("word", ["designed", "launched", "forged", "based", "sourced", "woven-ish"])
def test_participles_that_show_no_making_are_not_details(word):
    from tools.details import craft_gerund
    assert craft_gerund(word) is None


def test_irregular_forms_keep_their_own_part_of_speech():
    assert wordnet.lemma("woven", "v") == "weave" and wordnet.entry("woven").pos == "a"
    assert wordnet.lemma("geese") == "goose"


def test_making_said_in_prose_becomes_an_ecu():
    names = _chosen("Hi team, launching the Fenwick card wallet. It's hand-stitched with waxed linen thread.")
    assert any("stitching" in n and "thread" in n for n in names)


def test_touching_is_not_making():
    from tools.details import craft_gerund
    assert craft_gerund("loaded") is None and craft_gerund("pulled") is None
    assert craft_gerund("glazed") == ("glazing", "glaze")


def test_a_hyphenated_part_is_a_kind_of_its_last_word():
    from tools.details import _lookup, _meaning_term
    from tools.text import tokenize
    assert _lookup(tokenize("pull-tab")[0]) is not None and _meaning_term(tokenize("ring-binder")[0]) is not None
    assert _meaning_term(tokenize("well-known")[0]) is None and _lookup(tokenize("hand-stitched")[0]) is None


def test_only_people_places_and_times_never_head_a_detail():
    from tools.details import _usable
    assert not _usable(["grandson"], "grandson", {"pasta"}) and not _usable(["the", "rough"], "rough", {"pasta"})
    assert _usable(["claw", "setting"], "setting", {"earrings"})  # a setting is also where a stone sits


def test_a_launched_detail_word_can_be_the_product_and_a_compound_is_not_a_verb():
    from tools.brief import find_product
    assert find_product("Launching the Loma lumbar support cushion for office chairs.")[1] == "cushion"
    assert find_product("Launching the Loma lumbar support cushion for office chairs.")[0].startswith("Loma")
    assert find_product("Product: Vita jar\nThe wide of the cutting room stays.")[1] == "jar"


def test_a_compound_wordnet_knows_is_the_product_and_a_noun_before_a_part_only_modifies_it():
    from tools.brief import find_product
    assert find_product("Walnut chopping board, 3 images: the end grain, the juice groove and the oil finish.")[1] \
        == "board"  # "chopping board" is one made thing; "juice" names what the groove is for
    assert find_product("A cold-pressed apple juice in a glass bottle.")[1] in {"juice", "bottle"}
    assert find_product("Our new tote bag holds a laptop.")[1] == "bag"  # "holds" is the verb, not a part


def test_a_durable_appliance_is_electrical_goods_and_a_kitchen_appliance_stays_home():
    assert wordnet.domain("hair dryer") == "electronics"
    assert detect_vertical("Launching our hair dryer with a ceramic grille.", "hair dryer", "dryer") == "tech"
    assert wordnet.domain("toaster") == "furniture"  # a home appliance: the home vertical


def test_storyboard_rows_are_a_shot_list_and_a_film_of_their_length():
    from tools.brief import video_length
    from tools.text import fold_headed_lists
    board = ("Ridgeline flask\n0:00-0:04 Wide: a climber on the ledge\n0:04-0:07 the knurled cap turning under a thumb\n"
             "0:07-0:10 frost on the brushed steel wall\n0:10-0:12 End card")
    folded = fold_headed_lists(board)
    assert "Listed details: the knurled cap turning under a thumb; frost on the brushed steel wall; End card." in folded
    assert "0:00-0:04 Wide: a climber on the ledge" in folded  # a row naming its own scale stays a shot line
    assert video_length(board) == 12.0 and video_length("Ages 3-6, ships 2-4 days") is None
    assert draft_plan(DraftPlanArgs(brief=board)).brief.channels[0] == "short_video"
    one_row = "Ridgeline flask\n0:04-0:07 the knurled cap"
    assert fold_headed_lists(one_row) == one_row  # one timed line is no storyboard


def test_what_buyers_do_with_a_part_and_a_sentence_pointing_back_say_it_sells():
    def ecus(brief):
        return [s.detail.name for s in draft_plan(DraftPlanArgs(brief=brief)).ecu_shots()]

    assert any("collar" in n for n in ecus("Fjell grinder. The stepless grind collar is what home baristas fiddle "
                                           "with first."))
    assert ecus("Fjell grinder. The stepless grind collar sits on top.") == []  # named in passing only
    assert any("wheels" in n for n in ecus("Drift skateboard. The urethane wheels roll in silence. That silence is "
                                           "why riders switch."))
    assert ecus("Drift skateboard. The urethane wheels roll in silence. That was last summer.") == []


def test_every_detail_the_brief_gives_a_reason_for_gets_an_ecu_up_to_five():
    plan = draft_plan(DraftPlanArgs(brief="Halden kettle: the gooseneck spout, the walnut handle, the temperature "
                                          "dial and the matte enamel body. Each gets an extreme close-up."))
    assert len(plan.ecu_shots()) == 4 and not plan.questions


def test_a_frame_count_for_the_one_stills_channel_is_the_plans_length():
    four = draft_plan(DraftPlanArgs(brief="Halden kettle, a four-slide Instagram carousel: the gooseneck spout, the "
                                          "walnut handle and the temperature dial, each in extreme close-up."))
    assert len(four.shots) == 4 and len(four.ecu_shots()) == 2  # wide, ECU, medium, ECU: ECUs punctuate
    both = draft_plan(DraftPlanArgs(brief="Halden kettle: a 20-second film and a four-image set. The gooseneck "
                                          "spout, the walnut handle and the temperature dial, each in extreme close-up."))
    assert len(both.ecu_shots()) == 3  # beside a film, four images are that deliverable's slots, not the plan


def test_three_frames_carry_one_ecu_and_ask_about_the_detail_left_out():
    brief = ("Quillmoor card wallet, {n} images for the shop page. Show the saddle stitching along the edge and the "
             "brass rivet at the corner.")
    three = draft_plan(DraftPlanArgs(brief=brief.format(n="three")))
    assert [s.scale for s in three.shots] == ["wide", "extreme_close_up", "medium"]  # two of three would be overuse
    assert any("rivet" in q and "left out" in q for q in three.questions)
    five = draft_plan(DraftPlanArgs(brief=brief.format(n="five")))
    assert len(five.ecu_shots()) == 2 and not any("left out" in q for q in five.questions)  # room for both


def test_a_hyphenated_modifier_leads_to_the_thing_it_describes():
    plan = draft_plan(DraftPlanArgs(brief="The Ward satchel: full-grain vegetable-tanned leather is the hero, "
                                          "and extreme close-ups of the brass buckle."))
    assert any("leather" in s.detail.name for s in plan.ecu_shots())
    assert not any(s.detail.name.startswith("full-grain on") for s in plan.ecu_shots())


def test_a_chat_label_is_dropped_but_a_row_label_naming_a_part_stays():
    from tools.text import sentences

    chat = "Priya: can we get the lid?\nSam: sure\nPriya: and the hinge"
    assert sentences(chat) == ("can we get the lid?", "sure", "and the hinge")  # a transcript's speakers go
    assert sentences("[10:42] Producer: the lid please") == ("the lid please",)  # a role is a speaker too
    rows = "Hinge: solid brass, hand-finished.\nMacro: the cork footbed"
    assert sentences(rows) == ("Hinge: solid brass, hand-finished.", "Macro: the cork footbed")  # what a row is about
    # a spec table with one label WordNet does not know ("Lume") is still a table, not a chat
    table = "Case: 42 mm steel\nLume: Super-LumiNova\nStrap: rubber"
    assert sentences(table) == ("Case: 42 mm steel", "Lume: Super-LumiNova", "Strap: rubber")
    assert sentences("Priya: can we get the lid?\nCase: 42 mm steel") == ("can we get the lid?", "42 mm steel")


def test_the_product_is_read_past_an_emails_envelope():
    """A greeting's name, header lines and small talk are not the product; a ruled line before pasted copy goes."""
    from tools.brief import find_product

    email = ("From: Dana Reyes\nSent: Monday\n\nHi Rui,\n\nHappy Friday!\n\n"
             "We are launching the Halden oak desk lamp next month.")
    assert find_product(email)[0] == "Halden oak desk lamp"
    assert find_product("Hi Rui, the Halden oak desk lamp needs a shoot.")[0] == "Halden oak desk lamp"
    pasted = "Page copy below.\n------------\nHalden Oak Desk Lamp (2 kg)\nTurned from solid oak."
    assert "lamp" in find_product(pasted)[0].lower()
    assert find_product("Rui desk lamp: turned from solid oak.")[0] == "Rui desk lamp"  # a name that is no greeting


@pytest.mark.parametrize("brief, product", [
    ("Marlow & Sons – Tern 3 folding trestle table – shot list\nOak, pinned joints.", "Tern 3 folding trestle table"),
    ("cosy brief – Pennick merino throw – posts\nA soft drape.", "Pennick merino throw"),
    ("Kestrel 75 – launch film\nSC1 wide: desk at night.", "Kestrel 75"),
    # past headers, memo labels and deliverables, keeping its own name
    ("From: Dana Reyes\nTo: Sam Cole\nSubject: Halden oak desk lamp shoot\n\nHi Sam,\nECUs of the turned oak stem.",
     "Halden oak desk lamp"),  # the subject line titles the brief, wherever the header puts it
    ("[Memo - Priya, 1:02]\nwe need new shots of the Halden camera bag, esp the buckle", "Halden camera bag"),
    ("Emberly soy candle carousel: 6 slides. Show the cotton wick.", "Emberly soy candle"),  # a deliverable after it
    ("Product: Ledger No.5 notebook\nShow the thread binding.", "Ledger No.5 notebook"),
    ("Budgeting app Tally helps you stop overspending. Show the spend alert.", "Tally Budgeting app"),
    # a pack size, a deliverable word or a rating is no part of the name
    ("Halden Organic Oat Milk 1L – launch stills\nShow the pour.", "Halden Organic Oat Milk"),  # size, deliverable
    ("Halden Mineral sunscreen SPF 50, 50ml. ECU of the texture.", "Halden Mineral sunscreen"),  # a rating
    ("HALDEN DINING CHAIR in solid oak. Show the joints.", "HALDEN DINING CHAIR"),  # a name in capitals
    # a greeting before a dash names no one; a pasted page's name line names the product
    ("Hi both — pasting the PDP copy below.\n\nRidgeback 35L Daypack\n£129\n\nMaterial: recycled nylon.",
     "Ridgeback 35L Daypack"),  # a greeting before a dash, then a pasted page's name line
    ("Hey team - the Halden kettle needs macro of the spout.", "Halden kettle"),
    # the maker's segment names the firm, a deliverable's segment names what is delivered
    ("Rook & Wren - No.7 Block Plane - shot list, 20s\n1. Wide: the bench.", "No.7 Block Plane"),
    ("Tarrow Knit Co. - Fellside wool cardigan, SS\n- spun in Devon", "Fellside wool cardigan"),
    ("Pellow Milk 40% with Honey - 6s YouTube bumper + 3 cutdowns\n00:00 pour", "Pellow Milk 40% with Honey"),
    # pasted copy: its lead-in names where it came from, a "Model:" line or a plain sentence names the product
    ("Pasted from the maker's catalogue:\nModel: Ostrander Field 40\nCase: steel", "Ostrander Field 40"),
    ("Copied from the wholesaler page (Brant Supply), item #22:\nBrant DX-9 Digital Hygrometer\nRange: 5-95%",
     "Brant DX-9 Digital Hygrometer"),
    ("Call notes - Fenn x Studio Ten, Tue\nJo: so the new product is the Fenn Oat Crunch Bites. Baked, not fried.",
     "Fenn Oat Crunch Bites"),
    # a deliverable after the product, or named by its platform or length, is never the product
    ("Kestrel boot reel. ECUs: the gusseted tongue, then a 6s YouTube bumper.", "Kestrel boot"),
    # a labelled subject's later segments are read too: one that says what is made is no product
    ("Subject: Vellum Grove 12 | winter key visual + bumpers\nHi team,\nThe bumpers run 6s.", "Vellum Grove 12"),
    # the brand's name before the thing stays with it (a name keeps its brand words)
    ("Subject: Tessel Autumn Edit, the Ines wool coat, photo brief\nHi,\nThe coat first.",
     "Tessel Autumn Edit Ines wool coat"),
    # a product word that ends in -ing is no gerund; a title that opens with one is a sentence
    ("Hartwell Ames - Lumen Pendant Ring (product page)\nMetal: 18ct gold", "Hartwell Ames Lumen Pendant Ring"),
    # a name in capitals with a plural noun is the maker beside a segment naming the thing, else the product
    ('BRIEF: Fernway Bikes - "Rover" steel touring frame\nBackground: a small builder.', '"Rover" steel touring frame'),
    ("Tessel Blocks - spring shot list\n1. WIDE: a child at the rug", "Tessel Blocks"),
    # a chat's speaker line titles nothing; a long first line ending in a colon still names the product
    ("#content - Mia:\nmia: for the Relay (team chat app) launch video, some macro?", "Relay"),
    ("Harlow 3 espresso grinder — launch film, what to show:\n• the burrs", "Harlow 3 espresso grinder"),
    # the words right before what is made for it name the product, however they are spelled
    ("yo can u plan shots for the zestline TikTok + reels cutdowns by thurs", "zestline"),
    # after a conversation's label the names are who talks; a segment naming the thing is still read
    ('Voice memo - Ben, Tallis Boxing, 2m (auto)\n"Right so the Pro 12 ounce gloves. Hand-stitched seams.',
     "Pro 12 ounce gloves"),
    ("notes from call w/ Fenwick - pruner launch (the Cutter 8). selling pts: the blade", "pruner"),
    ("DM thread - @fernandfig x photographer\nfern & fig: so for Lashwell Volume Mascara a 10s reel",
     "Lashwell Volume Mascara"),
    ("WhatsApp - Clara (client) / Dan (photographer)\nClara: one for the Grito litter shoot next week",
     "Grito litter"),
    # a forward mark, a pasted page's lead-in line and the shots made of it are no part of the title's name
    ("Subject: FW: Glen Orrin 12, photo brief v2\nHi all,\nForwarding the notes.", "Glen Orrin 12"),
    ("Text copied from our store:\nLumo Matte Loose Powder - Rose\n£18 | 8g", "Lumo Matte Loose Powder"),
    ("Subject: SS lookbook - Fenwick parka detail shots\nHi Jo,", "Fenwick parka"),
    ("Notebox Pad 2.1 | Play Store trailer, 20s\nBEAT 1: a desk", "Notebox Pad 2.1"),
    # a name set before its description keeps it; a model code ends a name in capitals
    ("Hi! Brief for Tessaly, our shared calendar platform - brand film.", "Tessaly shared calendar platform"),
    ("NORVIK 12H - 20s TV spot - storyboard notes\n0-4s WIDE a park", "NORVIK 12H"),
    # a holiday and a pre-order are when and how it sells, never the product
    ("memo from Ana, for the Easter pre-order campaign\nOkay, the star is the pecan pie with cream.",
     "pecan pie"),
    # a name before a clock time is a chat's speaker stamp, no part of the product
    ("[Teams chat]\nRavi Shah 10:02\nso for the Doit 2 app store video, people notice the tick", "Doit 2"),
])
def test_the_title_or_name_line_naming_a_thing_is_the_product(brief, product):
    from tools.brief import find_product

    assert find_product(brief)[0] == product


def test_a_title_naming_people_or_a_deliverable_is_not_the_product():
    from tools.brief import _made_for, _title_readings

    # what is made for a deliverable, a season or an act is no product name
    assert not list(_made_for("Three stills wanted for the PDP refresh, plus reels by Friday."))
    assert not list(_made_for("This year, for the yearly appeal film, one family's story."))

    assert _title_readings("Yuki Tanabe / Chris – chat export\nwe need the lodge") == []
    assert _title_readings("15s social – draft\nwe need the kibble") == []


def test_a_part_the_product_name_mentions_is_still_a_detail():
    """"Her lip" in a lip balm brief is a shot; "the lip balm" itself is the product, not a detail of it."""
    from tools.details import _usable

    assert _usable(["her", "lip"], "lip", {"velvet", "lip", "balm"}, "balm")
    assert not _usable(["the", "lip", "balm"], "balm", {"velvet", "lip", "balm"}, "balm")


@pytest.mark.parametrize("brief, seconds", [
    ("Deliverables: 4 stills + 20s.", 20.0),
    ("5 stills, 45s for YouTube.", 45.0),
    ("4 stills + a 6s loop for the homepage.", 6.0),
    ("4 stills. The balm dries in 30s on the skin.", None),  # a claim's time, not a film
])
def test_a_running_time_listed_beside_the_stills_is_a_film(brief, seconds):
    from tools.brief import video_length

    assert video_length(brief) == seconds


def test_places_are_settings_never_products():
    assert wordnet.domain("workshop") == "setting" and wordnet.domain("studio") == "setting"
    assert wordnet.domain("hotel") == "lodging"  # a hotel is sold by a hospitality brief
    assert not sellable("workshop") and sellable("lamp")


def test_a_short_unpunctuated_line_ends_its_sentence_but_a_wrapped_one_runs_on():
    from tools.text import sentences

    board = "SC1 wide: desk at night\nSC2 ECU: the spout pouring\nLid clicks shut"
    assert sentences(board) == ("SC1 wide: desk at night", "SC2 ECU: the spout pouring", "Lid clicks shut")
    wrapped = "We have worked on this for a long time and the new lid design we landed on\nMeans it never leaks."
    assert len(sentences(wrapped)) == 1  # a hard-wrapped line of prose
    assert len(sentences("Shoot the\nLid and the spout.")) == 1  # a line ending in "the" runs on


def test_a_timecoded_row_is_its_own_sentence_however_long():
    from tools.text import sentences

    board = ("0:00-0:04 wide of the kitchen at dawn with the kettle on the hob and steam rising\n"
             "0:04-0:06 the gooseneck spout pouring a thin, steady stream into the dripper cone")
    assert len(sentences(board)) == 2
    wrapped = ("We have worked on this for a long time and the new lid design we landed on, it took\n"
               "10:30 meetings")  # a clock time mid-prose does not open a row unless the line starts with it
    assert len(sentences(wrapped)) == 2 and len(sentences(wrapped.replace("\n10:30", " 10:30"))) == 1


def test_a_participle_after_the_head_is_the_action_not_a_longer_name():
    plan = draft_plan(DraftPlanArgs(brief="Halden kettle. The one-touch lid latch clicking shut is what reviewers "
                                          "rave about."))
    assert any("latch" in s.detail.name for s in plan.ecu_shots())
    from tools.details import _phrase_head
    from tools.text import tokenize

    tokens = tokenize("full-grain leather strap")  # a hyphenated modifier still leads to its noun
    assert tokens[_phrase_head(tokens, 0)].lower in {"leather", "strap"}


def test_a_brand_before_a_noun_makes_it_the_product_even_where_its_usual_sense_is_a_person():
    from tools.brief import find_product

    assert find_product("Fenwick trail stroller. One-hand fold.")[0] == "Fenwick trail stroller"
    assert not sellable("stroller")  # alone, a stroller is first someone out for a walk
    assert find_product("The stroller in the park loved our Halden kettle.")[1] == "kettle"


def test_only_motor_vehicles_take_the_automotive_domain():
    assert wordnet.domain("car") == "vehicle" and wordnet.domain("motorcycle") == "vehicle"
    assert wordnet.domain("pram") != "vehicle" and wordnet.domain("wheelbarrow") not in ("vehicle", "container")


def test_a_noun_that_only_ends_in_ing_is_a_thing_and_a_verbs_ing_form_is_an_action():
    assert not wordnet.verb_form("spring") and not wordnet.verb_form("ring") and not wordnet.verb_form("ceiling")
    assert wordnet.verb_form("pouring") and wordnet.verb_form("embossed") and not wordnet.verb_form("bed")
    from tools.details import _usable

    assert _usable(["the", "return", "spring"], "spring", {"stapler"}, "stapler")
    assert not _usable(["the", "pouring"], "pouring", {"stapler"}, "stapler")


def test_bullets_after_a_blank_line_or_a_long_lead_in_are_the_list_it_introduces():
    from tools.text import FOLDED_LIST, fold_headed_lists

    spaced = "What chefs notice first:\n\n- the riveted handle\n- the satin cooking surface"
    assert FOLDED_LIST + "the riveted handle; the satin cooking surface." in fold_headed_lists(spaced)
    lead = ("We spent two years on this pan and these are the things our test cooks kept pointing at when they "
            "used it:\n- the riveted handle\n- the pouring lip")
    folded = fold_headed_lists(lead)
    assert folded.startswith("We spent two years") and FOLDED_LIST + "the riveted handle; the pouring lip." in folded
    tone = "Tone:\n- warm\n- honest\n- quiet"
    assert FOLDED_LIST not in fold_headed_lists(tone)  # a framing heading's bullets are no things to show


def test_a_notes_heading_folds_its_fragments_but_not_its_sentences():
    from tools.text import FOLDED_LIST, fold_headed_lists

    assert FOLDED_LIST in fold_headed_lists("Notes from Sam:\n- the riveted handle\n- the pouring lip")
    assert FOLDED_LIST not in fold_headed_lists("Notes:\n- call Sam on Monday\n- the pouring lip")  # a memo
    sentences_under = "Notes from Sam:\n- The handle is the hero. Love it.\n- Keep the wide of the kitchen."
    assert FOLDED_LIST not in fold_headed_lists(sentences_under)


def test_three_bullets_without_a_heading_are_a_list_unless_each_names_its_own_scale():
    from tools.text import FOLDED_LIST, fold_headed_lists

    assert FOLDED_LIST in fold_headed_lists("Halden pan\n- the riveted handle\n- the pouring lip\n- the satin base")
    assert FOLDED_LIST not in fold_headed_lists("Halden pan\n- the riveted handle\n- the pouring lip")
    rows = "Halden pan\n- Wide: the kitchen\n- Mid: the cook\n- ECU: the pouring lip"
    assert FOLDED_LIST not in fold_headed_lists(rows)  # shot rows stay the lines they are


def test_the_claim_to_prove_reads_through_a_bracket_but_not_past_its_own():
    from tools.jobs import _claims

    assert {"certified", "snap"} <= _claims("We need to prove: it's certified (Qi2 logo) and it snaps in place.")
    assert "fingertip" not in _claims("the markings (proof that this is a proper optic), and the fingertips")


def test_things_a_decorative_request_calls_unrelated_are_left_out_but_the_products_own_parts_stay():
    listed = ("Halden touring bike.\n- ECU of the brazed lugs\n- ECU of the saddle rivets\n"
              "- some random macros for mood: soap film, glitter, ink drops")
    names = [s.detail.name for s in draft_plan(DraftPlanArgs(brief=listed)).ecu_shots()]
    assert any("lug" in n for n in names) and any("rivet" in n for n in names)
    assert not any(w in n for n in names for w in ("glitter", "soap", "ink"))
    pointed = ("Halden touring bike: ECUs of the brazed lugs. Between them, inserts of a disco ball and a lava lamp. "
               "None of them relate to the bike, they just look cool.")
    names = [s.detail.name for s in draft_plan(DraftPlanArgs(brief=pointed)).ecu_shots()]
    assert any("lug" in n for n in names) and not any("disco" in n or "lava" in n for n in names)
    own_parts = "Halden touring bike: a run of ECUs of the brazed lugs and the saddle rivets, purely for atmosphere."
    names = [s.detail.name for s in draft_plan(DraftPlanArgs(brief=own_parts)).ecu_shots()]
    assert any("lug" in n for n in names)  # mood alone is decorative, but these are still the bike's parts
    of_what = ("Halden touring bike: ECUs of the brazed lugs and the saddle rivets. Between those, some pretty "
               "macros - soap film, glitter, ink drops - it doesn't matter of what, purely for mood.")
    names = [s.detail.name for s in draft_plan(DraftPlanArgs(brief=of_what)).ecu_shots()]
    assert any("lug" in n for n in names) and not any(w in n for n in names for w in ("glitter", "soap"))


def test_the_brand_and_a_word_of_the_product_name_are_the_product_not_a_detail():
    from tools.details import _usable

    assert not _usable(["halden", "steel"], "steel", {"halden", "steel", "bike"}, "bike")
    assert _usable(["the", "steel"], "steel", {"halden", "steel", "bike"}, "bike")  # its material is a detail


def test_an_unknown_part_shown_moving_is_evidence_but_one_catching_light_is_not():
    from tools.details import in_action
    from tools.text import tokenize

    assert in_action(tokenize("the gimbal swivelling"), 1, 3) and in_action(tokenize("the sprocket turning"), 1, 3)
    assert not in_action(tokenize("the gimbal catching the light"), 1, 5)  # a finish in the light, not a result
    plan = draft_plan(DraftPlanArgs(brief="Halden drone. Extreme close-up of the gimbal swivelling to level."))
    assert [s.detail.category for s in plan.ecu_shots() if "gimbal" in s.detail.name][0] == "proof"
    crack = draft_plan(DraftPlanArgs(brief="Halden jar. Extreme close-up of the hairline crack running down it."))
    assert [s.detail.category for s in crack.ecu_shots() if "crack" in s.detail.name][0] == "story_hook"


def test_a_name_after_the_product_noun_joins_it_only_where_it_ends_the_clause():
    from tools.brief import _named_after
    from tools.text import tokenize

    tokens = tokenize("our trail shoe, the Ridge 2.")
    assert _named_after(tokens, 2) == "Ridge 2"
    assert _named_after(tokenize("the shoe for Instagram"), 1) == ""
    assert _named_after(tokenize("the shoe, Sam said, is great"), 1) == ""  # a speaker, then the clause runs on


def test_a_list_in_a_complaint_about_earlier_work_or_under_a_refusal_is_not_asked_for():
    from tools.details import _list_body

    assert _list_body("Last year's agency shot ECUs of the foam and the mesh and nobody knew it was a helmet.")[0] \
        is None
    assert _list_body("Last year's ECUs of the buckle worked, so ECUs of the buckle and the strap.")[0] is not None
    assert _list_body("We really do not want any of the usual extreme close-ups of the foam.")[0] is None
    assert _list_body("Extreme close-ups of the buckle and the strap.")[0] is not None


def test_a_channel_cue_is_a_whole_word_and_print_is_a_noun():
    from tools.brief import _channels

    assert _channels("the roast date printed on the base") == []
    assert _channels("we print the batch number by hand") == []
    assert _channels("a print ad and two carousels") == ["print", "instagram_carousel"]


def test_the_details_own_clause_may_call_a_one_job_word_evidence_but_never_a_face():
    from tools.jobs import choose_job
    from tools.lexicon import DETAIL_TERMS

    edge = DETAIL_TERMS["edge"]
    assert "proof" not in (edge.category, *edge.also)  # a word whose usual jobs leave evidence out
    assert choose_job(edge, "", "home", near="the sealed edge, tested and certified leak-proof") == "proof"
    assert choose_job(edge, "", "home", near="the sanded edge") != "proof"
    eye = DETAIL_TERMS["eye"]
    assert choose_job(eye, "", "education", near="her eye as the test result appears") == "emotion"


def test_factory_made_is_no_craft_cue_and_thats_opens_a_purpose():
    from tools.jobs import _cue_counts, purpose_after

    assert _cue_counts("not factory-made")["craftsmanship"] == 0 and _cue_counts("made by hand")["craftsmanship"]
    assert purpose_after("the rim, thats our evidence", 7).startswith("thats")


def test_a_word_after_a_subject_pronoun_or_a_modal_is_a_verb_not_the_product():
    from tools.brief import _noun_slot
    from tools.text import tokenize

    assert not _noun_slot(tokenize("it lets you book a plumber"), 3)
    assert _noun_slot(tokenize("our new book"), 2)


def test_a_refused_request_in_the_details_clause_turns_it_down_but_not_the_next_clause():
    plan = draft_plan(DraftPlanArgs(brief="Halden helmet. dont want ECUs of the foam, we need the magnetic buckle."))
    names = [s.detail.name for s in plan.ecu_shots()]
    assert any("buckle" in n for n in names) and not any("foam" in n for n in names)
    plan = draft_plan(DraftPlanArgs(brief="Halden helmet. We want ECUs of the foam and the magnetic buckle."))
    assert any("foam" in s.detail.name for s in plan.ecu_shots())


def test_a_contraction_typed_without_its_apostrophe_opens_no_list_item():
    plan = draft_plan(DraftPlanArgs(brief="Halden soy candle. ECUs: the cotton wick, the wax pool, thats the one."))
    assert not any(s.detail.name.startswith("thats") for s in plan.ecu_shots())


@pytest.mark.parametrize("brief", [
    "Halden fly reel. ppl always ask about the drag knob.",
    "Halden fly reel. We also need the drag knob, and the spool.",
    "Halden fly reel. The drag knob is the money shot.",
])
def test_chat_and_habit_wording_says_a_detail_sells(brief):
    from tools.details import _SELLING_CUES

    assert _SELLING_CUES.search(brief)
    plan = draft_plan(DraftPlanArgs(brief=brief))
    assert any("knob" in s.detail.name for s in plan.ecu_shots())


def test_a_plain_mention_carries_no_selling_cue():
    from tools.details import _SELLING_CUES

    assert not _SELLING_CUES.search("Halden fly reel. It ships in a box with the drag knob set to light.")


def test_a_memo_label_a_chat_word_or_a_running_time_is_never_a_detail():
    from tools.details import Candidate, _memo_or_chat

    def candidate(name: str, head: str) -> Candidate:
        return Candidate(name=name, category="proof", why="", score=2.0, head=head, kind="texture", source="brief")

    assert _memo_or_chat(candidate("notes from kai on the tent", "note"))
    assert _memo_or_chat(candidate("sam's notes", "note")) and _memo_or_chat(candidate("2s", "2s"))
    assert not _memo_or_chat(candidate("tasting notes printed on the label", "note"))
    assert not _memo_or_chat(candidate("guy-line tensioner", "tensioner"))


def test_a_body_part_made_numbered_or_named_after_the_product_is_a_part_of_it():
    from tools.details import _personal
    from tools.lexicon import DETAIL_TERMS
    from tools.text import tokenize

    eyes = DETAIL_TERMS["eye"]
    assert _personal(eyes, tokenize("the embroidered eyes"), 2) is None
    assert _personal(eyes, tokenize("Bramble's eyes"), 1, {"bramble", "bear"}) is None
    assert _personal(eyes, tokenize("her tired eyes"), 2) is eyes  # a person's eyes carry feeling


def test_real_asks_a_face_for_an_unacted_look_not_for_evidence():
    from tools.jobs import choose_job
    from tools.lexicon import DETAIL_TERMS

    assert choose_job(DETAIL_TERMS["eye"], "", "beauty", purpose="so it reads as a real reaction") == "emotion"


def test_an_acronym_or_the_first_word_after_a_label_is_no_name_but_a_capital_mid_sentence_is():
    from tools.details import _a_name
    from tools.text import tokenize

    assert not _a_name(tokenize("the FSC logo"), 1) and not _a_name(tokenize("ECU: Brass hinge"), 2)
    assert _a_name(tokenize("the Ink shade is our best seller"), 1)


def test_a_heading_saying_what_sells_or_what_to_prove_introduces_its_bullets():
    from tools.text import FOLDED_LIST, fold_headed_lists

    assert FOLDED_LIST in fold_headed_lists("What we need to prove\n- the sealed seam\n- the welded corner")
    assert FOLDED_LIST in fold_headed_lists("What sells it\n- the sealed seam\n- the welded corner")


def test_every_detail_the_brief_gives_a_reason_for_is_planned_up_to_the_contracts_six():
    brief = ("Halden chef's knife. ECUs: the hammered blade, the riveted handle, the bolster. The etched maker's "
             "mark is what buyers always notice.")
    names = [s.detail.name for s in draft_plan(DraftPlanArgs(brief=brief)).ecu_shots()]
    assert len(names) == 4 and any("mark" in n for n in names)
    many = "Halden chef's knife. ECUs: " + ", ".join(f"the {p}" for p in
                                                    ("blade", "handle", "bolster", "spine", "heel", "tip", "rivets"))
    plan = draft_plan(DraftPlanArgs(brief=many))
    assert len(plan.ecu_shots()) == MAX_ECUS  # seven named: the contract's six, and no overuse for it
    assert not any(flag.kind == "overuse" for flag in plan.flags)


def test_a_standards_code_is_a_certifying_mark():
    from tools.details import has_acronym
    from tools.text import tokenize

    assert has_acronym(list(tokenize("the IP67 rating"))) and has_acronym(list(tokenize("EN71 stamp")))
    assert not has_acronym(list(tokenize("the LED ring"))) and not has_acronym(list(tokenize("the 925 mark")))


def test_a_part_named_in_passing_joins_cued_details_but_alone_is_no_reason_for_an_ecu():
    cued = draft_plan(DraftPlanArgs(brief="Halden grinder. The burrs are the hero. The brass dial sits on the side."))
    names = [s.detail.name for s in cued.ecu_shots()]
    assert any("burr" in n for n in names) and any("dial" in n for n in names)
    passing = draft_plan(DraftPlanArgs(brief="Halden grinder. The brass dial sits on the side."))
    assert passing.ecu_shots() == [] and passing.questions  # the plan asks instead


def test_no_prompt_doubles_its_article_when_the_product_or_detail_brings_one():
    from tools.prompting import subject_detail, the

    assert the("the product") == "the product" and the("brass hinge") == "the brass hinge"
    assert "the the" not in subject_detail("stitching on the product", "the product", "product", "texture")
    plan = draft_plan(DraftPlanArgs(brief="ECUs of your stitching and the brass rivets, please."))
    assert all("the the" not in s.prompt.text.lower() for s in plan.shots)


def test_a_bracketed_aside_is_no_part_of_the_product_and_a_name_cut_in_a_bracket_loses_it():
    from tools.brief import find_product
    from tools.details import _balanced

    assert find_product("Old Mill apple pie (pasted from Shopify): hand-crimped crust.")[0] == "Old Mill apple pie"
    assert _balanced("signet ring (18k") == "signet ring" and _balanced("ring (18k gold)") == "ring (18k gold)"


def test_a_heading_in_capitals_or_a_signature_is_no_name_line():
    from tools.brief import _name_line

    assert _name_line("KEY PROOF POINTS\n- the seal") is None
    assert _name_line("Thanks!\nElise Moreau") is None


def test_a_chat_exports_lower_case_handles_are_speakers_and_a_bracketed_full_name_is_the_product():
    from tools.brief import find_product
    from tools.text import sentences

    chat = "[10:02] maya: the kettle launch (Halden Pour-Over Kettle, matte black)\n[10:03] sam: and the lid?"
    assert sentences(chat) == ("the kettle launch (Halden Pour-Over Kettle, matte black)", "and the lid?")
    assert find_product(chat)[0] == "Halden Pour-Over Kettle"
    assert find_product("Our kettle (see photos) pours well.")[0].lower().endswith("kettle")


def test_a_part_said_to_be_crafted_is_read_whatever_its_usual_sense():
    # "lattice" is first a mathematical idea and "top" a place; said to be woven by hand they name the crust
    names = _chosen("Brief for the Quillmoor plum tart. The lattice top is woven by hand every morning. "
                    "Show the filling bubbling through the gaps.")
    assert any("hand-woven lattice top" in n for n in names)
    assert not any("weaving" in n for n in names)  # the making is said once, on the part it made
    names = _chosen("Brief for the Quillmoor plum tart. The delivery van is loaded at six. "
                    "Show the filling bubbling through the gaps.")
    assert not any("van" in n for n in names)  # loading makes nothing


def test_a_word_with_accents_is_looked_up_as_wordnet_spells_it():
    from tools.language import wordnet
    assert wordnet.is_noun("guilloché") and wordnet.is_noun("guilloche")
    assert wordnet.entry("zzqé") is None


def test_a_line_that_opens_with_a_field_label_starts_a_sentence_after_a_long_unpunctuated_line():
    from tools.text import sentences

    fields = ("Product: Vesta 3-layer waterproof shell (20k membrane, taped seams, two-way zips on both sides)\n"
              "Things to show: water beading off the face fabric; the taped seams.")
    assert sentences(fields)[1].startswith("Things to show:")
    wrapped = ("We shoot the Vesta shell on a ridge at first light, with the taped seams and the hood in\n"
               "the frame: the wrap runs on.")  # a hard-wrapped line running on in lower case stays one sentence
    assert len(sentences(wrapped)) == 1
