from __future__ import annotations

from agent.models import MAX_ECUS
from tools.brief import AnalyzeBriefArgs, analyze_brief
from tools.details import PickDetailsArgs, pick_details


def picks(text, **kw):
    return pick_details(PickDetailsArgs(analysis=analyze_brief(AnalyzeBriefArgs(brief=text)), **kw))


def test_listed_details_become_concrete_categorised_ecus(leather_brief):
    chosen = {d.name: d.category for d in picks(leather_brief).chosen}
    assert chosen["saddle stitching along the handle"] == "craftsmanship"
    assert any("brass buckle" in name for name in chosen)
    assert any("grain of the leather" in name for name in chosen)
    assert all(len(name.split()) <= 10 for name in chosen)


def test_job_follows_the_brief_not_just_the_word():
    proof = picks("Our Kinfolk gin bottle is sealed with hand-dipped wax. The wax seal proves each bottle is "
                  "untampered, so give it an extreme close-up.").chosen
    assert any("seal" in d.name and d.category == "proof" for d in proof)
    hook = picks("Teaser for the Orbit phone: an extreme close-up of a single droplet sliding down the glass, "
                 "a clue to the waterproofing reveal next week.").chosen
    assert any("droplet" in d.name and d.category == "story_hook" for d in hook)


def test_details_in_comparisons_or_negations_are_not_shots():
    names = [d.name for d in picks("Folio e-reader: an extreme close-up of one printed word on the screen, as sharp "
                                   "as ink on paper. No fingerprints anywhere.").chosen]
    assert any("word" in n for n in names)
    assert not any("ink" in n or "fingerprint" in n for n in names)


def test_too_few_named_details_are_filled_from_the_vertical():
    chosen = picks("Launch of our Velvet serum for dry skin on Instagram.").chosen
    assert len(chosen) >= 2
    assert all(d.why for d in chosen)


def test_a_campaign_carries_few_ecus_unless_the_brief_insists():
    many = ("Pine & Co oak table. Extreme close-ups of the dovetail joints, the oil finish, the end grain, the brass "
            "inlay, the chamfered edge, the knot in the top, the maker's stamp and the felt feet.")
    assert len(picks(many).chosen) <= 5
    insisted = many + " Every single frame should be an extreme close-up, ten of them."
    assert len(picks(insisted).chosen) > MAX_ECUS - 1
