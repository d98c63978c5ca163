"""Shots that must be real: how each shot's image is made, and why.

Image models garble legible text and marks, invent interfaces, and a generated likeness of a real
person needs that person's consent. So a detail whose message is legible text or a mark is planned
as `photograph`, a real app's or device's interface as `screen_capture`, and a real, named person's
shots as `photograph`; everything else is `generate`.

What a detail word means comes from the lexicon first (a mark whose surface reads as type, numerals,
print, handwriting or a stamp; a mechanism whose surface is a legible interface); the short lists
below name only what the lexicon does not carry. They live here and nowhere else.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel

from agent.models import Shot, ShotPlan
from tools.brief import BriefAnalysis
from tools.lexicon import DETAIL_TERMS, GENERIC_TERMS, STOPWORDS
from tools.text import sentences, singular, tokenize

# How the lexicon describes a surface whose message is read, not seen (whole words: a thumbprint is not print).
_READ_SURFACE = re.compile(r"\b(?:legible|print|printed|numerals?|handwritten|hand-signed|stamped|hallmark|logo|"
                           r"barcode)\b")
_INTERFACE_SURFACE = re.compile(r"interface|readout")
# What the lexicon does not name: marks read by eye or finger, and words that make any mark text.
# (singular forms: words are compared singular)
LEGIBLE_WORDS = frozenset({"braille", "watermark", "monogram", "initial", "lettering", "inscription", "wording",
                           "text", "typography", "lot", "batch", "expiry", "seal", "certificate", "qr", "name"})
PRINTED = frozenset({"printed", "handwritten", "lettered", "inscribed", "typeset"})  # text by themselves
# An engraved or embossed pattern is a texture; engraved words are text.
CUT_INTO = frozenset({"engraved", "embossed", "debossed", "stamped", "etched", "carved", "burned"})
TEXT_NOUNS = frozenset({"word", "letter", "number", "numeral", "date", "crest", "motto", "message", "quote"})
INTERFACE_WORDS = frozenset({"ui", "app", "dashboard", "menu", "widget", "touchscreen", "homescreen", "lockscreen"})
# Roles that put a person, not a product, after or before a name.
ROLE_WORDS = frozenset({"founder", "co-founder", "maker", "artisan", "chef", "designer", "owner", "master",
                        "perfumer", "ambassador", "craftsman", "craftswoman", "creator", "farmer", "grandmother"})
BODY_WORDS = frozenset({"hand", "hands", "finger", "fingers", "fingertip", "fingertips", "face", "eye", "eyes",
                        "lip", "lips", "skin", "palm", "palms", "portrait", "smile", "wrist", "knuckle"})
# A maker is seen by their hands; a face or skin in a campaign is usually a model's, not the named person's.
HAND_WORDS = frozenset({"hand", "finger", "fingertip", "palm", "knuckle", "wrist"})


class ChooseSourcesArgs(BaseModel):
    analysis: BriefAnalysis
    plan: ShotPlan


def _words(text: str) -> list[str]:
    return [singular(t.lower) for t in tokenize(text) if t.is_word]


def legible_reason(name: str) -> str | None:
    """Why a detail's message is legible text or a mark, or None when it is not."""
    words = _words(name)
    for word in words:
        term = None if word in GENERIC_TERMS else DETAIL_TERMS.get(word)  # "note" may be music, "mark" anything
        if word in LEGIBLE_WORDS or (term and term.kind == "mark" and _READ_SURFACE.search(term.material)):
            return f"its message is legible text or a mark ({word}); image models garble type and marks"
    lowered = name.lower().split()
    if any(w in PRINTED for w in lowered) or (any(w in CUT_INTO for w in lowered) and TEXT_NOUNS & set(words)):
        return "its message is printed, engraved or stamped text; image models garble type and marks"
    return None


def interface_reason(name: str) -> str | None:
    words = _words(name)
    for word in words:
        term = DETAIL_TERMS.get(word)
        if word in INTERFACE_WORDS or (term and _INTERFACE_SURFACE.search(term.material)):
            return f"it shows a real interface ({word}); capture the real screen rather than invent one"
    return None


_NAME = re.compile(r"\b[A-Z][a-zà-ÿ-]+(?:\s+[A-Z][a-zà-ÿ-]+){1,2}(?:['’]s)?(?![\w'’])")
_OF_A_PLACE = frozenset({"of", "at", "from", "for", "in"})  # "founder of Lumen Botanicals" names a company


NAME_REACH = 40  # characters each side of a name where its role ("our founder", ", head chef") stands


def named_people(text: str, product: str = "") -> list[str]:
    """Real people the brief names (see _named_people); a fresh list each call."""
    return list(_named_people(text, product))


@lru_cache(maxsize=64)
def _named_people(text: str, product: str = "") -> tuple[str, ...]:
    """Real people the brief names: a two- or three-word proper name with a role beside it
    ("our founder Maria Okafor", "Maria Okafor, our head chef", "made by master tailor Jun Ito")."""
    found: list[str] = []
    for sentence in sentences(text):
        for match in _NAME.finditer(sentence):
            name = match.group()
            words = name.split()
            if name.lower() in product.lower() or any(w.lower() in STOPWORDS or w.lower() in ROLE_WORDS for w in words):
                continue
            # a role stands right beside the name: read a few words each side, never the rest of a long sentence
            before = [t.lower for t in tokenize(sentence[max(0, match.start() - NAME_REACH):match.start()])
                      if t.is_word][-2:]
            rest = sentence[match.end():match.end() + NAME_REACH]
            after = [t.lower for t in tokenize(rest) if t.is_word][:3]
            possessive = name.endswith(("'s", "’s"))
            role_before = _is_role(before) and before[-1] not in _OF_A_PLACE
            # "Maria Okafor, our head chef" or "Maria Okafor (founder)": an apposition, not a later noun
            role_after = (_is_role(after[:1]) or rest.lstrip().startswith((",", "("))) and _is_role(after)
            if role_before or role_after or (possessive and any(w in BODY_WORDS for w in after[:2])):
                clean = re.sub(r"['’]s$", "", name)
                if clean not in found:
                    found.append(clean)
    return tuple(found)  # cached: callers get a value they cannot change


def _is_role(words: list[str]) -> bool:
    return any(w in ROLE_WORDS or (w.endswith(("smith", "maker")) and len(w) > 6) for w in words)


def _shows_person(shot: Shot, people: list[str]) -> str | None:
    """The named person this shot shows: its detail names them, their body, or "maker"."""
    if not people or shot.detail is None:
        return None
    text = f"{shot.detail.name} {shot.note}"
    words = {re.sub(r"['’]s$", "", t.lower) for t in tokenize(text) if t.is_word}
    for person in people:
        if any(part.lower() in words for part in person.split()):
            return person
    if any(w in HAND_WORDS or w in ROLE_WORDS for w in _words(text)):
        return people[0]
    return None


def source_of(shot: Shot, people: list[str], product: str = "") -> tuple[str, str]:
    """(source, reason) for one shot; reason is empty for `generate`. Text and marks of a product that is
    itself an interface (an app, a dashboard) live on its screen: they are screen captures."""
    if person := _shows_person(shot, people):
        return "photograph", (f"shows {person}, a real, named person: photograph them (with consent), "
                              "never a generated likeness")
    name = shot.detail.name if shot.detail else ""
    if name and (why := interface_reason(name)):
        return "screen_capture", why
    if name and (why := legible_reason(name)):
        if on_screen := interface_reason(product):
            return "screen_capture", f"{why}; {on_screen.split(';')[0].replace('it shows', 'the product is')}"
        return "photograph", why
    return "generate", ""


def choose_sources(args: ChooseSourcesArgs) -> ShotPlan:
    """Decide for every shot whether it is generated, photographed or screen-captured, with the reason."""
    plan = args.plan.editable()
    people = named_people(args.analysis.text, args.analysis.summary.product)
    for shot in plan.shots:
        if shot.source != "generate" and shot.source_reason:
            continue  # decided already (in review, or by a model): kept
        shot.source, shot.source_reason = source_of(shot, people, args.analysis.summary.product)
    return plan
