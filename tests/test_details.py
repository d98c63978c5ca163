from __future__ import annotations

import pytest

from agent.models import MAX_ECUS
from tools.brief import AnalyzeBriefArgs, analyze_brief
from tools.details import PickDetailsArgs, pick_details


def picks(text, **kw):
    return pick_details(PickDetailsArgs(analysis=analyze_brief(AnalyzeBriefArgs(brief=text)), **kw))


def named(text) -> str:
    """The chosen detail names, lower case, one per line: what a shot list would read."""
    return "\n".join(d.name.lower() for d in picks(text).chosen)


def test_listed_details_become_concrete_categorised_ecus(leather_brief):
    chosen = {d.name: d.category for d in picks(leather_brief).chosen}
    assert chosen["saddle stitching along the handle"] == "craftsmanship"
    assert any("brass buckle" in name for name in chosen)
    assert any("grain of the leather" in name for name in chosen)
    assert all(len(name.split()) <= 10 for name in chosen)


def test_a_part_called_a_hook_is_no_story_hook():
    boot = picks("Photos of the Tor hiking boot. What buyers love:\n- the nickel lacing hooks\n"
                 "- the cork footbed\n- the leather laces").chosen
    assert any("lacing hooks" in d.name and d.category == "craftsmanship" for d in boot)
    teaser = picks("Teaser for the Orbit phone. Our hook: one droplet on the glass, in extreme close-up.").chosen
    assert any("droplet" in d.name and d.category == "story_hook" for d in teaser)


def test_a_note_after_a_dash_is_no_part_of_the_listed_thing():
    radio = named("Slides for the Tor radio. Worth a close look:\n"
                  "- the ridged tuning knob - everyone says it is lovely to turn\n"
                  "- the walnut case")
    assert "ridged tuning knob" in radio
    balm = named('Shots of the Oda balm. What to show:\n- the "Dermatologist tested - for very dry skin" seal on '
                 "the lid\n- the whipped texture")
    assert "seal" in balm  # a dash inside quotation marks belongs to the quoted words


def test_a_labelled_frame_that_orients_is_no_detail():
    text = ("Tor radio, four slides. First slide: the whole radio on a shelf, so people know what it is. Second "
            "slide: the ridged tuning knob, so people see how fine the ridges are.")
    assert "whole radio" not in named(text)
    assert "ridged tuning knob" in named(text)


def test_directions_and_deliverables_in_a_list_are_no_details():
    text = ("Product: Kora kettlebell\n- the lifter's grimace, really ham it up\n- detail: the powder-coated handle\n"
            "- detail: the etched weight mark\n- 4 stills, window posters")
    names = named(text)
    assert "ham" not in names and "stills" not in names
    assert "powder-coated handle" in names and "etched weight mark" in names
    assert "ham hock" in named("Smoked pork, ECUs:\n- the ham hock glaze\n- the crackling")  # a ham is still a ham


def test_a_patent_or_a_standard_calls_a_part_evidence():
    def job(text):
        return next(d.category for d in picks("Product: Tor marble run\n" + text).chosen if "joint" in d.name)
    # a joint is making unless the brief says it is evidence (a lock, by contrast, is a claim in itself)
    assert job("The dovetail joint is our patent, so give it an extreme close-up.") == "proof"
    assert job("The dovetail joint meets the toy safety standard, so give it an extreme close-up.") == "proof"
    assert job("The dovetail joint is moulded in our workshop, so give it an extreme close-up.") == "craftsmanship"


@pytest.mark.xfail(strict=True, reason="the learned job model calls these proof without the cue (a lock and a safety "
                                     "trim are claims in themselves); the hand votes called them craftsmanship")
@pytest.mark.parametrize(("text", "word"), [
    ("Product: Tor marble run\nThe twist-lock joint is moulded in our workshop, so give it an extreme close-up.",
     "joint"),
    ("Dusk running vest. Shots:\n- the reflective trim that runs along the hem\n- the zip", "trim"),
])
def test_without_a_cue_a_lock_joint_and_a_reflective_trim_are_making(text, word):
    assert next(d.category for d in picks(text).chosen if word in d.name) == "craftsmanship"


def test_a_part_changing_state_in_its_own_phrase_is_shown_working():
    def job(text, word):
        return next(d.category for d in picks(text).chosen if word in d.name)
    scooter = "Volt scooter launch. ECU: the battery gauge ring blinking amber, then the stitched grip."
    assert job(scooter, "ring") == "proof"
    lamp = "Orbit desk lamp. Shots:\n- the ridged rim catching the window light\n- the braided cord"
    assert job(lamp, "rim") == "craftsmanship"  # a finish catching light changes nothing


def test_a_part_that_lights_up_or_does_not_fail_is_shown_working():
    def job(text, word):
        return next(d.category for d in picks(text).chosen if word in d.name)
    assert job("Dusk running vest. Shots:\n- the reflective trim that lights up under a torch\n- the zip",
               "trim") == "proof"
    assert job("Dusk running vest. Shots:\n- the embroidered trim that glows under a torch\n- the zip",
               "trim") == "proof"
    # the same trim without the demonstration is making (a reflective one is a safety claim either way)
    assert job("Dusk running vest. Shots:\n- the embroidered trim that runs along the hem\n- the zip",
               "trim") == "craftsmanship"
    assert job("Ledger sketchbook. Shots:\n- wet gouache not buckling the sheet\n- the stitched spine",
               "gouache") == "proof"


def test_an_ordinal_labels_a_detail_only_with_a_shot_word_or_a_comma():
    text = ("Notes on the Dune lip oil. First, the slanted applicator tip. Second, the glassy sheen after one "
            "swipe. Last time the model pouted too much, so keep her relaxed.")
    names = named(text)
    assert "applicator tip" in names and "glassy sheen" in names
    assert "time" not in names


def test_the_features_of_a_plain_face_close_up_are_no_ecus():
    text = ("Dune brow gel reel. What matters: the spoolie's fine fibres. The last frame is an ordinary "
            "close-up of her face, eyes bright, a gentle smile.")
    names = named(text)
    assert "fibres" in names and "eyes" not in names and "smile" not in names
    macro = named("Dune brow gel reel. The spoolie's fine fibres, then an extreme close-up of her eyes as the "
                  "brows set.")
    assert "eyes" in macro  # an ECU of the eyes asked for in its own words is one


def test_a_body_part_word_owned_by_an_object_is_a_part_not_a_face():
    mallet = picks("Forge mallet. Shots:\n- the machined face, cross-hatched\n- the ash handle").chosen
    assert any("machined face" in d.name and d.category != "emotion" for d in mallet)
    person = picks("Rise mascara. Shots:\n- her face as she opens her eyes\n- the moulded bristles").chosen
    assert any("face" in d.name and d.category == "emotion" for d in person)


def test_a_think_list_is_a_mood_not_a_shot_list():
    mood = picks("Quorra brand film, 30s. Warm and bold. Think freedom, trust, the courage to begin.")
    assert mood.chosen == [] and mood.questions
    things = named("Orbit watch box. Things like the brass hinge, the walnut lid, the felt lining.")
    assert all(part in things for part in ("brass hinge", "walnut lid", "felt lining"))


def test_a_features_or_hero_stuff_label_lists_the_details_after_it():
    bat = picks("Brief for the Ashby cricket bat.\nmira: hero stuff: the eight straight grains in the willow face, "
                "and the new rubber grip").candidates
    assert any("grains" in c.name and c.source == "listed" for c in bat)
    lamp = named("Product: Orbit lamp\nproduct features: the linen shade and the brass dimmer wheel.")
    assert "brass dimmer wheel" in lamp and "linen shade" in lamp
    unlabelled = picks("Tambour speaker spot. The features team loves the woven grille.").candidates
    assert not any(c.source == "listed" for c in unlabelled)  # no colon: a sentence, not a label


def test_a_detail_the_viewer_can_check_with_their_own_eyes_is_evidence():
    def job(text):
        return next(d.category for d in picks("Clearday allergy tablets. " + text).chosen if "foil" in d.name)
    assert job("ECU: the blister foil, marked with a number per pill so you know whether you took one.") == "proof"
    assert job("ECU: the blister foil, embossed and printed with great care.") == "craftsmanship"


def test_a_hand_working_the_product_is_the_interaction_and_a_touch_on_skin_is_feeling():
    vial = picks("Sola nasal spray. ECU: thumb pressing down the pump of the spray bottle; then the box.").chosen
    assert any("pump of the spray bottle" in d.name and d.category == "proof" for d in vial)
    balm = picks("Mira lip balm. ECU: fingertips pressing the balm onto her lower lip.").chosen
    assert any("fingertips pressing" in d.name and d.category == "emotion" for d in balm)


def test_hand_written_apart_from_its_participle_is_how_a_thing_is_made():
    stool = picks("Fenn stool.\nseat edges are all hand burnished, smooth to the touch, our calling card.").candidates
    assert any(c.name.startswith("hand-burnished seat edges") and c.category == "craftsmanship" for c in stool)
    rug = picks("Our rug: the border is hand braided by one weaver, please make that visible").candidates
    assert not any(c.name.startswith("hand") and c.category == "emotion" for c in rug)
    assert any("hand holding the glass" in c.name for c in picks("Our gin. ECU of her hand holding the glass.").candidates)


def test_a_what_to_show_label_lists_items_split_by_semicolons_and_each_ends_on_its_noun():
    amp = picks("Halo valve amp. What to show: the glowing valves; the ivory pointer knobs; the jewel lamp "
                "blinking on.").candidates
    listed = [c.name for c in amp if c.source == "listed"]
    assert any("pointer knobs" in n for n in listed) and any("jewel lamp" in n for n in listed)
    assert not any(n == "ivory" for n in listed)  # a colour before the part, not the part


def test_a_part_named_like_a_channel_and_a_spec_with_its_unit_are_read_whole():
    boot = named("Kestrel hiking boot. Reasons to believe:\n - 4 mm lugs in sticky rubber\n - heel bumper in TPU\n"
                 " - the gusseted tongue")
    assert "4 mm lugs" in boot and "heel bumper" in boot  # a bumper on a heel is no YouTube bumper
    reel = named("Product: Kestrel boot\nECUs: the gusseted tongue, then a 6s YouTube bumper.")
    assert "tongue" in reel and "bumper" not in reel


def test_someone_who_has_or_sends_something_is_no_detail():
    jeans = picks("Arlo raw denim jeans. ECUs of the selvedge line, the copper rivets, Zed has the samples").chosen
    assert not any("zed" in d.name for d in jeans) and any("rivets" in d.name for d in jeans)
    tin = named("Arlo tea tin. ECUs of the hinged lid, the lid has a magnet, the embossed logo")
    assert "lid" in tin


def test_a_plain_close_up_of_the_whole_product_is_a_product_shot():
    text = ("Orla kettle. ECU of the walnut handle, and the hinged spout lid. Also a simple close-up of the whole "
            "kettle on the hob, just the product filling the frame.")
    names = named(text)
    assert "walnut handle" in names and "whole kettle" not in names and "filling" not in names
    assert "copper base" in named("Orla kettle. A close-up of the copper base, so tight you see the hammer marks.")


def test_job_follows_the_brief_not_just_the_word():
    proof = picks("Our Kinfolk gin bottle is sealed with hand-dipped wax. The wax seal proves each bottle is "
                  "untampered, so give it an extreme close-up.").chosen
    assert any("seal" in d.name and d.category == "proof" for d in proof)
    hook = picks("Teaser for the Orbit phone: an extreme close-up of a single droplet sliding down the glass, "
                 "a clue to the waterproofing reveal next week.").chosen
    assert any("droplet" in d.name and d.category == "story_hook" for d in hook)


def test_details_in_comparisons_or_negations_are_not_shots():
    names = named("Folio e-reader: an extreme close-up of one printed word on the screen, as sharp "
                                   "as ink on paper. No fingerprints anywhere.")
    assert "word" in names
    assert not any(word in names for word in ("ink", "fingerprint"))


def test_too_few_named_details_are_asked_for_not_invented():
    """The vertical's stock details ('maker's mark', 'hand holding it') were decorative ECUs: the plan asks instead."""
    result = picks("Launch of our Velvet serum for dry skin on Instagram.")
    assert len(result.chosen) < 2
    assert result.questions and "Velvet serum" in result.questions[0]
    named = picks("Launch of our Velvet serum: extreme close-ups of the glass dropper and the golden texture.")
    assert len(named.chosen) >= 2 and not named.questions


def test_a_campaign_carries_few_ecus_unless_the_brief_insists():
    many = ("Pine & Co oak table. Extreme close-ups of the dovetail joints, the oil finish, the end grain, the brass "
            "inlay, the chamfered edge, the knot in the top, the maker's stamp and the felt feet.")
    assert len(picks(many).chosen) == MAX_ECUS  # eight named: the contract's six, the rest left out
    three = "Pine & Co oak table. Extreme close-ups of the dovetail joints, the oil finish and the brass inlay."
    assert len(picks(three).chosen) == 3  # the count follows what the brief names, not the cap
    insisted = many + " Every single frame should be an extreme close-up, ten of them."
    assert len(picks(insisted).chosen) > MAX_ECUS - 1


def test_a_word_of_the_product_name_said_within_the_name_is_no_detail():
    names = named("Pine & Co oak table. Extreme close-ups of the dovetail joints, the oil finish and the brass inlay.")
    assert "pine" not in names and "dovetail" in names
    # the same word said of a part, outside the name, is that part
    assert "pine pegs" in named("Pine & Co oak table. The hero is the pine pegs that hold the top, shot in extreme "
                                "close-up.")


def test_what_the_brief_says_a_detail_is_for_decides_its_job():
    """A purpose clause outweighs cue words around it ('stamped', 'engraved' sound like craft)."""
    chosen = picks("Signet ring page: the ring on a hand (wide), the ring alone (mid), an extreme close-up of the "
                   "little hallmark stamped inside the band so buyers can see it's genuinely assayed, and an "
                   "extreme close-up of the hand-engraved crest.").chosen
    assert any("hallmark" in d.name and d.category == "proof" for d in chosen)
    assert any("crest" in d.name and d.category == "craftsmanship" for d in chosen)


@pytest.mark.parametrize("brief, present, absent", [
    pytest.param("Workbook ad. ECUs: the kid's eye as it clicks, and direct him to go full cartoon, huge jaw-drop, "
                 "eyebrows up to the hairline; the tick in the answer box.",
                 ("eye", "tick"), ("jaw", "eyebrow"), id="directions-to-the-talent-are-not-details"),
    pytest.param("Olive oil tin. wide: tins in the grove. mid: a farmer wiping a tin. ECUs: the harvest date embossed "
                 "on the base, so people trust it. and the pull-tab tamper seal on the spout. lastly a single drop of "
                 "green oil on the tin lip that we never explain, leave people wondering.",
                 ("seal", "drop"), ("lastly", "ly ", "people"), id="a-list-carries-on-into-the-next-sentence"),
    pytest.param("Fizzwell kombucha reels. Maya: bubbles racing up the glass, the SCOBY strands, condensation on the "
                 "cap, ginger fibres floating. all super tight.",
                 ("scoby", "condensation"), (), id="a-bare-run-of-detail-phrases-is-a-list"),
    pytest.param("Velvet Hour eyeshadow palette. Clip ideas: the shimmer pan's pressed crosshatch pattern, the swatch "
                 "on a fingertip, the magnetic clasp snapping shut. macro lens, tack-sharp.",
                 ("crosshatch",), ("lens", "tack"), id="camera-settings-are-not-details"),
    # a detail named "kind of hazy" would put a soft word in its own ECU prompt and fail the plan's checks
    pytest.param("Seed-paper carton. ECUs: the embossed fern, kind of hazy, the little seeds in the paper, totally "
                 "over-the-top.", ("fern", "seeds"), ("hazy", "over-the-top"), id="misuse-words-never-name-a-detail"),
    pytest.param("Kindred mailer box. Wide of the box on a desk. ECU of the tear strip ripping, ECU of the printed "
                 "\"you found it\" message hidden inside the flap.", ("you found it message",), (),
                 id="quoted-words-stay-in-the-name"),
    pytest.param("Notes on cut v2 — Hartley & Rowe bespoke wedding suit film\nThe wide of the cutting room stays. "
                 "1. The extreme close-up of the hand-finished buttonhole is lovely, hold it longer.",
                 ("buttonhole",), (), id="a-detail-that-is-praised-is-still-a-detail"),
    pytest.param("Storyboard: LittleLens kids' microscope, 30s\nFrame | Size | Action | VO\n"
                 "1 | WIDE | Kitchen table, a kid and dad setting up the microscope | \"Every drop is a world.\"\n"
                 "2 | ECU | Droplet of pond water on the slide, a tiny shape moving inside | \"What's that?\"\n"
                 "3 | ECU | The engraved 400x marking on the objective lens barrel | \"True 400x magnification.\"",
                 ("droplet", "400x marking"), ("kitchen", "world"), id="a-storyboard-table-row-per-shot"),
    pytest.param("Storyboard: Cane Ridge Single Barrel Bourbon, 15s pre-roll\n"
                 "Shot 1 | WIDE | Rickhouse at dusk, rows of barrels.\n"
                 "Shot 2 | MID | Master distiller tapping the barrel and filling a sample glass.\n"
                 "Shot 3 | ECU | The chalked barrel number and fill date on the barrel head. Proves it's one barrel.\n",
                 ("barrel number",), ("distiller", "rickhouse"), id="storyboard-rows-keep-their-own-scale"),
])
def test_what_the_shot_list_names(brief, present, absent):
    names = named(brief)
    assert all(word in names for word in present), names
    assert not any(word in names for word in absent), names


def test_a_click_is_a_micro_interaction_that_proves_it_works():
    chosen = picks("Bitbot coding kit ad. Wide of two kids with the robot, mid of them laying cards. "
                   "Then ECUs: the green button click when they hit run, and the robot's LED eyes blinking on.").chosen
    assert any("button" in d.name and d.category == "proof" for d in chosen)


def test_the_sentence_after_a_detail_can_say_what_it_is_for():
    chosen = picks("Retinol serum PDP.\n- Open wide: bathroom shelf at night.\n"
                   "- ECU: one golden drop hanging off the glass pipette tip. This is the texture proof, a light base.\n"
                   "- ECU: the laser-etched batch code on the bottle base; legal wants the claim backed.").chosen
    assert any("drop" in d.name and d.category == "proof" for d in chosen)
    assert not any("legal" in d.name for d in chosen)


def test_a_close_up_of_a_face_stays_a_close_up():
    """Asking for a close-up of a face is the right scale: it is not turned into an ECU detail."""
    names = named("Tidal GO waterproof speaker. Wide of friends on a dock. ECU: water beading off the silicone grille. "
                  "ECU: the IP67 rating moulded into the base. Close-up of the guy's face as the music keeps playing.")
    assert "rating" in names and "face" not in names


@pytest.mark.parametrize("brief, detail", [
    pytest.param("Tidal GO speaker. Goal: prove IP67 without a spec sheet. Wide of friends on a dock. "
                 "ECU: the IP67 rating moulded into the base.", "rating", id="the-claim-the-brief-sets-out-to-prove"),
    pytest.param("Golden Haze hair oil. Wide of her at the mirror. ECU: split ends before vs. after, side by side.",
                 "split ends", id="before-and-after"),
    pytest.param("WHAT WE NEED TO PROVE: it's certified and it snaps your phone into place.\nWide: bedside table. "
                 "ECU: the magnetic snap, the phone edge clicking into the alignment ring.", "snap", id="a-heading-claim"),
    pytest.param("Smart helmet. Wide of a rider. A close-up of the rubber flap over the USB-C port, because riders ask "
                 "if it's rainproof.", "flap", id="the-question-customers-ask"),
])
def test_details_that_prove_the_claim_are_proof(brief, detail):
    assert any(detail in d.name and d.category == "proof" for d in picks(brief).chosen)


def test_a_listed_face_does_the_emotion_job():
    chosen = picks("Piano app. Wide of her at the upright piano. Hook moment: ECU on her face when she nails the "
                   "first chord. ECU: the felt hammers striking the strings.").chosen
    assert any(d.name == "face" and d.category == "emotion" for d in chosen)


def test_an_open_question_after_a_detail_makes_it_a_hook():
    chosen = picks("Petrol lighter film.\n1. WIDE — a terrace at dusk.\n2. ECU — the flint wheel throwing a single spark. "
                   "Hold on it: who is he lighting it for?\n3. MID — both faces lit by the flame.").chosen
    assert any("spark" in d.name and d.category == "story_hook" for d in chosen)


def test_a_detail_shown_doing_its_job_is_evidence_and_one_merely_shown_is_not():
    """A demonstration ("gripping wet tile") proves a claim; the same part only described shows the making."""
    from tools.jobs import shown_working

    assert shown_working(" gripping wet tile with no slip") and shown_working(" that doesn't bleed through")
    assert not shown_working(" in matte black, cut from one piece") and not shown_working(", then a wide")
    working = picks("Trailmark trail shoe. Extreme close-ups: the outsole lugs gripping wet tile, and the heel "
                    "counter stitched in nylon.").chosen
    jobs = {d.name.split()[0]: d.category for d in working}
    assert jobs.get("outsole") == "proof" and jobs.get("heel") == "craftsmanship"


def test_a_body_part_word_owned_by_a_thing_is_a_part_of_the_object():
    """"The minute hand" is a watch part, not a person's hand; "her lips" and "our talent's eye" stay feeling."""
    watch = {d.name: d.category for d in picks("Orrin chronograph. ECU: the minute hand over the dial.").candidates}
    assert next(job for name, job in watch.items() if "minute hand" in name) != "emotion"
    face = {d.name: d.category for d in picks("Velvet balm. ECU on our talent's eye, then her lips.").candidates}
    assert face.get("talent's eye") == "emotion" and face.get("lips") == "emotion"


def test_a_purpose_clause_decides_the_job_but_gives_feeling_only_to_a_person():
    from tools.jobs import choose_job
    from tools.lexicon import DETAIL_TERMS

    stitch = DETAIL_TERMS["stitch"]  # a craft word the lexicon lets do no other job by default
    assert choose_job(stitch, "hand-stitched, crafted", "apparel", purpose="so buyers can verify it") == "proof"
    assert choose_job(stitch, "hand-stitched, crafted", "apparel", purpose="") == "craftsmanship"
    bubbles = DETAIL_TERMS["bubble"]
    assert choose_job(bubbles, "", "food_beverage", purpose="because that's the alive feeling") != "emotion"


def test_a_drop_on_a_product_that_claims_to_resist_liquids_is_proof_and_a_claimed_property_marks_evidence():
    """Rain on a splash-resistant lamp is the claim at work; on a plain lamp it is a clue. A stamp that says what
    the product withstands is read as evidence, where an embossed mark alone would be its making."""
    def job(text, word):
        return next(d.category for d in picks(text).chosen if word in d.name)

    assert job("Desk lamp, splash-resistant. ECU: a single drop of rain on the shade.", "drop") == "proof"
    assert job("Desk lamp. ECU: a single drop of rain on the shade.", "drop") == "story_hook"
    assert job('Swim cap. ECU: the embossed "chlorine-resistant" stamp inside the rim.', "stamp") == "proof"
    assert job("Trail cap, coated so rain beads up and rolls off. ECU: a drop on the brim.", "drop") == "proof"


def test_the_rank_model_not_the_readers_score_decides_which_details_are_shot():
    """A part the readers scored as named in passing is shot when the rank model finds it likelier than the
    rest, and stays out when it does not; among likely details a new job still wins a near tie."""
    from tools.details import Candidate, _diverse_top

    def made(name, score, category):
        return Candidate(name=name, category=category, why="w", evidence="e", score=score, head=name, kind="texture",
                         source="brief")
    strong = [made(f"part{k}", 2.0 - 0.1 * k, "craftsmanship") for k in range(5)]
    passing = made("label sewn into the neck", 0.8, "proof")
    logits = {c.name: 1.0 - 0.1 * k for k, c in enumerate(strong)}
    assert passing in _diverse_top([*strong, passing], 3, lambda c: logits.get(c.name, 2.5))
    assert passing not in _diverse_top([*strong, passing], 3, lambda c: logits.get(c.name, -1.0))
    other = made("seal", 1.75, "proof")
    assert other in _diverse_top([*strong, other], 3, lambda c: logits.get(c.name, 0.85))


def test_a_detail_restated_in_fewer_words_is_not_a_second_ecu():
    from tools.details import Candidate, _diverse_top, _restated

    def made(name, head, score):
        return Candidate(name=name, category="craftsmanship", why="w", evidence="e", score=score, head=head,
                         kind="mark", source="listed")
    long, short = made("letterpress impression on the label", "impression", 2.6), \
        made("letterpress on the label", "letterpress", 2.6)
    other = made("pencil number on the label", "number", 2.5)
    assert _restated(short, long) and not _restated(other, long)
    chosen = _diverse_top([long, short, other], 2, lambda c: c.score)
    assert long in chosen and other in chosen and short not in chosen


def test_a_measured_property_and_a_spec_row_say_what_sells():
    """"A 0.1 mm tip" states a claim the frame can show; a pasted page's rows list what the thing is made of.
    An email address in the header is where the brief came from, never a part."""
    assert "gasket" in named("Steel flask. The silicone gasket seals to 0.5 mm.")
    assert "gasket" not in named("Steel flask. The silicone gasket is inside.")
    rows = named("Orla lamp.\nShade: hand-blown opal glass\nTrim: reflective piping round the base")
    assert "piping" in rows and "glass" in rows
    assert "ember" not in named("From: Jo <jo@rye-and-ember.no>\nOrla lamp. ECU: the opal glass shade.")


def test_a_mark_that_must_be_legible_and_what_the_maker_measured_sell():
    assert "hallmark" in named("Signet ring. Inside the band is the hallmark; it has to be legible.")
    assert "hallmark" not in named("Signet ring. Inside the band is the hallmark.")
    assert "foam" in named("Oven degreaser. The foam holds on tiles a full minute, as we measured.")
    assert "foam" in named("Oven degreaser. Clinging foam is the third reason cooks switch.")


def test_a_sentence_that_carries_on_keeps_what_the_last_one_asked():
    """"Then the X." after an ECU request is asked for as much; the same noun said in passing ranks lower."""
    def rivet_score(brief: str) -> float:
        return next(c.score for c in picks(brief).candidates if "rivet" in c.name)

    asked = "Kittering tote. We need an extreme close-up of the saddle stitching. "
    carried, passing = rivet_score(asked + "Then the copper rivets."), rivet_score(asked + "It has copper rivets.")
    assert carried > passing
    assert carried == rivet_score(asked + "The copper rivets too.")


def test_what_the_brief_asks_to_see_is_a_detail_and_the_place_it_happens_is_not():
    """"We need: the battery latch" asks for a part; "at the studio" names where, never what, to shoot."""
    assert "battery latch" in named("Volta e-bike. We need: the battery latch on the frame.")
    assert "kickstand" in named("Volta e-bike. Can we get the kickstand?")
    assert named("Volta e-bike. We need the final files by Friday at the studio.") == ""


def test_a_made_part_ending_in_ing_is_a_detail_and_a_wish_is_no_simile():
    """"The brass coupling" and "the casing" are parts (WordNet artifacts); "pouring" is an action. "I'd like the
    bushing" wishes for a shot, where "as clear as glass" compares and puts no glass in it."""
    from tools.details import _usable

    assert _usable(["the", "brass", "coupling"], "coupling", set()) and not _usable(["pouring"], "pouring", set())
    assert "bushing" in named("Orla sunglasses. I'd like an extreme close-up of the bronze bushing in the hinge.")
    compared = picks("Orla sunglasses. The lens is as clear as glass, ECU on the acetate temple.").candidates
    assert "temple" in {c.head for c in compared} and "glass" not in {c.head for c in compared}


def test_an_orienting_frame_in_an_ecu_list_is_not_a_detail_but_a_wide_part_is():
    orienting = named("Tidewater bracelet. ECU on the clasp, plus a wide of the pier at dusk.")
    assert "clasp" in orienting and "pier" not in orienting
    assert "brush" in named("Lacquer polish. ECUs: the gel sheen, or the wide lacquer brush dipped in red.")


def test_a_speaker_with_a_role_in_brackets_is_dropped_from_the_line():
    from tools.text import sentences

    assert sentences("Dana (client): we need the clasp\nMax (CD): and the hinge") == ("we need the clasp",
                                                                                   "and the hinge")


def test_the_first_word_of_a_deliverable_is_not_a_detail():
    """"the landing page hero" is where the image goes; "landing" (a WordNet artifact) is no part of the bag."""
    names = named("Harlow weekender. Channels: the landing page hero. Extreme close-ups of the brass buckle.")
    assert "buckle" in names and "landing" not in names


def test_a_word_is_typed_by_its_usual_sense_not_by_any_sense():
    """"Piping" is trim on a harness before it is a pipe (a machine part, like a harness in one of its senses): a
    noun is another whole of the product's kind only when its usual sense is."""
    assert "piping" in named("Orla dog harness. We want the reflective piping that lights up in headlights.")
    assert "baguette" not in named("Vesta loaf. We want the open crumb, and a baguette beside it.")


def test_a_written_result_on_a_thing_is_a_mark_and_the_act_is_not():
    """What a measuring or a making leaves on a thing is a mark a camera reads ("the reading on the phone", "the
    claim printed on the tube"); the same words for an act or a text nobody prints are no detail."""
    assert "reading on the phone" in named("Corvell glucose app. We want the reading on the phone, legible.")
    assert "caffeine" in named("Lumiq eye cream. We want the 5% caffeine claim printed on the tube.")
    assert "reading" not in named("Corvell glucose app. We want the reading of the room to feel calm, and the pod.")
    assert "claim" not in named("Lumiq eye cream. We want the claim approved by legal, and the pump.")


def test_a_length_before_a_part_measures_it_and_only_a_lens_is_camera_gear():
    assert "markings" in named("Ferrow tape measure. We want the 1mm markings printed on the blade, crisp.")
    assert "lens" not in named("Ferrow tape measure. Shoot it on a 100mm lens. We want the hook, crisp.")


def test_random_textures_asked_in_one_item_of_a_list_leave_the_other_items_alone():
    """A decorative request leaves out what it alone names, item by item: the other items of the same list are
    still the brief's selling details."""
    text = ("Orla shell jacket, notes\n- the taped seams inside the hood: that tape keeps you dry, must see it\n"
            "- the YKK zip, teeth closing\n- plus as many random macro textures as you can (lichen, bark, rope). "
            "doesn't need to relate to the jacket")
    names = named(text)
    assert "seams" in names and "zip" in names
    assert "lichen" not in names and "bark" not in names


def test_what_the_next_items_say_of_a_listed_part_decides_its_job():
    """"The wax seal: every bottle is dipped by hand" splits at the colon, and the second part says how the first
    is made; a second part that says what the seal proves gives the same seal the proof job."""
    def job(text: str) -> str:
        return next(d.category for d in picks(text).chosen if "seal" in d.name)

    listed = "Ferrow whisky.\nListed details:\n- the wax seal: every bottle {}\n- the label"
    assert job(listed.format("is dipped by hand at the distillery, so every drip runs differently")) \
        == "craftsmanship"
    assert job(listed.format("carries the excise number, proof it was bonded")) == "proof"


def test_a_list_after_what_the_buyer_cares_about_is_read_and_one_turned_down_is_not():
    cared = named("Quillmoor 900-piece set.\nWhat they care about: the stud clutch, the control-panel tiles, and the "
                  "translucent canopy on the cockpit.")
    assert "stud clutch" in cared and "tiles" in cared
    refused = picks("Quillmoor 900-piece set.\nWhat we don't care about: the manual, the stickers and the bag.")
    assert not [c for c in refused.candidates if c.source == "listed"]


def test_a_list_item_of_two_sentences_keeps_the_rest_of_the_list():
    """"- the edges. Every piece is sanded round by hand" ends a sentence inside one bullet; the bullets after it
    are still items of the list, and the making said after a copula with "by hand" is a detail."""
    names = named("Ferrow train set. Shots:\n- the edges. Every piece is sanded round by hand\n- the magnets")
    assert "magnets" in names and "hand-sanded piece" in names
    assert "sand" not in named("Ferrow train set. We want the magnets. Every piece is sanded round by machine.")


def test_a_spec_rows_label_over_a_part_it_names_is_one_detail():
    """"Hardware: aluminium V-buckle" is one feature: the label heads the row and the part is the shot."""
    names = named("Vesta trail harness - product page\nFabric: 500D nylon shell\nHardware: aluminium V-buckle, "
                  "rated 250 kg pull\nVisibility: 3M reflective piping along every edge")
    assert "v-buckle" in names and "reflective piping" in names
    assert "hardware" not in names and "fabric" not in names
    # a label whose row names no other part is the part itself
    names = named("Corvell Diver 300 - product page\nCase: 42 mm brushed steel\nBezel: 120-click\n"
                  "Lume: Super-LumiNova, glows for eight hours\nStrap: FKM rubber")
    assert "lume" in names
    assert "42 mm brushed steel" in names  # a unit keeps its number


def test_an_odd_number_of_frames_gives_the_ecus_the_middle_one():
    """Five stills and three named details: wide, ECU, mid, ECU, ECU; ECUs punctuate but take the odd frame."""
    brief = ("Ferrow gift box. What's special: a blind-embossed crane on the lid, gold foil edge gilding, and a "
             "magnetic closure that snaps shut. Need: {n} stills.")
    assert len(picks(brief.format(n=5)).chosen) == 3
    assert len(picks(brief.format(n=4)).chosen) == 2  # an even count still leaves half the frames to orient


def test_a_shots_description_is_no_detail_but_a_decade_is_no_running_time():
    from tools.details import _usable
    assert not _usable(["10s", "sound-test", "clip"], "clip", set())  # a clip's running time: a deliverable
    assert not _usable(["tyre", "on", "rim", "packshot"], "tyre", set())
    assert not _usable(["car", "on", "a", "wet", "road", "wide"], "car", set())  # the wide frame itself
    assert _usable(["1920s", "rose", "engine"], "engine", set())


def test_a_note_in_closing_brackets_leaves_the_item_its_part():
    names = named("Lumiq toy train. Shots:\n1. the seam where two colours meet\n2. the rounded corners (safety)\n"
                  "3. the CE mark burned into the base")
    assert "rounded corners" in names and "safety" not in names
    # brackets inside the item's name are no note: the part is named after them
    assert "sapphire" in named("Corvell watch. ECUs:\n1. the (anti-reflective) sapphire crystal\n2. the crown")


def test_a_part_a_clause_is_about_is_its_subject():
    from tools.details import clause_subject
    from tools.text import noun_phrase, tokenize

    def subject(text, word):
        tokens = tokenize(text)
        head = next(i for i, t in enumerate(tokens) if t.lower == word)
        return clause_subject(tokens, *noun_phrase(tokens, head))

    assert subject("The lid closes with a soft magnetic snap.", "lid")
    assert subject("Brass strap, and the buckle is hand-filed.", "buckle")
    assert not subject("We love the lid.", "lid")  # the object of someone's verb
    assert not subject("Show the buckles on the strap.", "buckles")


def test_marks_said_together_share_their_noun():
    """Two marks in capitals joined by "and" name one marking, not the first mark alone."""
    names = named("Product: Lumiq night light\nShow the CE and UKCA safety marking moulded into the base, "
                  "and the soft silicone shell.").splitlines()
    assert any("ce and ukca safety marking" in n for n in names)
    assert not any(n.startswith("ce ") and "ukca" not in n for n in names)
    # parts said together with their own articles stay two parts
    names = named("Product: Lumiq night light\nShow the LED and the USB port on the base.").splitlines()
    assert any("usb port" in n for n in names) and not any("led and" in n for n in names)


def _picks(brief: str):
    return pick_details(PickDetailsArgs(analysis=analyze_brief(AnalyzeBriefArgs(brief=brief))))


def _chosen(brief: str) -> list[str]:
    return [d.name for d in _picks(brief).chosen]


def _phrase(text: str, head_word: str) -> str:
    from tools.text import noun_phrase, span_text, tokenize

    tokens = list(tokenize(text))
    head = next(k for k, t in enumerate(tokens) if t.lower == head_word)
    return span_text(tokens, *noun_phrase(tokens, head))


def test_a_noun_that_ends_in_ly_modifies_like_any_noun():
    assert _phrase("held by walnut butterfly keys", "keys") == "walnut butterfly keys"  # a noun, not an adverb
    assert _phrase("the hinge assembly pins", "pins") == "hinge assembly pins"
    assert _phrase("really sharp keys", "keys") == "sharp keys"  # an adverb still is no part of the name
    assert _phrase("lovely stitching", "stitching") == "stitching"  # nor an -ly adjective of praise


def test_a_made_part_keeps_what_it_was_made_with():
    assert _phrase("the through-tenons wedged with walnut", "through-tenons") == "through-tenons wedged with walnut"
    assert _phrase("the tenons with a walnut tray beside them", "tenons") == "tenons"  # a plain "with" is not
    picks = _picks("The Corvell dining table. The hero is the through-tenons wedged with walnut.")
    assert any(d.name.startswith("through-tenons wedged with walnut") for d in picks.chosen)  # the thing, not "wedged"
    assert not any(d.name.startswith("walnut") for d in picks.chosen)  # the wood it was made with is that detail's


def test_moods_listed_are_no_details_but_a_seen_quality_or_a_coined_part_is():
    moods = _chosen("Orla hotel brand film. We want to capture warmth, joy and nostalgia, together, wherever guests "
                   "are.")
    assert not any(w in name for name in moods for w in ("warmth", "joy", "nostalgia", "together", "wherever"))
    parts = _chosen("Lumiq chocolate bar. Extreme close-ups of: the glossy temper, the foil wrapper, the Quillgrip "
                   "ridges.")
    assert any("temper" in n for n in parts) and any("quillgrip" in n.lower() for n in parts)


def test_a_verb_that_opens_an_instruction_is_no_detail_but_the_same_word_as_a_thing_is():
    told = _chosen("Ferrow drill driver. ECUs: the clutch collar, the fuel gauge, press the button and it lights up.")
    assert not any(n.startswith("press") for n in told) and any("gauge" in n for n in told)
    assert any("grip" in n for n in _chosen("Ferrow drill driver. ECUs: the clutch collar, the rubber grip."))


def test_a_list_named_by_its_role_after_it_is_read_item_by_item():
    listed = _chosen("Corvell boots. A wide of the pair on a porch, then the welt, the heel stack and the pull tab as "
                   "details.")
    assert all(any(part in n for n in listed) for part in ("welt", "heel stack", "pull tab"))
    single = _picks("Corvell boots. A wide of the pair on a porch, then the welt as details.")
    assert not any(c.source == "listed" for c in single.candidates)  # one thing named is no list
