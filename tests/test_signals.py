"""Misuse is read from what a brief asks for, not from the words it happens to contain."""

from __future__ import annotations

import pytest

from tools.brief import _is_detail_phrase
from tools.signals import find_signals


def kinds(text):
    return {s.kind for s in find_signals(text, is_detail_phrase=_is_detail_phrase)}


@pytest.mark.parametrize("text, kind", [
    ("Honestly every single slide should be a super-tight macro, skip the product shots.", "overuse"),
    ("Twelve extreme close-ups, one per day, nothing else.", "overuse"),
    ("Crop so tight nobody can tell what it is; the caption will explain it.", "over_abstraction"),
    ("The jar never appears, people love a puzzle.", "over_abstraction"),
    ("In the eye ECU we want a huge shocked reaction from the model, eyes as wide as possible.", "pushed_performance"),
    ("Let the talent really crank the agony up on her face for the camera.", "pushed_performance"),
    ("ECU of her eye as the makeup dissolves. Go big: eyes rolling back, really overplay it.", "pushed_performance"),
    ("Make it dreamy and blurry, it doesn't matter if nothing is sharp.", "soft_focus"),
    ("Don't worry about focus too much, a bit soft is fine, that's cinematic.", "soft_focus"),
    ("We need a close-up of the stitching on the strap.", "ambiguous_scale"),
    ("Add a few macros because they look cool; none of it needs to relate to the product.", "decorative"),
    ("No big reason for these shots, they just look gorgeous.", "decorative"),
])
def test_misuse_is_spotted(text, kind):
    assert kind in kinds(text)


@pytest.mark.parametrize("text", [
    "Rule for the edit: we're not putting in macro shots just because they look cool.",
    "Let's not crop so tight that people can't tell it's a lock; every detail should read as our product.",
    "Keep expressions natural and restrained, nothing over the top.",
    "No soft focus and no blur: the seam must be razor sharp.",
    "We don't want abstract crops; the bottle must stay recognisable.",
    "Each extreme close-up has a clear job and ties to durability.",
    "Open wide, then a mid shot, then one extreme close-up of the seal.",
    "A close-up of her face, relaxed, then a macro of the lip texture.",
    "Our shade Lilac Haze joins the range, shot crisp on a softly blurred background.",
    "Any movement in a shot that tight reads as a grimace, so keep her still.",
])
def test_balanced_wording_raises_nothing(text):
    assert kinds(text) == set()


def test_evidence_quotes_the_clause():
    (signal,) = find_signals("Intro line. Make it all soft focus, very dreamy. Outro.")
    assert signal.kind == "soft_focus" and signal.evidence == "Make it all soft focus, very dreamy"


def test_case_does_not_change_what_is_spotted():
    text = "Every single slide should be a super-tight macro. Make it dreamy and blurry, nothing needs to be sharp."
    assert kinds(text) == kinds(text.upper()) == kinds(text.title()) == {"overuse", "soft_focus"}


def test_patterns_run_on_folded_text_are_written_in_lower_case():
    """find_signals matches on fold(text) without IGNORECASE: an upper-case literal would never match."""
    import re

    from tools import signals

    patterns = [rule.regex for rules in signals.RULES.values() for rule in rules]
    patterns += [signals.CLOSE_UP, signals.EXTREME_BEFORE, signals.FORBIDS_ORIENTING, signals.REQUESTED_ECUS]
    for pattern in patterns:
        assert not pattern.flags & re.IGNORECASE
        literal = re.sub(r"\\[A-Za-z]|\(\?P<\w+>|\(\?P=\w+\)", "", pattern.pattern)
        assert literal == literal.lower(), pattern.pattern[:60]


def test_an_abstract_design_is_not_a_request_for_abstraction():
    assert "over_abstraction" not in kinds("The scarf has an abstract leaf pattern in silk twill. Show the print.")
    assert "over_abstraction" in kinds("Make it all abstract macro shots, so nobody can tell what the product is.")


def test_abstraction_the_brief_calls_the_products_own_design_is_no_misuse():
    assert "over_abstraction" not in kinds("The scarf carries an abstract wave-line print along the hem.")
    assert "over_abstraction" not in kinds("The marbled swirl is our design - an abstract crop of it works.")
    assert "over_abstraction" not in kinds("So close it reads abstract. The swirl is our brand's signature.")
    assert "over_abstraction" in kinds("Go for abstract crops of the rug, it can look like anything.")


def test_a_warning_or_a_setting_refused_is_no_request_for_abstraction():
    assert "over_abstraction" not in kinds("Never crop so tight on the screen that it becomes abstract blocks.")
    assert "over_abstraction" in kinds("Let the screen become abstract blocks.")
    assert "over_abstraction" not in kinds("Never show the bottle in a bar, the client's alcohol policy.")
    assert "over_abstraction" in kinds("Never show the bottle, only the liquid.")


def test_what_the_brief_has_seen_too_often_asks_for_restraint():
    tired = "We've seen so many headache ads where the actor overacts, the grimace, the hand on the brow."
    assert "pushed_performance" not in kinds(tired)
    assert "pushed_performance" in kinds("In the ECU of his face we want him to overact: hands clawing his brow.")
    assert "pushed_performance" not in kinds("A medium of him popping a capsule out of the pack by the sink.")
    assert "pushed_performance" in kinds("ECU of his face, eyes popping, veins out.")


def test_a_firms_name_and_macros_cut_between_beats_are_no_misuse_of_their_words():
    assert "soft_focus" not in kinds("Haze & Co - mineral SPF 30, stills brief. ECU of the embossed crimp.")
    assert "soft_focus" in kinds("A bit hazy is fine, nothing needs to be sharp.")
    between = "Between each product beat, cut in a macro of moss or wet rock."
    assert "overuse" not in kinds(between)
    assert "overuse" in kinds("Each product beat should be a macro, no wide at all.")


def test_a_close_up_so_tight_it_shows_a_detail_means_an_extreme_close_up():
    assert "ambiguous_scale" in kinds("A close-up so tight you can make out each thread of the weave.")
    assert "ambiguous_scale" not in kinds("A close-up so tight you can see his whole face.")
    assert "ambiguous_scale" not in kinds("A close-up of her face so you can see her smile.")


@pytest.mark.parametrize("text", [
    "3. CU: the engraving on the caseback",  # a shot list's abbreviation
    "Shot 4 - close up, the hamon line along the blade",  # the detail after a comma
    "| 3 | Close-up | grind marks on the bevel |",  # a storyboard table's cells
    "I want a closeup where you can see the individual grind marks",
    "A super tight close-up of the hamon",  # "tight" means an ECU, the word still frames a close-up
    "a close-up of the zipper on the hood",  # a thing ending like a trade ("-er") is still a thing
])
def test_a_close_up_asked_of_a_detail_however_written_is_ambiguous(text):
    assert "ambiguous_scale" in kinds(text)


@pytest.mark.parametrize("text", [
    "3. MCU: her face as she reads. 4. ECU: the engraving on the caseback",  # a medium close-up, then an ECU
    "We don't need the badge close-up, everyone does that.",  # what follows the comma is no object
    "A close-up of the founder at her bench",  # a person at close-up is right as it is
    "An extreme close-up of the engraving",
])
def test_a_close_up_of_a_whole_person_or_an_ecu_asked_as_one_is_not_ambiguous(text):
    assert "ambiguous_scale" not in kinds(text)


def test_not_caring_what_the_macros_show_is_decorative():
    assert "decorative" in kinds("Grab some cool macros between the interviews, we don't care what they're of.")
    assert "decorative" in kinds("Some glossy textures, honestly whatever looks good on the feed.")
    assert "decorative" not in kinds("We care what they show: the seam, the rivet, the selvedge line.")


def test_too_abstract_is_a_complaint_and_extreme_macro_is_a_scale():
    assert "over_abstraction" not in kinds("Last season's shoot was too abstract; this time show the whole boot.")
    assert "pushed_performance" not in kinds("An extreme macro of her lashes as she looks up at the mirror.")
    assert "pushed_performance" in kinds("Her face in extreme anguish, crying at the mirror.")


def test_a_complaint_about_earlier_work_is_not_a_request():
    """The last campaign's misuse, told in the past tense, is what to avoid; the same words as an ask are misuse."""
    complaint = ("The last campaign was all extreme close-ups, every frame a macro, and nobody knew it was a chair. "
                 "This time: a wide of the room first.")
    assert not [s for s in find_signals(complaint) if s.kind == "overuse"]
    lesson = ("What we learnt last winter: that campaign was macros from start to finish and our stockists "
              "could not recognise the range.")
    assert not {"overuse", "over_abstraction"} & {s.kind for s in find_signals(lesson)}
    ask = "Every frame a macro, all extreme close-ups, no wide at all."
    assert [s for s in find_signals(ask) if s.kind == "overuse"]


@pytest.mark.parametrize("brief, refused", [
    ("Spring Drop 2026 - product notes. ECUs of the sole and the heel tab.", False),  # a release's name
    ("The summer drop collection: ECUs of the sole.", False),
    ("Drop the wide shots, ECUs only: the sole, the heel tab.", True),
])
def test_a_release_named_with_a_refusal_word_refuses_no_frames_and_both_readers_agree(brief, refused):
    from tools.brief import AnalyzeBriefArgs, analyze_brief
    from tools.pipeline import DraftPlanArgs, draft_plan

    analysis = analyze_brief(AnalyzeBriefArgs(brief=brief))
    assert analysis.forbids_orienting is refused
    assert any(s.kind == "overuse" for s in analysis.signals) is refused
    draft_plan(DraftPlanArgs(brief=brief))  # the offline plan passes its own checks either way


def test_a_word_built_on_a_frame_word_refuses_no_frame():
    """"No wide-eyed faces" turns down a look; "no wide shots" turns down the frame that orients."""
    assert "overuse" not in kinds("We've seen models overact - no wide-eyed wow faces. Keep it natural.")
    assert "overuse" in kinds("Every frame a detail: no wide shots, no packshot.")


def test_intensity_counts_only_said_of_a_face_and_only_a_performance_is_turned_up():
    """"Claustrophobic and intense" sets the film's mood when the runner is named far off; "turns the collar up"
    is a gesture. "Crank it up" beside her face, or a trembling lip and full-on melodrama, push the performance."""
    assert "pushed_performance" not in kinds("We want it claustrophobic and intense: every frame a macro, no wide "
                                             "shots at all, never show the whole shoe or the runner.")
    assert "pushed_performance" not in kinds("4-7 s MEDIUM: she stops, turns the collar up against the wind.")
    assert "pushed_performance" in kinds("Really crank it up: huge reactions on her face.")
    assert "pushed_performance" in kinds("ECU: her eye as the word lands, and push it hard, we want tears streaming, "
                                         "trembling lip, full-on melodrama")


def test_a_softness_the_product_is_named_for_is_its_claim_not_a_look():
    text = "Vesta Blur Primer, 30 ml. Objective: prove the blur. Pores before and after, razor sharp."
    assert not [s for s in find_signals(text, product="Vesta Blur Primer") if s.kind == "soft_focus"]
    assert [s for s in find_signals(text) if s.kind == "soft_focus"]  # no product given: "the blur" is a look
    assert "soft_focus" not in kinds("Glow Haze serum. Glow Haze is just the name, please nobody shoot it hazy.")


def test_abstraction_the_brief_concedes_is_the_product_itself_is_no_misuse():
    assert "over_abstraction" not in kinds("The ripple pattern is the steel itself. It looks abstract up close and "
                                           "that's fine - it's the actual blade, nobody will mistake it.")
    assert "over_abstraction" in kinds("Orla rug. Go abstract up close: crops so tight nobody knows it is a rug, "
                                       "let them guess.")


def test_only_with_a_count_limits_the_ecus_it_does_not_ask_for_all_ecus():
    assert "overuse" in kinds("Vesta kettle: only extreme close-ups, nothing else.")
    assert "overuse" in kinds("Vesta kettle: we want all macro shots.")
    assert "overuse" not in kinds("Vesta kettle: a wide of the kitchen, then keep only two extreme close-ups.")
    assert "overuse" not in kinds("Vesta kettle: a wide, a mid, and all three macros sharp.")
