"""Spot ECU misuse in a brief's own wording.

Each misuse kind has a few patterns describing how marketers tend to ask for
it. A match that is negated ("no soft focus", "keep it from feeling abstract")
does not count, except for patterns that are themselves a refusal of context
("no need for product shots"). Evidence is the quoted clause, so a flag can say
exactly which words raised it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.text import negated_at

_ECU = r"(?:extreme[- ]close[- ]?ups?|ecus?|macros?|macro shots?|detail shots?|super[- ]tight|tight crops?|close[- ]?ups?)"
_FRAME = r"(?:frames?|shots?|slides?|images?|assets?|scenes?|posts?|tiles?|visuals?|cards?|panels?|placements?)"
_ORIENTING_WORD = r"(?:wide|mid|medium|establishing|orienting|pack|packshot|hero|context|full[- ]product|product|lifestyle|full)"
_ORIENTING = rf"{_ORIENTING_WORD}(?:\s*(?:or|and|/|,)\s*{_ORIENTING_WORD})?"
_FACE = r"(?:face|faces|eyes?|lips|mouth|brow|expression|expressions|talent|model|models|actor|actors|performer|reaction)"
_NUMBER = r"(?:\d+|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"


# The brief refuses the wide or mid frames that orient the viewer.
FORBIDS_ORIENTING = re.compile(
    rf"\b(?:no need for|don't need|do not need|skip|drop|ditch|lose|without|no)\s+(?:any\s+)?(?:the\s+)?(?:\w+\s+)?"
    rf"{_ORIENTING}[- ]?(?:shots?|frames?|images?|photos?|views?)\b", re.IGNORECASE)
# The brief asks for more ECUs than a campaign carries.
REQUESTED_ECUS = re.compile(
    rf"\b(?P<n>{_NUMBER})\s+(?:\w+\s+){{0,2}}?(?:extreme[- ]close[- ]?ups|ecus|macros|macro shots|detail shots)",
    re.IGNORECASE)


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern[str]
    negatable: bool = True  # False: the pattern already contains its own refusal


def _p(expr: str, negatable: bool = True) -> Pattern:
    return Pattern(re.compile(expr, re.IGNORECASE), negatable)


PATTERNS: dict[str, tuple[Pattern, ...]] = {
    "overuse": (
        _p(rf"\b(?:every|each|all)(?: single| one)?(?: of the| of our| the)?\s+(?:\w+\s+){{0,3}}?{_FRAME}\b[^.;]{{0,50}}?\b{_ECU}"),
        _p(rf"\b{_ECU}\b[^.;]{{0,30}}\b(?:for|on|in|across|as)\s+(?:every|each|all)\b(?: single| one)?(?: of the)?\s+(?:\w+\s+)?{_FRAME}"),
        _p(rf"\b(?:only|nothing but|exclusively|entirely|wall[- ]to[- ]wall|back[- ]to[- ]back|100%)\s+(?:\w+\s+){{0,2}}?{_ECU}"),
        _p(rf"\b(?:entirely|only|purely)\s+(?:of|from|with)\s+{_ECU}"),
        Pattern(FORBIDS_ORIENTING, negatable=False),
        Pattern(REQUESTED_ECUS),
        _p(rf"\b{_ECU}\s+(?:after|on top of)\s+{_ECU}"),
    ),
    "over_abstraction": (
        _p(r"\babstract(?:ion|ed)?\b"),
        _p(r"\b(?:can't|cannot|can not|won't|not|never)\s+(?:be able to\s+)?(?:tell|know|recogni[sz]e|work out|figure out|see)\s+what\b", negatable=False),
        _p(r"\bguess(?:ing)?\s+(?:what|at what)\b"),
        _p(r"\bunrecogni[sz]able\b"),
        _p(r"\b(?:without|never|don't|do not|no need to)\s+(?:ever\s+)?(?:show|showing|reveal|revealing|see|seeing)\s+(?:the\s+)?(?:whole\s+|full\s+|actual\s+)?(?:product|bottle|bag|object|item|packaging|pack|thing|watch|shoe)\b", negatable=False),
        _p(r"\b(?:pure|just|only)\s+(?:texture|surface|colou?r and texture|shapes?)\b(?!\s+of)"),
        _p(r"\bcould be anything\b"),
        _p(r"\b(?:no|zero)\s+(?:product|logo|branding|pack)\s+(?:visible|in (?:the )?frame|in shot)\b", negatable=False),
        _p(r"\bso (?:tight|close)\b[^.;]{0,40}\b(?:nobody|no one|you can't|can't tell|lose track|unsure|mystery)"),
        _p(r"\b(?:caption|copy|headline)\s+(?:will|can|has to|needs to|should)\s+(?:explain|tell|do the work|say what)"),
    ),
    "pushed_performance": (
        _p(rf"\b(?:exaggerated|over[- ]the[- ]top|theatrical|intense|extreme|dramatic|big|huge|pained|agoni[sz]ed|ecstatic|shocked|screaming|crying|sobbing|wide[- ]eyed|scrunched|furrowed|anguished|maximum)\s+(?:\w+\s+)?(?:expressions?|emotions?|reactions?|faces|face|looks?|performances?|grimaces?|acting)\b"),
        _p(r"\bpunch(?:es|ing)? it up\b|\bham(?:ming)? it up\b|\boveract\w*|\bmug(?:ging)? for\b"),
        _p(r"\breally sell (?:the|that|it|their|her|his)\b[^.;]{0,20}\b(?:emotion|feeling|reaction|moment|pain|joy|relief|shock)"),
        _p(r"\b(?:turn|dial|crank)\w*\s+(?:it|the emotion|the drama|the expression|everything)?\s*up\s+to\s+(?:11|eleven|max)"),
        _p(rf"\btears (?:streaming|rolling|running)\b|\bjaw[- ]drop\w*\b|\bgasp\w*\b[^.;]{{0,30}}\b{_FACE}|\b{_FACE}\b[^.;]{{0,30}}\b(?:grimac\w*|squint\w* hard|scream\w*|contort\w*)"),
        _p(r"\bas (?:intense|dramatic|extreme|big|emotional) as (?:possible|they can|we can)\b"),
    ),
    "soft_focus": (
        _p(r"\bsoft[- ]focus\b"),
        _p(r"\b(?:dreamy|hazy|gauzy|blurry|blurred|smeary|out[- ]of[- ]focus|unfocused|defocused|vaseline)\b(?!\s+(?:background|backdrop|bokeh|ipa|pale|beer|light\b|lighting))"),
        _p(r"\b(?:doesn't|does not|don't|do not|needn't|need not|won't)\s+(?:really\s+)?(?:need to|have to|matter if|matter whether)?\s*(?:be\s+)?(?:\w+\s+){0,3}?(?:sharp|crisp|in focus|tack[- ]sharp|pin[- ]sharp)\b", negatable=False),
        _p(r"\bnothing\b[^.;]{0,20}\b(?:sharp|crisp|in focus)\b", negatable=False),
        _p(r"\b(?:focus|sharpness)\s+(?:isn't|is not|doesn't|does not|won't)\s+(?:really\s+)?(?:important|critical|a priority|matter|the point)", negatable=False),
        _p(r"\b(?:don't|do not|no need to)\s+worry\s+(?:too much\s+)?about\s+(?:the\s+)?(?:focus|sharpness)", negatable=False),
        _p(r"\b(?:soft|softness|blur)\b[^.;,]{0,20}\b(?:everywhere|all over|across the (?:whole )?frame|throughout)"),
        _p(r"\b(?:cinematic|filmic|dreamlike)\s+(?:softness|blur|haze)\b|\ba (?:bit|little|touch) (?:soft|blurry|hazy)\b"),
    ),
    "decorative": (
        _p(r"\b(?:just|purely|simply|only|mostly)\s+(?:for|because of)\s+(?:the\s+)?(?:drama|effect|impact|wow|vibes?|aesthetics?|mood|style|looks)\b"),
        _p(r"\bbecause\s+(?:it|they|these|ecus|macros|extreme close[- ]ups|close[- ]ups)\s+(?:look|looks|feel|feels)\s+(?:so\s+|really\s+)?(?:cool|dramatic|cinematic|striking|amazing|great|premium|arty|artsy|expensive|edgy)"),
        _p(r"\b(?:doesn't|does not|don't|do not|needn't)\s+(?:really\s+)?(?:need to|have to)\s+(?:mean|say|show|prove)\s+(?:anything|much)", negatable=False),
        _p(r"\b(?:random|arbitrary|whatever|any old)\s+(?:\w+\s+)?(?:details?|textures?|close[- ]?ups|macros?|extreme close[- ]ups|bits)\b"),
        _p(rf"\b{_ECU}\b[^.;]{{0,40}}\b(?:for|to add|adds?|adding|bring|brings)\s+(?:some\s+|a bit of\s+|extra\s+)?(?:drama|flair|oomph|pizzazz|wow)\b"),
        _p(rf"\b(?:sprinkle|throw|pepper)\w*\s+(?:in\s+)?(?:some|a few|a couple of)\s+(?:\w+\s+)?{_ECU}"),
        _p(r"\bfor (?:its own sake|the sake of it|drama's sake)\b|\bno (?:particular|real|specific) reason\b"),
        _p(r"\b(?:doesn't|does not)\s+matter\s+(?:what|which)\s+(?:detail|part|bit|we show|it shows)", negatable=False),
    ),
}

# "close-up" asked for where the subject is detail-sized: an ECU is what is meant.
_CLOSE_UP = re.compile(r"(?<![\w-])(?:close[- ]?ups?|closeups?|close shots?)\b(?!\s+(?:lens|filter))", re.IGNORECASE)
_EXTREME_BEFORE = re.compile(r"(?:extreme|ecu|macro|super|ultra|very|tight)[\s-]*$", re.IGNORECASE)
_DETAIL_OBJECT = re.compile(r"\s*(?:shots?\s+|images?\s+|frames?\s+)?(?:of|on|showing|capturing|into|in on)\s+(?P<object>[^.;,]{2,60})", re.IGNORECASE)


@dataclass(frozen=True)
class Signal:
    kind: str
    evidence: str


def _clause(text: str, start: int, end: int) -> str:
    left = max(text.rfind(c, 0, start) for c in ".;!?\n") + 1
    rights = [i for i in (text.find(c, end) for c in ".;!?\n") if i != -1]
    return " ".join(text[left:min(rights) if rights else len(text)].split())


def find_signals(text: str, is_detail_phrase=None) -> list[Signal]:
    """Every misuse the wording of `text` commits, one signal per kind and clause.

    `is_detail_phrase(words) -> bool` says whether the object of a "close-up of ..."
    is detail-sized (a seam, an eye, a droplet) rather than a whole face or product.
    """
    found: list[Signal] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, start: int, end: int) -> None:
        clause = _clause(text, start, end)
        if (kind, clause) not in seen:
            seen.add((kind, clause))
            found.append(Signal(kind, clause))

    for kind, patterns in PATTERNS.items():
        for pattern in patterns:
            for match in pattern.regex.finditer(text):
                if pattern.negatable and negated_at(text, match.start()):
                    continue
                add(kind, match.start(), match.end())
    for match in _CLOSE_UP.finditer(text):
        if _EXTREME_BEFORE.search(text[max(0, match.start() - 12):match.start()]) or negated_at(text, match.start(), 3):
            continue
        target = _DETAIL_OBJECT.match(text, match.end())
        if target and is_detail_phrase and is_detail_phrase(target.group("object")):
            add("ambiguous_scale", match.start(), match.end())
    return found
