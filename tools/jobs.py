"""Which job a detail does in the campaign: craftsmanship, emotion, proof or story hook.

The brief decides, in this order of weight: a clause that says what the detail is for
("so shoppers can check it is real silver", "that is the freshness proof", a claim the brief
sets out to prove), cue words in the detail's own clause, cue words in the sentences around
it. The detail word's usual job and the vertical's habit (a texture is craft in fashion,
proof in skincare) break ties. Cue patterns are lower case and run on folded text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tools.language import wordnet
from tools.lexicon import GENERIC_TERMS, STOPWORDS, DetailTerm
from tools.templates import template
from tools.text import fold, singular

PURPOSE_REACH = 200  # characters after a detail where its purpose clause may stand
# What a detail's words mean decides between jobs the cue words leave open:
INFORMATION_WEIGHT = 1.5  # a detail that is legible information (a code, a date, a label, a reading) is evidence
CERTIFIED_WEIGHT = 2.0  # a mark with a certifying body's acronym ("FSC logo") is evidence, past any habit (1.6)
INTERACTION_WEIGHT = 2.0  # a part shown being operated ("clicking into", "pressing the dial") is a micro-interaction
# Marks that ornament rather than inform: a logo or a monogram shows the making, not a fact.
_ORNAMENT_MARKS = frozenset({"logo", "monogram", "emblem", "crest", "initial", "initials", "motif", "pattern",
                             "insignia"})
# In the progressive or third person after the part ("the pin clicking into the lug", "the dial clicks"),
# not a participle before it ("pressed pigment", "turn lock").
_OPERATED = re.compile(r"\b(?:press|tap|click|snap|slid|slide|turn|twist|flip|swip|toggl|pop|lock|latch|clip|releas|"
                       r"spin|push|pull|peel|squeez|dispens|engag)\w*?(?:ing|s)\b")
# A part changing state as the viewer watches (a light pulsing, a gauge filling, gel clinging): both the words
# after a detail and a phrase running on from its head noun read these stems.
CHANGE_STEMS = "cling|puls|flash|blink|fill|settl"
# The detail shown doing its job, in the words right after it: "lugs gripping wet tile", "ink that doesn't bleed
# through", "ridges that keep the lid from sliding", "water beading on the shell". A demonstration is evidence.
_WORKING = re.compile(r"^\W*(?:(?:that|which|as|while|and)\s+)?(?:(?:still|visibly|actually|really)\s+)?"
                      r"(?:(?:grip|hold|keep|stop|prevent|repel|resist|withstand|survive|shed|bead|wick|block|seal|"
                      r"absorb|protect|lock out|glow|lights? up|lighting up|change|indicat|show|read|measur|detect|"
                      rf"filter|catch|{CHANGE_STEMS}|"
                      r"trap|cool|warm|dissolv|foam|lather|spread|pour|flow|dispens)\w*"
                      r"|(?:doesn'?t|does not|won'?t|will not|never|can'?t|cannot|not)\s+\w+"
                      r"|with(?:out)?\s+(?:no\s+)?(?:a\s+)?(?:slip|leak|drip|bleed|smudge|streak|fog|residue|rust|"
                      r"crack|spill)\w*)\b")


def shown_working(after: str) -> bool:
    """Whether the words right after a detail show it doing its job (a demonstration, so evidence)."""
    return bool(_WORKING.match(fold(after)))


# A property the product claims against what wears it, in its own words: "waterproof", "chlorine-resistant".
RESISTANCE = (r"\w+proof|\w+[- ]resistant|repel\w*|hydrophobic|dwr|water-?tight|wipe[- ]clean|leak[- ]?free|non-stick|"
              r"beads? up|rolls? (?:straight )?off|sheds? (?:water|rain)")
_CUES: dict[str, re.Pattern[str]] = {
    "proof": re.compile(r"\b(?:prove|proof|proves|evidence|handwrit|hand-writ|dated?\b|numbered|batch|certif|tested|"
                        r"tests?\b|rated\b|assay|approved|complian|"
                        r"clinical|ingredient|transparen|guarantee|demonstrat|verif|tamper|claim|really works|"
                        # a micro-interaction, and a claim a patent or a standard stands behind
                        r"click\w*|snap\w* shut|swip\w*|toggl\w*|counter\b|micro-?interaction|animation|"
                        r"patent\w*|standards?\b|"
                        rf"(?:{RESISTANCE})\b|"  # a claimed property the detail makes visible
                        r"intact|untampered|unopened|safety|limited|"  # integrity
                        r"before (?:and|vs\.?|versus|/) after|side[- ]by[- ]side)"),
    "craftsmanship": re.compile(r"\b(?:craft|handmade|hand-|by hand|artisan|finish|precision|precise|quality|"
                                r"(?<!factory-)(?<!mass-)(?<!machine-)made|maker|workshop|construction|built|engineer|"
                                r"machined|meticulous|tailor|woven|"
                                r"weav|braid|stitch|sewn|binding|knit|polish|carv|engrav|emboss|deboss|tooled|forged|"
                                r"varnish|lacquer|glaz)"),
    "emotion": re.compile(r"\b(?:feel|feeling|emotion|intimate|tension|anticipation|joy|calm|longing|human|relief|"
                          r"connection|nervous|excite|delight|touch|tender|moment of)"),
    # "the hook", not the parts called hooks ("nickel lacing hooks", "a hook-and-loop strap")
    "story_hook": re.compile(r"\b(?:tease|teaser|mystery|hint|clue|curiosity|hook(?!s\b|[- ]and)|intrigue|question|"
                             r"story|secret|suspense|opener|scroll-stop|thumb-stop|what am i|guess)"),
}
_TEASER = re.compile(r"\bteas(?:er|e|ing)\b|\bmyster(?:y|ious)\b|\bwhat am i\b|\bguess\w*\b|\bpuzzle\b|\bcountdown\b",
                     re.IGNORECASE)


@lru_cache(maxsize=64)
def is_teaser(text: str) -> bool:
    """A teaser hides the product on purpose: its details work as clues."""
    return len(_TEASER.findall(text)) >= 1


def informs(head: str) -> bool:
    """Whether a detail's head noun names legible information: its usual sense is something written or a time
    (label, code, date, reading, certificate), not an ornament (logo, monogram)."""
    senses = wordnet.noun_senses(head)[:1]
    return head not in _ORNAMENT_MARKS and any(sense in {"communication", "time"} for sense in senses)


def choose_job(term: DetailTerm | None, context: str, vertical: str, near: str = "", teaser: bool = False,
               purpose: str = "", head: str = "", acronym: bool = False, working: bool = False,
               resists: bool = False) -> str:
    """The detail's job. Two explicit rules first: a purpose clause naming one job decides ("... because buyers
    ask if it is solid gold"), and a part shown doing its job is proof. Otherwise a vote: cue words near the
    detail count double, the sentences around it once.

    Only jobs the term can honestly do take part in the vote; the term's usual job and the
    vertical's habit (a texture is craft in fashion, proof in skincare) add weight.
    """
    allowed = [term.category, *term.also] if term else list(_CUES)
    if teaser and (term is None or term.kind != "face"):
        allowed = list(dict.fromkeys(allowed + ["story_hook"]))  # in a teaser every fragment is a clue
    purpose = fold(purpose)
    # A purpose clause may give a part any job but feeling ("the foam head, proves it is fresh"): only a person's
    # features carry emotion. A face keeps its own jobs: "real" there asks for an unacted look, not evidence.
    face = term is not None and term.kind == "face"
    if face:
        purpose = _REAL.sub("", purpose)
    open_to = allowed if face else list(dict.fromkeys([*allowed, "proof", "craftsmanship", "story_hook"]))
    said = [cat for cat in open_to if _PURPOSE_CUES[cat].search(purpose)]
    if len(said) == 1:
        return said[0]  # what the brief says the detail is for ("because buyers ask if it is solid gold") decides
    if working and not said and (term is None or term.kind != "face"):  # a gesture stays feeling
        return "proof"  # a part shown doing its job demonstrates a claim unless the brief says what else it is for
    if resists and not said and term is not None and term.kind == "liquid":
        return "proof"  # rain beading off a waterproof shell is the claim at work, not a clue
    near_cues, context_cues = _cue_counts(fold(near)), _cue_counts(fold(context))
    if near_cues["proof"] and "proof" not in allowed and not face:
        allowed.append("proof")  # the detail's own clause calls it evidence ("the grain, tested to 40 kg")
    votes = {cat: 2 * near_cues[cat] + context_cues[cat] + 3 * min(len(_PURPOSE_CUES[cat].findall(purpose)), 2)
             for cat in allowed}
    if term is not None:
        votes[term.category] += 1.5  # the usual job unless the brief clearly says otherwise
    habits = template(vertical)
    if term is None or term.kind == "texture":
        if habits.texture_category in votes:
            votes[habits.texture_category] += 1.6
    elif term.kind in {"mechanism", "mark"} and habits.default_category in votes:
        votes[habits.default_category] += 1.0
    if teaser and "story_hook" in votes:
        votes["story_hook"] += 2.6
    if "proof" in votes:
        operated = term is not None and term.kind == "mechanism" and bool(_OPERATED.search(fold(near)))
        # an acronym on a mark names who certifies it ("FSC logo", "CE mark"): information, not ornament
        votes["proof"] += (CERTIFIED_WEIGHT * acronym or INFORMATION_WEIGHT * informs(head)) \
            + INTERACTION_WEIGHT * operated
    top = max(votes.values())
    return next(cat for cat in allowed if votes[cat] == top)


_REAL = re.compile(r"\breal\b")
_RESISTS = re.compile(rf"\b(?:{RESISTANCE})\b")


@lru_cache(maxsize=64)
def claims_resistance(text: str) -> bool:
    """Whether the brief claims the product keeps liquids out or off ("waterproof", "repels stains")."""
    return bool(_RESISTS.search(fold(text)))


@lru_cache(maxsize=256)
def _cue_counts(text: str) -> dict[str, int]:
    """Cue words per job; cached, because every detail in a sentence shares its context."""
    return {cat: len(cues.findall(text)) for cat, cues in _CUES.items()}


# A clause after the detail that says what it is for: "... so shoppers can check it is real silver".
_PURPOSE_LEAD = re.compile(r"\b(?:so|so that|to show|to prove|showing|shows|proving|proves|because|which|that|that's|"
                           r"thats|"
                           r"as proof|"
                           r"tells?|telling|lets?|letting|leave|leaving|making|makes)\b"
                           r"|\|")  # the next column of a storyboard table: "| texture you can feel, quality build |"
_NEXT_ITEM = re.compile(r"[;:.!?]|\|\s*\d|,\s*(?:and\s+|then\s+|plus\s+)?(?:the|a|an|her|his|their|its|our|one|another|"
                        r"lastly|finally)\b"
                        r"|\band\s+(?:the|a|an|her|his|their)\b|\bthen\b")
# What the purpose clause asks of the viewer, by job.
_PURPOSE_CUES: dict[str, re.Pattern[str]] = {
    "proof": re.compile(r"\b(?:trust\w*|genuine\w*|authentic\w*|assay\w*|proof|prove[sn]?|proving|evidence|verif\w*|"
                        r"works?|real|really is|actually (?:works?|is|does|holds?|lasts?)|"
                        r"certif\w*|tested|counterfeits?|fakes?|legit\w*|fresh\w*|aged|"
                        r"intact|untampered|unopened|safe\w*|sealed|accura\w*|fact[- ]check\w*|"
                        r"tells? (?:\w+ ){1,2}(?:which|what|how|whether|if|that|it'?s|its|they'?re)|"
                        r"tells? (?:people|buyers|them|you|viewers|customers|parents|shoppers|readers)|"
                        r"ask\w* (?:if|whether)|"
                        # the viewer checks it with their own eyes: "so buyers can check ...", "people can count them"
                        r"so (?:that )?(?:you|people|they|buyers|viewers|customers|parents|shoppers|patients) "
                        r"(?:can |could |will )?(?:know|check|count|tell|verify|read)\b|(?:you|people) can count|"
                        r""  # "people keep asking whether it is waterproof": the detail answers them
                        r"\d+(?:\.\d+)?\s?(?:mm|µm|microns?|ml|g|w|mah|%))(?!\w)"),  # a spec the frame makes visible
    "craftsmanship": re.compile(r"\b(?:craft\w*|handmade|hand-\w+|by hand|skill\w*|precision|precise|quality|"
                                r"made|finish(?:ed)?|built|care(?:fully)?)\b"),
    "emotion": re.compile(r"\b(?:feel\w*|emotion\w*|intimate|tender\w*|warmth|human|connect\w*|relat\w*|joy|calm)\b"),
    "story_hook": re.compile(r"\b(?:wonder\w*|never explain\w*|unexplained|myster\w*|curious|curiosity|question\w*|"
                             r"intrigu\w*|teas\w*|clue|hook\w*|guess\w*)\b"),
}


def purpose_after(sentence: str, offset: int) -> str:
    """The purpose clause right after a detail (up to the next listed item), or ""."""
    rest = sentence[offset:offset + PURPOSE_REACH]
    stop = _NEXT_ITEM.search(rest)
    rest = rest[:stop.start()] if stop else rest
    lead = _PURPOSE_LEAD.search(fold(rest))
    return rest[lead.start():] if lead else ""


_CLAIM = re.compile(r"\b(?:prove[sn]?|proving|proof of|proof that|demonstrat\w*|show(?:s|ing)? that)\W+"
                    r"((?:(?:\([^()]{0,40}\)|[\w'’-]+)[\s,]*){1,8})", re.IGNORECASE)  # a bracket inside it is read too


@lru_cache(maxsize=64)
def _claims(text: str) -> frozenset[str]:
    """Words of what the brief says it must prove ("Aim: show it survives a drop without quoting a test")."""
    return frozenset(singular(w.lower().strip("()")) for m in _CLAIM.finditer(text) for w in m.group(1).split()
                     if len(w) > 2 and w.lower() not in STOPWORDS)


def claim_about(text: str, words: tuple[str, ...]) -> str:
    """"proof" when the detail shows the very thing the brief sets out to prove, else ""."""
    named = {singular(w) for w in words if w not in STOPWORDS} - GENERIC_TERMS
    return "proof" if named & _claims(text) else ""


_THIS_IS = re.compile(r"^(?:this|that|it|these|those)(?:\s+\w+){0,2}?(?:'s|\s+(?:is|are|was|shows?|proves?|tells?|"
                      r"makes?))\b",
                      re.IGNORECASE)
_OPEN_QUESTION = re.compile(r"^[^?]{0,40}\b(?:who|what|where|why|how)\b[^?]*\?\s*$", re.IGNORECASE)


def said_after(sentence: str) -> str:
    """A following sentence that says what the detail before it is for, or "".

    "That is the freshness proof." / "the snap tells you it is sealed." say it outright; an open
    question right after ("Linger there: whose letter is it?") makes the detail a story hook.
    """
    if _THIS_IS.match(sentence):
        return sentence[:PURPOSE_REACH]
    return "question" if _OPEN_QUESTION.match(sentence) else ""


_WHY = {
    "craftsmanship": "shows the making up close, signalling {goal}",
    "proof": "visible evidence of {goal} the viewer can check with their own eyes",
    "emotion": "carries the human feeling of {goal} faster than copy can",
    "story_hook": "a small clue that pulls the viewer in and sets up {goal}",
}
_DEFAULT_GOAL = {
    "craftsmanship": "quality", "proof": "the claim", "emotion": "using it", "story_hook": "the reveal",
}


def why(category: str, sentence: str = "", goals: list[str] | tuple[str, ...] = ()) -> str:
    """One line on what the detail does: the goal its sentence speaks of, else the brief's first goal."""
    lower = fold(sentence)  # cached: every detail of a run-on list asks for the same sentence
    goal = next((g for g in goals if g.split()[0][:5] in lower), goals[0] if goals else _DEFAULT_GOAL[category])
    return _WHY[category].format(goal=goal)
