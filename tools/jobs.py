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

from tools import learned
from tools.language import wordnet
from tools.lexicon import GENERIC_TERMS, STOPWORDS, DetailTerm
from tools.templates import template
from tools.text import fold, singular, tokenize

PURPOSE_REACH = 200  # characters after a detail where its purpose clause may stand
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


def job_features(term: DetailTerm | None, context: str, vertical: str, near: str = "", teaser: bool = False,
                 purpose: str = "", head: str = "", acronym: bool = False, working: bool = False,
                 resists: bool = False) -> dict[str, float]:
    """What the brief and the detail's words say about its job, as named features (weighed by `tools/learned.py`):
    see `_job_features`. Each caller gets its own copy of the cached features."""
    return dict(_job_features(term, context, vertical, near, teaser, purpose, head, acronym, working, resists))


@lru_cache(maxsize=1024)  # a run-on paste repeats its sentences
def _job_features(term: DetailTerm | None, context: str, vertical: str, near: str = "", teaser: bool = False,
                  purpose: str = "", head: str = "", acronym: bool = False, working: bool = False,
                  resists: bool = False) -> dict[str, float]:
    """The cue words near the detail, in the sentences around it and in its purpose clause, per job; the term's
    usual job and the jobs it can honestly do; its kind; the vertical's habit for that kind; the first WordNet
    sense of its head; and the demonstrations the readers saw (a part shown working or operated, a drop on a
    product that resists liquids, a certifying acronym, legible information, a teaser).
    """
    face = term is not None and term.kind == "face"
    purpose = fold(purpose)
    if face:
        purpose = _REAL.sub("", purpose)  # on a face "real" asks for an unacted look, not evidence
    features: dict[str, float] = {f"kind={term.kind if term else 'none'}": 1.0}
    if term is not None:
        features[f"usual={term.category}"] = 1.0
        features.update({f"can={job}": 1.0 for job in term.also})
    near_cues, context_cues = _cue_counts(fold(near)), _cue_counts(fold(context))
    for job in _CUES:
        features[f"near:{job}"] = min(near_cues[job], 3)
        features[f"context:{job}"] = min(context_cues[job], 4) / 2
        features[f"purpose:{job}"] = min(len(_PURPOSE_CUES[job].findall(purpose)), 2)
    habits = template(vertical)
    if term is None or term.kind == "texture":
        features[f"habit={habits.texture_category}"] = 1.0
    elif term.kind in {"mechanism", "mark"}:
        features[f"habit={habits.default_category}"] = 1.0
    features[f"vertical={habits.name}"] = 1.0
    for sense in wordnet.noun_senses(head)[:1]:
        features[f"sense={sense}"] = 1.0
    features.update(clause_words(near))
    operated = term is not None and term.kind == "mechanism" and bool(_OPERATED.search(fold(near)))
    for name, on in (("teaser", teaser), ("working", working), ("resists", resists and term is not None
                                                                 and term.kind == "liquid"),
                     ("operated", operated), ("acronym", acronym), ("informs", informs(head))):
        if on:
            features[name] = 1.0
    return {name: value for name, value in features.items() if value}


def clause_words(near: str) -> dict[str, float]:
    """The words of the detail's own clause by base form ("gripping" -> grip, "seams" -> seam): what a part does
    and what is said of it right there ("lugs gripping wet rock", "stitched by hand") decide most jobs."""
    found: dict[str, float] = {}
    for token in tokenize(near):
        word = token.lower
        if token.is_word and word not in STOPWORDS:
            found[f"word:{wordnet.lemma(word, 'v') if wordnet.verb_form(word) else singular(word)}"] = 1.0
    return found


def open_jobs(features: dict[str, float]) -> list[str]:
    """The jobs a detail may be given, its usual job first: a detail no term knows may do any; a face keeps its
    own jobs; a part may make, prove or hint, and gets feeling only when its term says it can (only a person's
    features carry emotion)."""
    usual = [name.removeprefix("usual=") for name in features if name.startswith("usual=")]
    if not usual:
        return list(_CUES)
    jobs = usual + [name.removeprefix("can=") for name in features if name.startswith("can=")]
    if "kind=face" in features:
        return jobs
    return list(dict.fromkeys([*jobs, "proof", "craftsmanship", "story_hook"]))


def ruled_job(features: dict[str, float], jobs: list[str]) -> str | None:
    """The job an explicit rule gives, else None: a purpose clause naming one open job decides ("... because
    buyers ask if it is solid gold"); a part shown doing its job, or a drop on a product that resists liquids,
    is proof unless the brief says what else it is for (a face's gesture stays feeling)."""
    said = [job for job in jobs if features.get(f"purpose:{job}")]
    if len(said) == 1:
        return said[0]
    if not said and ((features.get("working") and "kind=face" not in features) or features.get("resists")):
        return "proof"
    return None


def decide_job(features: dict[str, float]) -> str:
    """The detail's job: an explicit rule's, else the trained model's best open job."""
    jobs = open_jobs(features)
    return ruled_job(features, jobs) or learned.best_job(features, jobs)


def choose_job(term: DetailTerm | None, context: str, vertical: str, near: str = "", teaser: bool = False,
               purpose: str = "", head: str = "", acronym: bool = False, working: bool = False,
               resists: bool = False) -> str:
    """The detail's job: its features (`job_features`) read by `decide_job`."""
    return decide_job(job_features(term, context, vertical, near, teaser, purpose, head, acronym, working, resists))


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
