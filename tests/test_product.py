"""The product reader: candidates from every reader, chosen by the product model (`tools/learned.py`), with the
explicit rules beside it. Names here are made up; each rule has a case where it must not fire."""

from __future__ import annotations

from tools.brief import find_product, product_choices


def _product(brief: str) -> str:
    return find_product(brief)[0]


def test_a_brief_about_a_brand_names_the_brand_and_its_speakers_are_no_product():
    brief = ("From: Nell\nSubject: spring campaign\n\nHi all, Quillmoor Farms turns fifty this year. We want "
             "Quillmoor to feel warm, rooted and generous. Thanks, Nell")
    assert "Quillmoor" in _product(brief)
    chat = "Priya 10:02\nok the Vesta oat latte shoot is Tuesday\nDan 10:03\nsure, we'll get the foam"
    assert "latte" in _product(chat).lower() and "Priya" not in _product(chat) and "Dan" not in _product(chat)


def test_what_a_thing_is_made_for_is_not_the_product_but_what_a_film_is_made_for_is():
    assert "gift box" in _product("Our new gift box for Marrow tea: foil on the lid and a paper seal.")
    assert "Marrow tea" in _product("Shot list for the Marrow tea launch: the leaves unfurling.")


def test_what_a_meeting_with_a_firm_is_for_is_the_product():
    """"A call with Maison Arlo for the Velours lipstick": a firm or a call is no made thing the lipstick is for."""
    brief = "Hi team, notes from the call with Maison Arlo for the Velours lipstick relaunch. Shoot is 3 Oct."
    assert "lipstick" in _product(brief)
    assert "gift box" in _product("Our new gift box for Velours lipstick: foil on the lid and a ribbon pull.")


def test_a_title_of_seven_words_is_a_name_and_a_title_sentence_is_not():
    assert _product("CREATIVE BRIEF: Glen Corran 18 Year Old Sherry Cask\nClient: Corran Ltd\n\nWe want the wax "
                    "seal.") == "Glen Corran 18 Year Old Sherry Cask"
    assert "we" not in _product("Brief: we are making a lovely film about our Corran whisky\n\nECU: the wax seal.")


def test_how_a_thing_is_stitched_is_no_product_and_a_stitched_bag_still_is():
    brief = "Launch film for the Corran holdall, a waxed canvas bag saddle stitched by hand with brass rivets."
    assert "saddle" not in _product(brief).lower()
    assert find_product("Our new tote bag stitched by hand.")[1] == "bag"


def test_the_line_after_a_pasted_lead_titles_the_brief():
    brief = "Marketplace listing (copied from the seller portal, draft):\n\nBrenna Pro Linen Tea Towels, 4 pack\n- 300gsm"
    assert "towel" in _product(brief).lower()
    assert _product("product = smoked almond butter, the big jar\n- hero: the swirl") == "smoked almond butter"


def test_a_chat_channel_named_after_the_brand_supports_it():
    brief = "#launch-lumiq\nana 9:03\nlumiq is the budgeting app for couples, we want the round-up moment\nbo 9:04\nok"
    assert "lumiq" in _product(brief).lower()
    assert any(c.features.get("in_channel_name") for c in product_choices(brief))
    assert not any(c.features.get("in_channel_name") for c in product_choices("lumiq is the budgeting app."))


def test_saying_what_the_thing_is_gives_its_name_and_a_pronoun_gives_none():
    assert _product("Northwind is our new trail shoe, built for wet rock.") == "Northwind trail shoe"
    assert _product("It is the best bag we have made.") == "best bag"


def test_a_name_put_before_its_phrase_says_shared_words_once():
    from tools.brief import _joined

    assert _joined("Orla Studio Oak", "Studio Oak Stool") == "Orla Studio Oak Stool"
    assert _joined("Northwind", "trail shoe") == "Northwind trail shoe"  # nothing shared: both whole
    assert _joined("Ardent Lab Gel", "Gel Ardent") == "Ardent Lab Gel"  # only its own words: the name
    product = _product("Ferrow Glaze Gel-Finish Hand Cream, 6 scents launching together (Fig, Moss, Tide).")
    assert product == "Ferrow Glaze Gel-Finish Hand Cream"


def test_a_noun_given_a_running_time_is_a_film_not_the_thing_sold():
    from tools.brief import _timed
    assert _timed("bumper", "the bumpers run 6s.") and _timed("bumper", "two 15s bumpers for youtube")
    assert not _timed("kettle", "the kettle boils in 90s") and not _timed("kettle", "the kettle, 3 litres")
