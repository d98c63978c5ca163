"""Spot ECU misuse in a brief's own wording.

Each misuse kind is described by small vocabularies (what an ECU is called,
what "everything" sounds like, what an exaggerated face sounds like, ...) and
rules that combine them inside one clause. A match that is negated ("no soft
focus", "nothing over the top") does not count, except for rules that are
themselves a refusal ("no need for product shots", "doesn't need to mean
anything"). Evidence is the clause that raised it, so a flag can quote it.
Patterns are lower case and run on `fold(text)` (see tools.text.fold).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from tools.text import COUNT, count_value, fold, negated_at


def _any(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


ECU = _any(r"extreme[- ]close[- ]?ups?", r"ecus?", r"(?:ultra|super|extreme)?[- ]?macros?(?: shots?| frames?)?",
           r"detail shots?", r"super[- ]tight(?: crops?)?", r"tight crops?", r"close[- ]?ups?", r"closeups?",
           r"microscop\w+", r"magnif\w+", r"zoomed(?: in)?", r"crop(?:ped)? (?:in|into|tight)\w*",
           r"pressed (?:right )?up against", r"millimet\w+ from")
FRAME = _any(r"frames?", r"shots?", r"slides?", r"images?", r"assets?", r"scenes?", r"posts?", r"tiles?", r"clips?",
             r"visuals?", r"cards?", r"panels?", r"placements?", r"cuts?", r"stills?", r"beats?", r"pieces?",
             r"campaign", r"thing", r"video", r"film", r"spot", r"ad", r"ads", r"seconds", r"edit", r"sequence",
             r"reel")
ORIENTING_WORD = _any("wide", "mid", "medium", "establishing", "orienting", "pack", "packshot", "pack shot", "hero",
                      "context", r"full[- ]product", "product", "lifestyle", "full", "jar", "bottle", "model's face")
ORIENTING = rf"{ORIENTING_WORD}(?:\s*(?:or|and|/|,)\s*{ORIENTING_WORD})?"
NUMBER = _any(r"\d+", "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen", "twenty")
FACE = _any(r"faces?", r"eyes?", r"eyebrows?", r"brows?", r"lips?", "tears", r"mouths?", r"expressions?", "talent",
            r"models?", r"actors?", r"performers?", r"reactions?", "teeth", r"jaws?", r"runners?", r"athletes?", "her",
            "his", "their", "she", "he")
INTENSE = _any(r"exaggerat\w*", r"over[- ]the[- ]top", r"theatrical\w*", r"melodramatic", r"massive", r"huge",
               r"intense",
               # "extreme" of a feeling, not of a shot ("extreme macro") or of the weather ("extreme cold")
               r"extreme(?![- ](?:close|macro|detail|crop|zoom|tight|texture|ecu|shot|up|cold|heat|conditions|weather|"
               r"temperatures?|sports?|durability|precision|"
               r"care))", r"pained", r"agon\w+", r"suffering", r"shock\w*", r"scream\w*", r"crying",
               r"sobbing", r"wide[- ]eyed", r"scrunched", r"furrowed", r"anguish\w*", r"grimac\w*", r"contort\w*",
               r"bared", r"bulging", r"horror", r"overact\w*", r"mugging", r"ham(?:ming)? it"
                                                                           r" up", r"punch(?:ing)? it up",
               r"as wide as possible",
               r"popping(?!\s+(?:a|an|the|one|it|its|her|his|their|open|out)\b)",  # eyes popping, not a capsule
               r"gasp\w*", r"jaw[- ]drop\w*", r"tears (?:streaming|rolling)",
               r"big (?:reaction|expression|emotion)s?", r"dramatic (?:expression|reaction|face)s?", r"cartoonish",
               r"flared", r"snarl\w*", r"villain\w*", r"glar(?:e|ing)", r"the bigger the better",
               r"bigger and more \w+ the better", r"over[- ]?acted", r"hammy", r"over[- ]?play\w*", r"eyes? rolling",
               r"rolling (?:her|his|their) eyes", r"ecsta\w+", r"go (?:really )?big")
# "crank it up", "dial the emotion up": what is turned up is the performance, not a collar or a dial
CRANK = (r"\b(?:crank|dial|turn|push|amp|ramp)\w*\s+(?:(?:it|that|this|them|things|everything|the|her|his|their|"
         r"emotions?|drama|energy|intensity|performance|expressions?|reactions?|feelings?|acting|volume)\s+){0,3}?up\b"
         r"|\bup to (?:11|eleven|max)\b"
         r"|\bmax(?:imum)? (?:emotion|drama|intensity)")
SOFT = _any(r"soft[- ]focus", r"blurr?y", r"blurred", r"blur", r"hazy", r"haze", r"dreamy", r"gauzy",
            r"out[- ]of[- ]focus",
            r"unfocused", r"defocused", r"softness", r"smeary", r"vaseline", r"go(?:es)? soft", r"soft and (?:dreamy|"
                                                                                                r"glowy|hazy)",
            r"focus drifts?", r"drifting focus", r"mushy")
SHARP = _any("sharp", "crisp", "in focus", r"tack[- ]sharp", r"pin[- ]sharp", "focus", "focused")
NOT_IMPORTANT = _any(r"doesn't matter", r"does not matter", r"don't worry", r"do not worry", r"no need", r"needn't",
                     r"doesn't need"
                     r" to", r"doesn't have to", r"don't need", r"not (?:that |too )?(?:important|fussed|bothered)",
                     r"nothing(?:'s| is| needs to be| has to be| will be)", r"who cares", r"not bothered",
                     r"not worried", r"isn't important", r"is not important", r"not a priority", r"okay if", r"ok if",
                     r"fine if")
RECOGNISE = _any("tell", "know", "say", "see", r"recogni[sz]e\w*", "identify", "figure out", "work out", "guess",
                 "make out",
                 "decode", "understand what", "read what", "see what")
CANNOT = _any("nobody", "no one", "no-one", r"can't", "cannot", r"won't", r"couldn't", r"shouldn't", "never",
              r"not be able", r"unable", r"wouldn't", "impossible to", "hard to", "without")
MEANING = _any("relate", "connect", "mean", "meaning", "tell", "say", "link", "tie", "story", "message", "purpose",
               "reason", "sell", "explain", "prove", "do with")
PRETTY = _any("sick", "fire", "dope", "rad", "vibey", "aesthetic", "cool", "gorgeous", "dramatic", "pretty", "nice",
              "great", "amazing", "striking", "stunning",
              "beautiful", "cinematic", "arty", "artsy", "edgy", "sexy", "expensive", "moody", "epic", "fancy")
_FACE = re.compile(rf"\b{FACE}\b")
_MISUSE_WORD = re.compile(rf"{SOFT}|{INTENSE}")


def misuse_word(word: str) -> bool:
    """A word that asks for soft focus or a pushed face ("hazy", "grimacing"): never part of a detail's name."""
    return _MISUSE_WORD.fullmatch(fold(word)) is not None

CLOSE_UP = re.compile(r"(?<![\w-])(?:close[- ]?ups?|closeups?|close shots?)\b(?!\s+(?:lens|filter))")
EXTREME_BEFORE = re.compile(r"(?:extreme|ecu|macro|super|ultra|very|tight)[\s-]*$")
# What makes the words themselves ask for an ECU: "a tight close-up" means one, but a generator given it frames a
# close-up, so the wording is still ambiguous.
SCALE_WORD_BEFORE = re.compile(r"(?:extreme|ecu|macro)[\s-]*$")
# What a close-up is of: after "of", "on", a dash, a colon, a table's bar, "where you can see", or a comma that does
# not start a new clause ("close up, the hamon line" but not "the badge close-up, everyone does that").
_NEW_CLAUSE = r"(?:every\w*|we|they|it|that|this|which|but|and|then|so|or|i|you|please|no|not)\b"
DETAIL_OBJECT = re.compile(r"\s*(?:shots?\s*|images?\s*|frames?\s*)?(?:of|on|showing|capturing|into|in on|[-–—:|]|"
                           rf",(?!\s+{_NEW_CLAUSE})|(?:where|so) (?:you|we|they) (?:can )?(?:see|read))\s+"
                           r"(?P<object>[^.;,|]{2,60})", re.IGNORECASE)

# A shot list's "CU" (upper case: a close-up, not ECU, MCU or copper's Cu).
_CU = re.compile(r"(?<![\w-])CU\b")
# "a close-up tight enough to count the threads": what the frame must show, said as how tight it is.
_SO_TIGHT = re.compile(r"\s+(?:so|that|this|tight|close)\b[^.;,]{0,25}?\b(?:see|count|read|make out)\s+"
                       r"(?P<object>[^.;,]{2,60})", re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    regex: re.Pattern[str]
    negatable: bool = True  # False: the rule already contains its own refusal
    holds: Callable[[str, re.Match[str]], bool] | None = None  # a further check on (folded text, match)


def _r(expr: str, negatable: bool = True, holds: Callable[[str, re.Match[str]], bool] | None = None) -> Rule:
    return Rule(re.compile(_apostrophes_optional(expr)), negatable, holds)


def _apostrophes_optional(expr: str) -> str:
    """Typed-fast briefs drop apostrophes ("shouldnt", "dont", "its"): let every "n't" or "'s" match without one."""
    return re.sub(r"(?<=\w)'(?=\w)", "'?", expr)


NEGATION_REACH = 8  # words back to a "not" that governs a match; it stops at a comma or "but" anyway
CAMPAIGN_ECUS = 5  # a campaign carries three to five ECUs; more asked for is overuse


def requested_count(match: re.Match[str]) -> int:
    return count_value(match.group("n"))


def _too_many(_text: str, match: re.Match[str]) -> bool:
    return requested_count(match) > CAMPAIGN_ECUS


def _not_a_look(text: str, match: re.Match[str]) -> bool:
    """"Sharp macro throughout" sets how the macros look, not how many there are."""
    return not re.search(r"\b(?:sharp|crisp|clean|tack-sharp|pin-sharp|in-focus|"
                         r"focused)\W*$", text[max(0, match.start() - 16):match.start()])


# The brief refuses the wide or mid frames that orient the viewer.
# (a word built on one is not it: "no wide-eyed faces" turns down a look, not the wide frame)
FORBIDS_ORIENTING = re.compile(
    rf"\b(?:no need for|don't need|do not need|skip|drop|ditch|lose|without|no|zero|not even|nothing)\s+(?:any\s+|"
    rf"a\s+)?(?:the\s+)?"
    rf"(?:\w+\s+)?{ORIENTING}(?:[- ]?(?:shots?|frames?|images?|photos?|views?))?\b(?![-'’]\w)(?!\s+(?:of|visible))"
    rf"|\bno {ORIENTING_WORD}s?,")
# The brief asks for more ECUs than a campaign carries.
REQUESTED_ECUS = re.compile(
    rf"\b(?P<n>{NUMBER})\s+(?:\w+\s+){{0,2}}?(?:extreme[- ]close[- ]?ups|ecus|macros|macro shots|detail shots)")

CLAUSE_LIMIT = 600  # characters either side: text with no stop for longer is a pasted blob, not one clause


def _clause_bounds(text: str, start: int, end: int, stops: str = ".;!?\n") -> tuple[int, int]:
    """Where the clause around text[start:end] begins and ends: the nearest stop on either side, at most
    CLAUSE_LIMIT characters away (so reading every clause of a long text stays linear)."""
    floor, ceiling = max(0, start - CLAUSE_LIMIT), min(len(text), end + CLAUSE_LIMIT)
    left = max(floor - 1, *(text.rfind(c, floor, start) for c in stops)) + 1
    rights = [i for i in (text.find(c, end, ceiling) for c in stops) if i != -1]
    return left, min(rights) if rights else ceiling


def _clause(text: str, start: int, end: int, stops: str = ".;!?\n") -> str:
    left, right = _clause_bounds(text, start, end, stops)
    return " ".join(text[left:right].split())


_BEHIND = re.compile(r"\b(?:background|backdrop|behind|far end|in the distance|in the back)\b")
_SHARP_ASKED = re.compile(r"\b(?:sharp|crisp|in focus|focused)\b")
_AS_A_RISK = re.compile(r"\b(?:reads?|read|comes? across|looks?|turns?|risk\w*|like)\s+(?:as\s+|like\s+|"
                        r"into\s+)?(?:an?\s+)?$")


def _no_focal_plane(text: str, match: re.Match[str]) -> bool:
    """A soft word is a misuse only where nothing is asked to be sharp.

    A background left soft is depth, and a sentence that also asks for something
    sharp ("keep it crisp; the Mist shade is the only misty thing") has its focal plane.
    """
    if _BEHIND.search(_clause(text, match.start(), match.end())):
        return False
    sentence_start = max(text.rfind(c, 0, match.start()) for c in ".!?\n") + 1
    sentence = text[sentence_start:_clause_end(text, match.end(), ".!?\n")]
    return not any(_asks_for(text, sentence_start + sharp.start()) for sharp in _SHARP_ASKED.finditer(sentence))


def _asks_for(text: str, offset: int) -> bool:
    before = text[max(0, offset - 40):offset]
    return not negated_at(text, offset) and not re.search(rf"\b{NOT_IMPORTANT}\b", before)


def _clause_end(text: str, offset: int, stops: str) -> int:
    return min([i for i in (text.find(c, offset) for c in stops) if i != -1] or [len(text)])


_WARNED_AGAINST = re.compile(r"\b(?:not|never|don't|do not|avoid|without)\s+(?:\w+\s+){0,3}?(?:crop\w*|go\w*|zoom\w*|"
                             r"push\w*|get\w*)"
                             r"\s+(?:in\s+)?(?:so|too)\s+(?:tight|close|far|deep)\b[^.;]*$")


# What "abstract" describes when the brief asks for abstract pictures: the shots, not the product's design.
_SHOT_NOUNS = re.compile(r"\s*(?:\w+\s+){0,2}?(?:shots?|frames?|images?|crops?|close[- ]?ups?|macros?|details?|"
                         r"compositions?|visuals?|photos?|photography|imagery|textures?|looks?|art|ecus?|slides?)\b")
_ABSTRACT_DESIGN = re.compile(r"\s*(?:[\w-]+\s+){0,2}?(?:patterns?|prints?|motifs?|designs?|graphics?|artwork|"
                              r"paintings?|shapes?|forms?|sculptures?|weaves?|jacquards?|mosaics?|inlays?|marbling|"
                              r"grids?|textures? of)\b")
# The brief says the abstract-looking thing is the product's own design: shooting it close is showing the product.
_OWN_DESIGN = re.compile(r"\b(?:is|it's|its|are)\s+(?:the|our|a)\s+(?:real\s+)?(?:product|signature|feature|dial|"
                         r"design)\b|\b(?:product|brand)'s (?:own )?signature\b|\bproduct feature\b|"
                         r"\ba feature in itself\b|\bwhat (?:people|customers|collectors) (?:buy|recogni[sz]e)\b|"
                         # a concession: it looks abstract, and that is the thing itself or no risk
                         r"\b(?:it'?s|its|it is) (?:the actual|the real|what (?:you'?re|you are|they'?re|people are) "
                         r"buying)\b|\b(?:nobody|no one|nobody'?ll|no one'?ll) (?:will )?mistake\b")


_TOO_MUCH = re.compile(r"\b(?:too|overly|less|a bit|way too|getting|gets|got|went|goes)\s+(?:\w+\s+)?$")


def _abstract_shots(text: str, match: re.Match[str]) -> bool:
    """"abstract macro shots" or "go abstract" asks for abstraction; "an abstract leaf pattern" describes the
    product's design, which is what a close-up of it should show."""
    after = text[match.end():match.end() + 40]
    if _ABSTRACT_DESIGN.match(after) and not _SHOT_NOUNS.match(after):
        return False
    if _TOO_MUCH.search(text[max(0, match.start() - 30):match.start()]):
        return False  # "the last shoot was too abstract": a complaint to avoid, not a request
    start = max(text.rfind(c, 0, match.start()) for c in ".;!?\n") + 1
    said_with = text[start:_clause_end(text, _clause_end(text, match.end(), ".;!?\n") + 1, ".!?\n")]
    if _OWN_DESIGN.search(said_with):
        return False  # "abstract, but that swirl is our signature" (in this sentence or the next)
    return _not_warned_against(text, match)


def _not_warned_against(text: str, match: re.Match[str]) -> bool:
    """"don't crop in so far that nobody knows it is a kettle" warns against the misuse, it does not ask."""
    return not _WARNED_AGAINST.search(text[max(0, match.start() - 80):match.start()])


_LISTED_ORIENTING = re.compile(r"(?:^|[\n•*|]|[-–—]\s|\d[.)]\s*)\s*(?:wide|mid|medium|establishing)(?:\s+(?:shot|"
                               r"frame))?\s*[:|–—-]")


def _no_orienting_frame_listed(text: str, _match: re.Match[str]) -> bool:
    """"No label and no jar in the hero frames" refuses nothing when the brief lists its own "Wide:" and "Mid:"."""
    return not _lists_orienting(text)


@lru_cache(maxsize=8)
def _lists_orienting(text: str) -> bool:
    """Searched once per text, whatever the number of refusals in it."""
    return _LISTED_ORIENTING.search(text) is not None


# A release's name built on a refusal word: "Spring Drop 2026", "the summer drop": no refusal of anything.
_RELEASE = re.compile(r"(?:drop|lose)\s+(?:\d{2,4}|collection|edition|release)\b")


def _refuses_frames(text: str, match: re.Match[str]) -> bool:
    """A refusal word that turns down the orienting frames: not in a release's name ("Spring Drop 2026"), and
    not in a brief that lists its own "Wide:" and "Mid:"."""
    return _no_orienting_frame_listed(text, match) and not _RELEASE.match(text, match.start())


def refuses_orienting(text: str) -> bool:
    """Whether the brief turns down the wide or mid frames that orient the viewer ("skip the product shots")."""
    return _orienting_refusal(" ".join(text.split())) is not None


def _orienting_refusal(flat: str) -> re.Match[str] | None:
    """The refusal of orienting frames in whitespace-normalised text, or None. A name built on a refusal word
    ("Spring Drop 2026"), a complaint about earlier work, or a brief that lists its own wide frame refuses none."""
    low = fold(flat)
    match = FORBIDS_ORIENTING.search(low)
    if match is None or not _refuses_frames(low, match):
        return None
    if _is_name(flat, match.start(), _names(flat)) or about_earlier_work(low, match.start()):
        return None
    return match


def _not_a_risk(text: str, match: re.Match[str]) -> bool:
    """"any movement reads as a grimace" explains a risk, it does not ask for one."""
    return not _AS_A_RISK.search(text[max(0, match.start() - 30):match.start()])


RULES: dict[str, tuple[Rule, ...]] = {
    "overuse": (
        _r(rf"(?<!between )\b(?:every|each|all)(?: single| one)?(?: of (?:the|our|it))?\s+(?:\w+\s+){{0,3}}?{FRAME}\b"
           rf"[^.;]{{0,60}}?"
           rf"\b(?:{ECU}|(?:so |really |super |very )?tight\b)"),
        _r(rf"\b(?:entire|whole)\s+(?:\w+\s+)?{FRAME}\b[^.;]{{0,40}}?\b{ECU}"),
        _r(rf"\b(?:entire|whole)\s+\S+(?:\s+\S+)?\s+(?:(?:should|must|will|would|has to|needs to)\s+be|is|"
           rf"are)\s+(?:all\s+)?{ECU}"),
        _r(rf"\b{FRAME}\s+after\s+{FRAME}\s+of\s+{ECU}|\bone {ECU} after another\b"),
        _r(rf"{ECU}[^.;]{{0,25}}\b(?:the entire way|all the way|start to finish|throughout|wall[- ]to[- ]wall|"
           rf"back[- ]to[- ]back|non[- ]?stop)",
           holds=_not_a_look),
        _r(r"\b(?:no|don'?t want|without|never)\s+(?:any\s+)?(?:shots?|frames?|images?)\s+of\s+(?:the|"
           r"our)\s+(?:whole\s+)?"
           r"(?!faces?\b|people\b|hands?\b|models?\b)\w+", negatable=False),
        _r(rf"\ball of it\b[^.;]{{0,20}}{ECU}|\b{ECU}\b[^.;]{{0,30}}\b(?:for|on|in|across|as)\s+(?:every|each|all)\b"),
        _r(rf"\b(?:only|nothing but|exclusively|entirely|wall[- ]to[- ]wall|back[- ]to[- ]back|100%|"
           rf"all)\s+(?!(?:{COUNT})\b)(?:\w+\s+){{0,2}}?{ECU}"),  # "keep only two ECUs" is a count, not all ECUs
        _r(rf"\b{ECU}\s+(?:after|on top of)\s+{ECU}|\bstart to finish\b[^.;]{{0,30}}{ECU}|"
           rf"{ECU}[^.;]{{0,30}}\bstart to finish\b"),
        Rule(FORBIDS_ORIENTING, negatable=False, holds=_refuses_frames),
        _r(r"\bnever\b[^.;]{0,40}\b(?:step|pull|cut|zoom|go)\s+(?:back|out|wide)\b|\bnever (?:see|show) the whole\b",
           negatable=False),
        Rule(REQUESTED_ECUS, holds=_too_many),
    ),
    "over_abstraction": (
        _r(r"\babstract(?:ion|ed|ly)?\b", holds=_abstract_shots),
        _r(r"\bunrecogni[sz]able\b|\bnothing recogni[sz]able\b"),
        _r(rf"\b{CANNOT}\b[^.;,]{{0,30}}?\b{RECOGNISE}\b[^.;]{{0,40}}?\b(?:what|whether|it's|its|it is|it was|if|"
           rf"that)\b", negatable=False,
           holds=_not_warned_against),
        _r(r"\b(?:product|carton|box|bottle|jar|can|pack|packaging|tin|tube|itself|bag|shoe|watch|phone|"
           r"device)\s+(?:itself\s+)?"
           r"(?:never|doesn't|does not|won't|will never|shouldn't|should never)\s+(?:appear|show|feature|be (?:seen|"
           r"shown|visible))",
           negatable=False),
        _r(r"\bcould be (?:anything|a |an |sand|paint|skin|metal|water)|\blooks? like (?:a |an )?(?:moonscape|planet|"
           r"landscape|"
           r"satellite|glacier|galaxy|alien)"),
        _r(r"\b(?:caption|handle|copy|headline|tagline|voiceover|text)\b[^.;]{0,40}\b(?:to know|to tell|to explain|"
           r"to figure|"
           r"to understand|to make sense|will explain|will do the reveal|does the explaining|tells them what)|"
           r"\bneed the (?:caption|copy|handle)\b|\bget it from the (?:text|caption|copy|headline)\b"),
        _r(r"\blet (?:people|them|viewers|the audience) (?:guess|figure|work)\b|\bguess(?:ing)? what\b|\bwhat am i\b"),
        _r(r"\bno (?:hint|clue|idea|sense|way of knowing)\s+(?:of\s+)?what\b|\b(?:viewers?|people|audience|them)\s+"
           r"(?:\w+\s+)?(?:lost|confused|guessing|puzzled)\b|\bbecomes? (?:a |an )?(?:strange|abstract|mysterious|"
           r"unrecogni)", holds=_not_warned_against),
        _r(r"\b(?:line|caption|copy|headline|tagline|text|title|voiceover|super)\b[^.;]{0,60}\b(?:will |to |can )?"
           r"(?:tell|explain|explaining|say|saying)\w*\s+(?:them |people |viewers |the viewer )?what\b"),
        _r(r"\b(?:pure|just|only)\s+(?:texture|surface|colou?r|shapes?|patterns?)\b(?!\s+of)|\bfield of colou?r"),
        _r(r"\b(?:without|never|don't|do not|no need to)\s+(?:ever\s+)?(?:show|showing|reveal|revealing|see|"
           r"seeing)\s+(?:the\s+)?"
           r"(?:whole\s+|full\s+|actual\s+|entire\s+)?(?:product|bottle|bag|object|item|packaging|pack|thing|watch|"
           r"shoe|phone|jar|box|tin)\b(?!\s+(?:on|in|at|near|by|against|with)\b)",  # "never in a bar": a setting
           negatable=False),
    ),
    "pushed_performance": (
        _r(rf"\b{INTENSE}\b", holds=_not_a_risk),
        _r(CRANK),
        _r(r"\breally sell (?:the|that|it|their|her|his)\b[^.;]{0,20}\b(?:emotion|feeling|reaction|moment|pain|joy|"
           r"relief|shock)"),
        _r(r"\bas (?:intense|dramatic|extreme|big|emotional) as (?:possible|they can|we can)\b"),
    ),
    "soft_focus": (
        _r(rf"\b{SOFT}\b(?!\s+(?:\w+\s+)?(?:background|backdrop|bokeh|ipa|pale ale|beer|light\b|lighting|"
           rf"in the background))",
           holds=_no_focal_plane),
        _r(rf"\b{NOT_IMPORTANT}\b[^.;]{{0,40}}?\b{SHARP}\b", negatable=False),
        _r(rf"\b{SHARP}\b[^.;]{{0,12}}\b(?:isn't|is not|doesn't|does not|won't)\s+(?:really\s+)?(?:important|critical|"
           rf"a priority|matter|the point)", negatable=False),
        _r(r"\b(?:cinematic|filmic|dreamlike)\s+(?:softness|blur|haze)\b|\ba (?:bit|little|touch) (?:soft|blurry|"
           r"hazy)\b"),
    ),
    "decorative": (
        _r(rf"\b(?:doesn'?t|does not|don'?t|do not|needn'?t|need not)\s+(?:really\s+|even\s+)?(?:need|have|"
           rf"has)\s+to\s+(?:\w+\s+)?{MEANING}",
           negatable=False),
        _r(rf"\bnone of (?:it|them|these|those)\s+(?:\w+\s+){{0,2}}?{MEANING}|\bnothing to do with\b|\b(?:unrelated|"
           rf"irrelevant) to\b",
           negatable=False),
        _r(rf"\b(?:doesn't|does not)\s+matter\s+(?:if|whether|what|which)\b[^.;]{{0,40}}\b(?:{MEANING}|detail|part|bit|"
           rf"we show|shows?)",
           negatable=False),
        _r(r"\bno (?:big |particular |real |specific |deeper )?(?:reason|meaning|purpose|point)\b", negatable=False),
        _r(rf"\b(?:just|purely|simply|only|mostly)\s+(?:about\s+|for\s+|because\s+)?(?:\w+\s+){{0,2}}?(?:look|looks|"
           rf"looking)\s+(?:so\s+|really\s+)?{PRETTY}"),
        _r(r"\b(?:just|purely|simply|only)\s+(?:for|because of)\s+(?:the\s+)?(?:drama|effect|impact|wow|vibes?|"
           r"aesthetics?|mood|style|looks)\b"),
        _r(rf"\bbecause\s+(?:it|they|these|ecus|macros|extreme close[- ]ups|close[- ]ups)\s+(?:look|looks|feel|"
           rf"feels)\s+(?:so\s+|really\s+)?{PRETTY}"),
        _r(r"\b(?:random|arbitrary|whatever|any old)\s+(?:\w+\s+)?(?:details?|textures?|close[- ]?ups|macros?|"
           r"extreme close[- ]ups|bits)\b"),
        _r(rf"\b{ECU}\b[^.;]{{0,40}}\b(?:for|to add|adds?|adding|bring|brings)\s+(?:some\s+|a bit of\s+|"
           rf"extra\s+)?(?:drama|flair|oomph|pizzazz|wow)\b"),
        _r(rf"\b(?:sprinkle|throw|pepper)\w*\s+(?:in\s+)?(?:some|a few|a couple of)\s+(?:\w+\s+)?{ECU}"),
        _r(r"\bfor (?:its own sake|the sake of it|drama's sake)\b|\beye candy\b"),
        # "it doesn't matter what they show", "we don't care what it's of", "whatever looks cool"
        _r(r"\b(?:doesn'?t|does not|don'?t|do not)\s+(?:really\s+|honestly\s+|even\s+)?(?:matter|care)\s+"
           r"(?:\w+\s+){0,2}?what\s+(?:they|it|these|those)(?:'re|'s|\s+are|\s+is)?\s+(?:of|showing|shows?)\b"
           r"|\bwhatever looks (?:cool|sick|good|nice|pretty|great)\b", negatable=False),
    ),
}


@dataclass(frozen=True)
class Signal:
    kind: str
    evidence: str


def plain_close_ups(low: str, extreme_before: re.Pattern[str] = EXTREME_BEFORE) -> Iterator[re.Match[str]]:
    """Each "close-up" in folded text that no "extreme", "macro" or "tight" makes an ECU."""
    for match in CLOSE_UP.finditer(low):
        if not extreme_before.search(low[max(0, match.start() - 12):match.start()]):
            yield match


def _sentence_start(text: str, offset: int) -> bool:
    i = offset
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return i == 0 or text[i - 1] in ".!?:;\n-•*"


_LOWER_WORD = re.compile(r"(?<![\w'])[a-z]{3,}")
_TITLE_WORD = re.compile(r"\b[A-Z][a-z][\w'-]*")


def _capitalised_inside(text: str, start: int, end: int) -> bool:
    """Capitalised inside a sentence that is otherwise in lower case: how names are written."""
    return not _sentence_start(text, start) and bool(_LOWER_WORD.search(_clause(text, start, end)))


def _names(text: str) -> frozenset[str]:
    """Words the brief capitalises mid-sentence ("the Haze name"): names wherever they stand."""
    return frozenset(m.group() for m in _TITLE_WORD.finditer(text) if _capitalised_inside(text, m.start(), m.end()))


_COMPANY = re.compile(r"\s*&\s*(?:[A-Z]|co\b)")


def _is_name(text: str, start: int, names: frozenset[str]) -> bool:
    """A match that is a name ("Lilac Haze", "Blur Serum") rather than a request.

    Acronyms ("ECU") and clauses written in capitals or Title Case say nothing by their casing.
    """
    word = _TITLE_WORD.match(text, start)
    if word is None:
        return False
    if word.group() in names or _capitalised_inside(text, start, word.end()) or _COMPANY.match(text, word.end()):
        return True  # a name written mid-sentence, or a firm's ("Fern & Co", "Marlow & Sons")
    following = _TITLE_WORD.match(text, word.end() + 1)  # "Soft Focus is the hero shade": two capitals name a thing
    return following is not None and following.start() == word.end() + 1 and _capitalised_inside(text,
                                                                                                 following.start(),
                                                                                                 following.end())


def _has_face(clause: str) -> bool:
    return bool(_FACE.search(fold(clause)))


FACE_REACH = 6  # words either side of an intensity word where the face it describes is named


def _around(text: str, start: int, end: int) -> str:
    """The match with FACE_REACH words either side, within its clause: "exaggerated expressions", "make her
    reaction huge"; not "claustrophobic and intense: every frame a macro, ... the runner"."""
    clause_start, clause_end = _clause_bounds(text, start, end)
    before = text[clause_start:start].split()[-FACE_REACH:]
    after = text[end:clause_end].split()[:FACE_REACH]
    return " ".join([*before, text[start:end], *after])


# A sentence about work already done ("the last campaign was all macro and nobody knew it was a chair"):
# it names the misuse to avoid, it does not ask for it.
_EARLIER_WORK = re.compile(r"\b(?:last|previous|earlier|prior|old|past|first)\s+(?:\w+\s+)?"
                           r"(?:shoots?|campaigns?|films?|ads?|rounds?|agency|seasons?|versions?|spots?|edits?|cuts?|launch|attempts?|drafts?|"
                           r"time)\b|\bin the past\b|\blast (?:year|season|spring|summer|autumn|fall|winter|"
                           r"christmas|quarter)(?:'?s)?\b")
_PAST_VERB = re.compile(r"\b(?:was|were|had|did|looked|felt|came out|ended up|got|went|made it|turned out|"
                        r"hated|disliked|didn'?t|couldn'?t|wasn'?t|weren'?t)\b")


CLAUSE_REACH = 300


def about_earlier_work(low: str, start: int) -> bool:
    """Whether the match stands in a sentence that describes earlier work in the past tense. The sentence is
    read within CLAUSE_REACH characters of the match, so a brief with no full stops costs the same per match."""
    window = max(0, start - CLAUSE_REACH)
    sentence = _clause(low[window:start + CLAUSE_REACH], start - window, start - window, ".!?;")
    return bool(_EARLIER_WORK.search(sentence) and _PAST_VERB.search(sentence))


# A sentence that describes what the brief is tired of: "we've seen so many ads where the actor hams it up".
_TIRED_OF = re.compile(r"\b(?:(?:we'?ve|we have|i'?ve|i have|you'?ve)\s+(?:all\s+)?seen (?:too many|so many|enough|"
                       r"plenty)|(?:tired|sick|weary|bored) of|fed up with|enough of|sick to death of|"
                       r"too many (?:\w+ ){0,2}(?:ads|campaigns|spots|brands|films|shoots) (?:where|with|that))\b")


def _seen_too_often(low: str, start: int) -> bool:
    """Whether the match stands in a sentence saying the brief has seen it too often: restraint is asked."""
    window = max(0, start - CLAUSE_REACH)
    sentence_start = max(low.rfind(c, window, start) for c in ".!?;\n") + 1
    return bool(_TIRED_OF.search(low, max(sentence_start, window), start))


EFFECT_STEM = 3  # letters that name a softness word's effect: "blu" of "blurring" and "blurry", "haz" of "hazy"


def _named_effects(product: str) -> frozenset[str]:
    """The softness words the product's name is built on, by stem ("Glow Haze Serum" -> haze)."""
    return frozenset(word[:EFFECT_STEM] for word in fold(product).split() if _MISUSE_WORD.match(word))


@lru_cache(maxsize=256)
def find_signals(text: str, is_detail_phrase=None, product: str = "") -> tuple[Signal, ...]:
    """Every misuse the wording of `text` commits, one signal per kind and clause.

    `is_detail_phrase(words) -> bool` says whether the object of a "close-up of ..."
    is detail-sized (a seam, an eye, a droplet) rather than a whole face or product. A softness word the
    `product`'s name is built on ("the Soft Focus Blurring Primer ... prove the blur") is its claim, not a look.
    """
    found: list[Signal] = []
    seen: set[tuple[str, str]] = set()
    flat = " ".join(text.split())
    low = fold(flat)
    names = _names(flat)
    claimed = _named_effects(product)

    def add(kind: str, start: int, end: int) -> None:
        clause = _clause(flat, start, end)
        if kind == "pushed_performance" and not _has_face(_around(flat, start, end)):
            return  # intensity words only matter said of a face being directed, not of the film's mood
        if (kind, clause) not in seen:
            seen.add((kind, clause))
            found.append(Signal(kind, clause))

    for kind, rules in RULES.items():
        for rule in rules:
            for match in rule.regex.finditer(low):
                if rule.negatable and negated_at(flat, match.start(), NEGATION_REACH):
                    continue
                if kind == "soft_focus" and low[match.start():match.start() + EFFECT_STEM] in claimed:
                    continue  # the product's own effect ("the blur is the claim"), said of the product
                if _is_name(flat, match.start(), names) or (rule.holds and not rule.holds(low, match)) \
                        or about_earlier_work(low, match.start()) or _seen_too_often(low, match.start()):
                    continue  # a name ("Lilac Haze") or a complaint about the last shoot is not a request
                add(kind, match.start(), match.end())
    for match in (*plain_close_ups(low, SCALE_WORD_BEFORE), *_CU.finditer(flat)):
        if negated_at(flat, match.start(), 3):
            continue
        target = DETAIL_OBJECT.match(flat, match.end()) or _SO_TIGHT.match(flat, match.end())
        if target and is_detail_phrase and is_detail_phrase(target.group("object")):
            add("ambiguous_scale", match.start(), match.end())
    if not any(s.kind == "overuse" for s in found) and (refusal := _orienting_refusal(flat)):
        add("overuse", refusal.start(), refusal.end())  # no frame to orient the viewer: every frame is an ECU
    return tuple(found)
