"""Brief analysis: what is being sold, to whom, where, and what the visuals must prove."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain
from typing import NamedTuple

from pydantic import BaseModel, Field

from agent.models import BriefSummary, FlagKind, Model
from tools import learned
from tools.language import wordnet
from tools.lexicon import (
    CHANNEL_ASPECT,
    CHANNELS,
    COLORS,
    DELIVERABLE_NOUNS,
    DETAIL_TERMS,
    GOALS,
    MATERIALS,
    PRODUCT_NOUNS,
    STOPWORDS,
    TONES,
)
from tools.signals import REQUESTED_ECUS, find_signals, refuses_orienting, requested_count
from tools.storyboard import RUNNING_TIME
from tools.templates import detect_vertical
from tools.text import (
    COUNT,
    DETERMINERS,
    Token,
    count_value,
    fold,
    noun_phrase,
    plain,
    sentences,
    singular,
    span_text,
    storyboard_row_ends,
    tokenize,
)

DEFAULT_CHANNEL = "instagram_carousel"
ASSUMED_PRODUCT = "the product"
# Product nouns that are also common verbs or abstractions: they count only after a determiner or modifier.
_AMBIGUOUS_PRODUCTS = frozenset({"can", "watch", "case", "pack", "kit", "program", "class", "mist", "oil", "water",
                                 "platform", "machine", "app", "box", "polish", "ring", "bar", "cap", "liner", "frames",
                                 "atlas", "collection", "lesson", "lessons", "butter", "treatment", "cup", "table",
                                 "set", "record", "planner", "reel", "puzzle", "tablet", "aid"})
_PRODUCT_CUES = frozenset({"new", "launching", "launch", "introducing", "introduce", "meet", "our", "unveil",
                           "unveiling",
                           "debut", "debuting", "release", "releasing", "releases", "promote", "promoting",
                           "reissuing"})
_NOT_PRODUCT_AFTER = frozenset({"shot", "shots", "grid", "page", "photography", "photo", "photos", "design", "designer",
                                "team", "study", "studies", "manager", "line", "category"})
# What a brief makes of the product: a noun before one of these is the product, not its modifier
# ("Emberly soy candle carousel").
_PHRASE_STOP = frozenset({"with", "and", "or", "for", "in", "on", "at", "from", "to", "by", "is", "are", "was",
                          "that", "which", "who", "we", "our", "this", "campaign", "launch", "film", "the", "a"})
PREPOSITION_WORDS = frozenset({"of", "on", "in", "at", "with", "from", "for", "and", "or", "to"})
_PACK_SIZE = re.compile(r"\d+(?:[.,]\d+)?(?:ml|l|g|kg|oz|cl|pcs?|pk)")  # "1L", "250g": not "Kestrel 75"
_QUANTITY = re.compile(r"\d+(?:[.,]\d+)?(?:ml|l|g|kg|oz|cl|pc|pcs|%)?")
_LABEL = re.compile(r"\s*(?:product|item|subject|sku)\s*:", re.IGNORECASE)
_LEADING_NAME = re.compile(
    r"\s*(?:(?:brief|product|launch|teaser|re)\s*(?:of|for|:)?\s*)?(?:the\s+|introducing\s+|meet\s+)?"
    r"(?P<name>(?:[A-Z0-9][\w'’&.-]*\s+){0,4}[A-Z0-9][\w'’&.-]*)\s*(?:,|:(?!\d)|\s+is\b|\s+-|\s+–|\s+—)")
_ADDRESSEES = frozenset({"both", "all", "team", "everyone", "everybody", "folks", "guys", "y'all", "there"})
_NAME_STARTERS = frozenset({"hi", "hey", "hello", "okay", "ok", "so", "brief", "product", "launch", "teaser", "new",
                            "our", "we", "this", "the", "quick", "campaign", "from", "first", "re", "and", "drop",
                            "subject", "fwd", "fw"})
_ASPECTS = {"1:1", "4:5", "5:4", "9:16", "16:9", "2:3", "3:2", "4:3", "3:4", "21:9"}
_ASPECT = re.compile(r"\b(\d{1,2})\s*[:x×]\s*(\d{1,2})\b")
_AUDIENCE = re.compile(
    r"\b(?:aimed at|targeting|target audience (?:is|are)|audience(?: is|:)|speaks? to|for|reach(?:ing)?|who are)\s+"
    r"(?P<who>[^.;:!?()]{3,80})", re.IGNORECASE)
_PEOPLE = re.compile(
    r"\b(?:people|women|men|parents|mums|moms|dads|students|teachers|educators|buyers|customers|shoppers|travell?ers|"
    r"professionals|gamers|millennials|gen[- ]z|runners|athletes|creators|fans|readers|kids|children|families|"
    r"commuters|collectors|enthusiasts|lovers|drinkers|foodies|users|owners|makers|designers|developers|chefs|"
    r"homeowners|beginners|hobbyists|audiences?|consumers|clients|guests|brides|cyclists|hikers|skaters)\b",
    re.IGNORECASE)
_COLORWAY_CUE = re.compile(r"\b(?:colou?rways?|shades?|comes? in|available in|finishes|skus?|variants?|flavou?rs)\b",
                           re.IGNORECASE)


class SignalModel(Model):
    kind: FlagKind
    evidence: str


class BriefAnalysis(BaseModel):
    """Everything the later tools need to know about the brief."""

    text: str
    summary: BriefSummary
    product_head: str = Field(description="The single noun naming the product, for short references.")
    materials: list[str] = Field(default_factory=list)
    signals: list[SignalModel] = Field(default_factory=list)
    ecu_everywhere: bool = False
    forbids_orienting: bool = False
    requested_ecus: int | None = None
    max_ecus: int | None = Field(None, description="A cap the brief sets ('2 tight moments max').")
    video_seconds: float | None = Field(None, description="The length a video must run ('a 15-second cut').")
    frames: int | None = Field(None, description="How many frames the brief asks for in all ('a four-slide carousel').")

    def describe(self) -> str:
        """One line for the event stream (`summary` is the brief summary field)."""
        s = self.summary
        return f"{s.product} ({s.vertical}); channels {', '.join(s.channels)}; goals {', '.join(s.goals) or 'none'}"


class AnalyzeBriefArgs(BaseModel):
    brief: str = Field(description="The brief exactly as the marketer wrote it.")


def analyze_brief(args: AnalyzeBriefArgs) -> BriefAnalysis:
    """Read a brief: product, audience, channels, goals, tone, colourways, aspect ratio and misuse signals."""
    text = plain(args.brief).strip()
    product, head = find_product(text)
    channels = _channels(text)
    assumptions = []
    if not product:
        product, head = ASSUMED_PRODUCT, "product"
        assumptions.append("no product is named: planned around 'the product'; name it for sharper prompts")
    if not channels and len(storyboard_row_ends(text)) >= 2:
        channels = ["short_video"]
        assumptions.append("no channel is named: the timed rows read as a storyboard, planned as a short video")
    elif not channels:
        channels = [DEFAULT_CHANNEL]
        assumptions.append("no channel is named: planned as an Instagram carousel")
    summary = BriefSummary(
        product=product,
        audience=_audience(text),
        channels=channels,
        goals=_goals(text),
        vertical=detect_vertical(text, product, head),
        tone=_tones(text),
        colorways=_colorways(text),
        aspect_ratio=_aspect_ratio(text, channels),
        assumptions=assumptions,
    )
    signals = find_signals(text, is_detail_phrase=_is_detail_phrase, product=product)
    return BriefAnalysis(
        text=text,
        summary=summary,
        product_head=head,
        materials=_ordered_hits(text, MATERIALS)[:3],
        signals=[SignalModel(kind=s.kind, evidence=s.evidence) for s in signals],
        ecu_everywhere=any(s.kind == "overuse" for s in signals),
        forbids_orienting=refuses_orienting(text),
        requested_ecus=_requested_ecus(text),
        max_ecus=_max_ecus(text),
        video_seconds=(seconds := video_length(text)),
        frames=_plan_frames(text, summary.channels, seconds),
    )


NAME_WORDS = 8  # a product name longer than this has run on into the sentence


class ProductReading(NamedTuple):
    """One reading of what the brief sells: the phrase, its head noun, which reader found it and where (the
    sentence of the opening, or the title segment), and that reader's own score where it has one."""
    phrase: str
    head: str
    source: str
    place: int = 0
    score: float = 0.0


class ProductCandidate(NamedTuple):
    """A phrase the brief may sell, with what the readers saw of it: the product model's features."""
    phrase: str
    head: str
    features: dict[str, float]


def find_product(text: str) -> tuple[str, str]:
    """The product phrase and its head noun, or ("", "") when the brief names none. A "Product:" label says it
    outright; otherwise the candidate the product model finds likeliest, the first read on a tie."""
    if labelled := _labelled_product(text):
        return labelled
    candidates = product_choices(text)
    if not candidates:
        return "", ""
    best = max(candidates, key=lambda c: learned.product_logit(c.features))
    return best.phrase, best.head


def product_choices(text: str) -> list[ProductCandidate]:
    """The candidates the product model chooses among (and is trained on)."""
    return _not_sold_left_out(product_candidates(text))


def _not_sold_left_out(candidates: list[ProductCandidate]) -> list[ProductCandidate]:
    """The candidates without two that are not what is sold, whatever the model's weights: the maker's trade name
    ("Fernway Bikes", "Tarrow Knit Co.") where the title names a thing beside it (a firm is the product only of a
    brief about the firm), and what another thing is for ("our new gift box for Tidal tea")."""
    titled_thing = any(c.features.get("source=title") and c.features.get("object") and not c.features.get("firm")
                       for c in candidates)
    kept = [c for c in candidates if not (titled_thing and c.features.get("firm") or c.features.get("for_another"))]
    return kept or candidates


def product_candidates(text: str) -> list[ProductCandidate]:
    """Every reading of the product (a noun of the opening, a cued or made-for name, a title segment, a repeated
    brand name, "our X launches"), one candidate per phrase with the features of every reader that found it."""
    readings = [*_opening_readings(text), *_title_readings(text), *_brand_readings(text)]
    if (possessive := _possessive_product(text))[0]:
        readings.append(ProductReading(_tidy_product(possessive[0]), possessive[1], "possessive"))
    merged: dict[str, list[ProductReading]] = {}
    for reading in readings:
        if reading.phrase and reading.head:
            merged.setdefault(reading.phrase.lower(), []).append(reading)
    groups = _folded(list(merged.values()))
    context = _ProductContext.of(text, frozenset(g[0].phrase.lower() for g in groups))
    return [ProductCandidate(same[0].phrase, same[0].head, product_features(same, context)) for same in groups]


def _folded(groups: list[list[ProductReading]]) -> list[list[ProductReading]]:
    """The readings with a name that a longer one starts or ends with folded into that one ("Tessaly" into
    "Tessaly shared calendar platform", "Harlow Weekender" into "Harlow Weekender leather travel bag"): one reading
    supports the other, and the name keeps its brand words. (Keeping a name that itself names a thing apart
    measured worse: 9 fewer right of 540 in cross-validation.)"""
    words = [g[0].phrase.lower().split() for g in groups]
    kept = []
    for i, group in enumerate(groups):
        longer = [j for j, other in enumerate(words) if len(other) > len(words[i])
                  and (other[:len(words[i])] == words[i] or other[-len(words[i]):] == words[i])]
        if longer:
            target = max(longer, key=lambda j: len(words[j]))
            groups[target] = groups[target] + [r._replace(phrase=groups[target][0].phrase, head=groups[target][0].head)
                                               for r in group]
        else:
            kept.append(i)
    return [groups[i] for i in kept]


def _opening_readings(text: str) -> list[ProductReading]:
    """The product nouns of the brief's first sentences, the capitalised names after a cue and the names right
    before what is made for them, each with its reader's score and its name completed from the sentence."""
    frequencies = _frequencies(text)
    opening = _content_sentences(text)
    found: list[ProductReading] = []
    for s_index, sentence in enumerate(opening[:6]):
        found += [ProductReading(phrase, head, "noun", s_index, score)
                  for phrase, head, score in _head_phrases(sentence, s_index, frequencies)]
        if s_index <= 1:  # "for the Oriel refillable glass diffuser": a name the noun list may not know
            found += [ProductReading(phrase, head, "cued", s_index,
                                     max(0.0, 3.0 - 1.5 * s_index) + 0.5 * min(capitals, 2) + 0.2 * len(phrase.split()))
                      for phrase, head, capitals in _cued_phrases(sentence)]
        found += [ProductReading(phrase, head, "made_for", s_index, MADE_FOR_SCORE - 0.5 * s_index + 0.5 * min(caps, 2))
                  for phrase, head, caps in _made_for(sentence)]
    return [r._replace(phrase=_completed_name(r.phrase, r.head, opening, r.place)) for r in found]


def _head_phrases(sentence: str, s_index: int, frequencies: dict[str, int]):
    """Each product noun of a sentence as its noun phrase, with how strongly the sentence presents it."""
    tokens = tokenize(sentence)
    labelled = bool(_LABEL.match(sentence))
    depth = 0
    for i, token in enumerate(tokens):
        depth += (token.text == "(") - (token.text == ")")
        if depth > 0 or not _is_product_head(tokens, i):
            continue  # "1 mid (cuffed hem, boots)": what is in brackets is a prop
        start, _ = noun_phrase(tokens, i, max_left=5, follow_prepositions=False, allow_numbers=True)
        while start < i and _QUANTITY.fullmatch(tokens[start].lower):
            start += 1
        phrase = span_text(tokens, start, i + 1)
        if name := _named_after(tokens, i):
            phrase = f"{name} {phrase}"  # "budgeting app Tally", "the trail shoe, the Ridge 2": its own name
        cue = any(t.lower in _PRODUCT_CUES for t in tokens[max(0, start - 3):start])
        capitals = sum(t.text[0].isupper() for t in tokens[start:i + 1] if t.is_word and t.start)
        frequency = frequencies.get(singular(token.lower), 1) - 1
        score = (1.5 + max(0.0, 3.0 - 1.5 * s_index) + 3.0 * labelled + 1.0 * cue + min(capitals, 3)
                 + min(0.5 * frequency, 1.5) + 0.2 * (i - start) - 0.01 * i)
        yield phrase, token.lower, score


def _completed_name(phrase: str, head: str, opening: tuple[str, ...], s_index: int) -> str:
    """A phrase with the name the sentence gives it: a full name in brackets after it, the brand opening the
    brief, or a name set before it ("Loomwork, our team platform"); tidied and at most eight words."""
    if full := _bracketed_name(opening[s_index], head):
        return full  # "the kettle launch (Halden Pour-Over Kettle, matte black)": its full name
    name = _leading_name(opening[0]) if s_index == 0 else ""  # a later sentence's noun is no longer its thing
    name = _appositive_name(opening[s_index], phrase) or _copular_name(opening[s_index], phrase) or name
    if name and name.lower() not in phrase.lower():
        phrase = _joined(name, phrase)
    return " ".join(_tidy_product(phrase).split()[:NAME_WORDS])


def _joined(name: str, phrase: str) -> str:
    """A name put before a phrase, the words they share said once: "Orla Studio Oak" + "Studio Oak
    Stool" -> "Orla Studio Oak Stool"; a phrase of the name's own words is the name."""
    first, second = name.split(), phrase.split()
    if {w.lower() for w in second} <= {w.lower() for w in first}:
        return name  # the phrase only restates words of the name ("Orla" of "Orla Oak Stool")
    shared = next((k for k in range(min(len(first), len(second)), 0, -1)
                   if [w.lower() for w in first[-k:]] == [w.lower() for w in second[:k]]), 0)
    return " ".join(first + second[shared:])


@lru_cache(maxsize=8)
def _frequencies(text: str) -> dict[str, int]:
    """How often each word occurs in the brief, by its singular (read once per brief; callers only read it)."""
    frequencies: dict[str, int] = {}
    for t in tokenize(text):
        key = singular(t.lower)
        frequencies[key] = frequencies.get(key, 0) + 1
    return frequencies


def _title_readings(text: str) -> list[ProductReading]:
    """Each segment of the title line that could name a product ("Brand - Product - shot list"), or a line of
    nothing but a name atop a pasted page."""
    segments = _title_segments(text)
    if segments is None:
        named = _name_line(text)
        return [ProductReading(*named, "name_line")] if named else []
    talk = any(w.lower() in _CONVERSATIONS for w in segments[0])  # "Voice memo - Ben": who talks, not what
    readings = []
    for place, segment in enumerate(segments):
        if (words := _title_name(segment)) and not (talk and _people(words)):
            readings.append(ProductReading(" ".join(words), _segment_head(words).lower(), "title", place))
    return readings


BRAND_READ = 2000  # characters of the brief a brand name is looked for in: its opening, where a brief names it
_BRAND_RUN = re.compile(r"(?<![\w'&.@#/-])(?-i:[A-Z])[\w'&.-]{1,30}+"
                        r"(?:[ \t]+(?:&[ \t]+)?(?-i:[A-Z0-9])[\w'&.-]{0,30}+(?![:.]\d)){0,2}")  # "Ana 9:03": a time


def _brand_readings(text: str) -> list[ProductReading]:
    """Capitalised names of one to three words that the brief repeats or titles itself with: in a brief about a
    brand ("Quillmoor wants people to feel ..."), the brand is what is being sold."""
    opening = text[:BRAND_READ]
    title = _title_line(text).lower()
    counts = _name_counts(text)
    lead = " ".join(_content_sentences(text)[:3]).lower()  # "Quillmoor Farms turns fifty": named once
    readings, seen = [], set()
    for match in _BRAND_RUN.finditer(opening):
        words = _brand_words(match.group().split())
        key = " ".join(words).lower()
        if not words or key in seen:
            continue
        seen.add(key)
        line = opening.count("\n", 0, match.start())
        if counts.get(key, 0) >= 2 or key in title or key in lead and (len(words) >= 2 or not wordnet.entry(key)):
            readings.append(ProductReading(" ".join(words), words[-1].lower(), "brand", line))
        named = _name_end(words + _noun_after(opening, match.end()).split())  # not "Doit 2 app store"
        if len(named) > len(words):
            head = singular(_segment_head(named).lower())
            readings.append(ProductReading(" ".join(named), head, "brand_noun", line))
    return readings + _channel_readings(text)


_LOWER_WORDS = re.compile(r"[ \t]+([a-z][a-z'-]{2,30}+)(?:[ \t]+([a-z][a-z'-]{2,30}+))?")


def _noun_after(text: str, end: int) -> str:
    """The lower-case noun or two right after a capitalised name ("the Vesta oat latte", "Corvell oak stool"):
    what that brand sells, when the words are no verb, function word or deliverable."""
    match = _LOWER_WORDS.match(text, end)
    if not match:
        return ""
    nouns = []
    for word in filter(None, match.groups()):
        if word in STOPWORDS or word in DELIVERABLE_NOUNS or word in _NOT_A_PRODUCT or word in _PLATFORMS \
                or wordnet.is_verb(word) and not wordnet.is_noun(word) or wordnet.verb_form(word) \
                or wordnet.is_adjective(word) and not wordnet.is_noun(word):
            break
        nouns.append(word)
    return " ".join(nouns)


def _channel_readings(text: str) -> list[ProductReading]:
    """A chat channel's coined word ("#launch-lumiq") as the brief spells it further on: often the brand."""
    channel = _chat_channel(text)
    readings = []
    for word in re.split(r"[-_]", channel.group(1)) if channel else ():
        if len(word) >= 4 and not word.isdigit() and not wordnet.entry(word.lower()):
            spelled = re.search(rf"(?<![#\w-]){re.escape(word)}\b", text[channel.end():channel.end() + BRAND_READ],
                                re.IGNORECASE)
            readings.append(ProductReading(spelled.group() if spelled else word, word.lower(), "channel"))
    return readings


def _brand_words(words: list[str]) -> list[str]:
    """A capitalised run without what opens a sentence or a line and names nothing ("Hi", "The", "Subject")."""
    words = [w.strip(".,'") for w in words]
    while words and (words[0].lower() in STOPWORDS or words[0].lower() in _NAME_STARTERS
                     or words[0].lower() in _NOT_A_PRODUCT or words[0].lower() in _PLATFORMS):
        words.pop(0)
    while words and (words[-1].lower() in STOPWORDS or words[-1].lower() in _NOT_A_PRODUCT or not words[-1]):
        words.pop()
    return words


def _name_counts(text: str) -> dict[str, int]:
    """How often each run of one to three words occurs in the brief, any case (one pass over its words)."""
    words = [t.lower for t in tokenize(text) if t.is_word]
    counts: dict[str, int] = {}
    for n in (1, 2, 3):
        for k in range(len(words) - n + 1):
            key = " ".join(words[k:k + n])
            counts[key] = counts.get(key, 0) + 1
    return counts


class _ProductContext(NamedTuple):
    """What every candidate's features are read against, read once per brief."""
    text: str
    lower: str
    title: str
    frequencies: dict[str, int]
    people: frozenset[str]
    channel: str
    phrases: frozenset[str]

    @classmethod
    def of(cls, text: str, phrases: frozenset[str] = frozenset()) -> _ProductContext:
        channel = _chat_channel(text)
        return cls(text, text.lower(), _title_line(text).lower(), _frequencies(text), _people_named(text),
                   channel.group(1).lower() if channel else "", phrases)


_CHANNEL_NAME = re.compile(r"(?:^|\s)#([\w-]{2,40})")
CHANNEL_READ = 300  # characters a chat export's channel name stands in: its header


def _chat_channel(text: str) -> re.Match[str] | None:
    """The chat channel the brief was pasted from ("#launch-lumiq"): its name is often the brand's."""
    return _CHANNEL_NAME.search(text[:CHANNEL_READ])


# Where a brief names people rather than things: a chat's speaker ("[10:02] Ana:", "Bo (client):"), whom
# it greets or who signs ("Hi Rui,", "Thanks, Nell", "From: Dana Reyes"), and a signature line of a name alone.
_SPEAKER = re.compile(r"^[\W\d]{0,3}(?:\[[^\]\n]{0,24}\]\s*)?"
                      r"(?P<name>[\w'.-]{1,30}+(?:[ \t](?-i:[A-Z])[\w'.-]{0,30}+)?)"
                      r"(?:[ \t]*(?:\([^)\n]{0,30}\))?[ \t]*:|[ \t]+\d{1,2}:\d{2}(?:[ \t]*[ap]\.?m\.?)?[ \t]*$)")
_ADDRESSED = re.compile(r"\b(?:hi|hey|hello|dear|morning|hiya|thanks|thank you|cheers|best|regards|from|to|cc|love|"
                        r"x)\b[ \t]*[,:]?[ \t]+(?P<name>(?-i:[A-Z])[\w'.-]{1,30}(?:[ \t](?-i:[A-Z])[\w'.-]{1,30})?)",
                        re.IGNORECASE)
_SIGNATURE = re.compile(r"^[ \t-]*(?P<name>(?-i:[A-Z])[a-z'.-]{1,20}(?:[ \t](?-i:[A-Z])[a-z'.-]{1,20})?)[ \t]*$")


def _people_named(text: str) -> frozenset[str]:
    """The lower-case names of the brief's speakers, greeted people and signatories, and each first name alone."""
    names = set()
    for line in text.split("\n"):
        line = line[:200]  # a name opens its line; a 100 kB line is read no further than one
        for pattern in (_SPEAKER, _ADDRESSED, _SIGNATURE):
            for match in ([pattern.match(line)] if pattern is not _ADDRESSED else pattern.finditer(line)):
                if match:
                    names.update({match.group("name").lower(), match.group("name").split()[0].lower()})
    return frozenset(names)


_INGREDIENT_BEFORE = frozenset({"with", "of", "in", "from", "and", "plus"})  # "glazed with clotted cream"


_FOR_THE = re.compile(r"(?P<thing>(?:[\w'&-]+\s+){0,5}[\w'&-]+)\s+for\s+(?:the\s+|our\s+)?$")


def _for_another(context: _ProductContext, at: int) -> bool:
    """Whether a phrase is what another candidate, a made thing, is for ("our new gift box for Tidal tea"): the
    one for it, not the thing sold. What a firm or a meeting is for ("a call with Maison Arlo for the Velours
    lipstick") is the product."""
    match = _FOR_THE.search(context.lower[max(0, at - 60):at]) if at > 0 else None
    if not match:
        return False
    words = match.group("thing").split()
    return _names_an_object(words[-1]) and any(" ".join(words[k:]) in context.phrases for k in range(len(words)))


def product_features(readings: list[ProductReading], context: _ProductContext) -> dict[str, float]:
    """The product model's features of one phrase: which readers found it and where, their scores, and what its
    words are (a made thing or a person, a firm, a deliverable, a coinage, repeated, capitalised, in the title)."""
    phrase, head = readings[0].phrase, readings[0].head
    words = phrase.split()
    features: dict[str, float] = {}
    for r in readings:
        features[f"source={r.source}"] = 1.0
        features[f"{r.source}@{min(r.place, 3)}"] = 1.0
        features["score"] = max(features.get("score", 0.0), r.score / 10)
    senses = wordnet.noun_senses(head)
    at = context.lower.find(phrase.lower())
    before = context.lower[max(0, at - 12):at].split()[-1:] if at > 0 else []
    capitalised = [w for w in words if w[:1].isupper()]
    domain = wordnet.domain(head)
    features |= {
        f"sense={senses[0] if senses else 'none'}": 1.0, f"domain={domain or 'none'}": 1.0,
        "sellable": sellable(head), "a_person": phrase.lower() in context.people
        or bool(capitalised) and all(w.lower() in context.people for w in capitalised),
        "bracketed": at > 0 and context.lower.rfind("(", 0, at) > context.lower.rfind(")", 0, at),
        "in_channel_name": any(len(w) >= 4 and w.lower() in context.channel for w in words),
        "ours": bool(before) and before[0] == "our",
        "thing": _names_a_thing(head), "object": _names_an_object(head),
        "coined": not wordnet.entry(wordnet.lemma(head)),
        "firm": _firm(words), "people": _people(words), "model_number": _model_number(words),
        "deliverable": any(singular(w.lower()) in DELIVERABLE_NOUNS or w.lower() in _MADE_OR_WRITTEN for w in words),
        # "the Harvest menu stills", "the Spring Drop lookbook": the phrase names what is made of the product
        "deliverable_head": words[-1].lower() in _MADE_OR_WRITTEN,
        "after_hero": "hero" in context.lower[max(0, at - 20):at].split(),  # "Hero is the Bramley apple pie"
        "timed": _timed(singular(head.lower()), context.lower),
        "not_a_product": any(w.lower() in _NOT_A_PRODUCT or w.lower() in _PLATFORMS for w in words),
        "in_title": bool(context.title) and phrase.lower() in context.title,
        "in_deliverable_segment": _in_a_deliverable_segment(phrase, context.text),
        "after_preposition": bool(before) and before[0] in _INGREDIENT_BEFORE,
        "after_cue": bool(before) and before[0] in _PRODUCT_CUES, "after_the": before == ["the"],
        "after_for": before == ["for"],  # "a gift box for Tidal tea": for whom, or what the brief is for
        "for_another": _for_another(context, at),
        "capitals": min(len(capitalised), 3) / 3, "all_capitals": phrase.isupper() and len(phrase) > 3,
        "words": min(len(words), 8) / 8,
        "repeated": min(context.frequencies.get(singular(head), 1) - 1, 4) / 4,
        "name_repeated": min(context.frequencies.get(singular(capitalised[0].lower()), 1) - 1, 4) / 4
        if capitalised else 0.0,
    }
    return {name: float(value) for name, value in features.items() if value}


def _appositive_name(sentence: str, phrase: str) -> str:
    """A name the brief gives right before describing the thing: "Loomwork, our team platform" -> "Loomwork"."""
    at = sentence.find(phrase)
    match = _APPOSITIVE.search(sentence[max(0, at - 40):at]) if at > 0 else None
    return match.group("name") if match else ""


def _copular_name(sentence: str, phrase: str) -> str:
    """The name a brief gives the thing by saying what it is: "lumiq is the budgeting app" -> "lumiq"."""
    at = sentence.find(phrase)
    match = _COPULAR.search(sentence[max(0, at - 50):at]) if at > 0 else None
    if not match or match.group("name").lower() in STOPWORDS or match.group("name").lower() in _NOT_A_NAME:
        return ""
    return match.group("name")


_COPULAR = re.compile(r"(?:^|[\s(])(?P<name>[\w][\w'&.-]{1,30})\s+(?:is|are)\s+(?:our|the|a|an)\s+"
                      r"(?:new\s+|all-new\s+)?$",
                      re.IGNORECASE)
_NOT_A_NAME = frozenset({"it", "this", "that", "which", "there", "what", "here", "product", "brand", "hero", "star",
                         "thing", "point", "idea", "goal", "aim", "focus", "one", "he", "she", "they", "who"})


_APPOSITIVE = re.compile(r"(?P<name>(?-i:[A-Z])[\w'&.-]*(?:\s(?-i:[A-Z0-9])[\w'&.-]*){0,2}),\s+(?:our|the|a|an)\s+$",
                         re.IGNORECASE)


# What opens an email or a chat before it says anything: a greeting ("Hi Sam,"), a header line ("From: ...",
# "Sent: ..."), a forward marker, small talk ("Happy Friday!", "Hope you're well").
_GREETING = re.compile(r"^\W*(?:hi|hey|hello|dear|morning|good morning|afternoon|hiya|yo)\b[^,!.:;\n—–]{0,30}"
                       r"(?:[,!.:]|\s[—–-]\s)\s*"
                       r"|^\s*[-=_*~]{3,}\s*", re.IGNORECASE)  # or a ruled line before pasted copy
_PREAMBLE = re.compile(r"^\W*(?:(?:from|sent|to|cc|bcc|date|reply-to)\s*:|forwarded message|begin forwarded|"
                       # a chat's speaker line: "Ana 9:03"
                       r"[\w.]{2,20}(?:[ \t][\w.]{2,20})?[ \t]+\d{1,2}:\d{2}(?:[ \t]*[ap]\.?m\.?)?[ \t]*$|"
                       r"happy \w+day\b|hope (?:you|all|everyone|this)\b|how are (?:you|things)\b|"
                       r"(?:thanks|thank you|cheers|best|regards|kind regards|many thanks|ta)\b[^.!?]{0,30}$)",
                       re.IGNORECASE)


# What introduces pasted copy, not the product: "Copied from the product sheet:", "Page copy (from Shopify):".
_PASTED_LEAD = re.compile(r"^\W*(?:copied|pasted|copy|page copy|text)\b[^:\n]{0,80}:\s*", re.IGNORECASE)
# A line that says what follows was pasted ("Marketplace listing (copied from the seller portal):", "Spec sheet,
# pasted in"): the title is the line after it.
_PASTED_LINE = re.compile(r"[^\n]{0,60}\b(?:copied|pasted|copy-pasted)\b[^\n]{0,60}?[:)]?\s*", re.IGNORECASE)


def _content_sentences(text: str) -> tuple[str, ...]:
    """The brief's sentences without the envelope: greetings cut off the front, header lines, forward markers
    and small talk left out, so the first sentence that says something is the first one read."""
    kept = (_PASTED_LEAD.sub("", _GREETING.sub("", sentence, count=1), count=1)
            for sentence in sentences(text) if not _PREAMBLE.match(sentence))
    return tuple(sentence for sentence in kept if sentence.strip()) or sentences(text)


_CUE_NP = re.compile(r"\b(?:for|on|of|launching|introducing|meet|reissuing|releasing|re:)\s*(?:the|our|a|an)?\s*"
                     r"(?=(?-i:[A-Z]))", re.IGNORECASE)
# Where a chat happens: a platform to post on for the product reader, a conversation's label for the title reader.
_MESSAGING_APPS = frozenset({"whatsapp", "imessage", "messenger", "slack", "telegram", "discord"})
_PLATFORMS = frozenset({"instagram", "tiktok", "youtube", "reels", "reel", "pinterest", "facebook", "linkedin", "meta",
                        "snapchat", "amazon", "shopify", "twitch", "strava", "kickstarter", "google", "x", "twitter",
                        "stories", "shorts", "threads", "spotify", "etsy", "ebay", "sephora", "boots", "ulta"}) \
    | _MESSAGING_APPS
_NOT_A_PRODUCT = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                            "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
                            "saturday", "sunday", "gcse", "ss", "aw", "fw", "q1", "q2", "q3", "q4","campaign", "push",
                            "launch", "refresh", "story", "film", "video", "brief", "season",
                            "shoot", "assets", "notes", "note", "team", "holiday", "summer", "winter", "spring",
                            "autumn", "fall", "brand", "agency", "client", "lead", "director", "manager", "message",
                            "pre-order", "preorder", "thanksgiving", "christmas", "xmas", "easter", "halloween",
                            "diwali", "ramadan", "eid", "hanukkah", "mother's", "father's", "valentine's", "reveal",
                            "unboxing", "relaunch", "rebrand", "reshoot"})


def _cued_phrases(sentence: str):
    """Capitalised product names after a cue ("for the Kestrel hand-carved chess set"): phrase, head, capitals."""
    tokens = tokenize(sentence)
    for match in _CUE_NP.finditer(sentence):
        first = next((k for k, t in enumerate(tokens) if t.start >= match.end()), None)
        if first is None:
            continue
        end = first
        while end < len(tokens) and end - first < 6 and tokens[end].is_word and tokens[end].lower not in _PHRASE_STOP \
                and (tokens[end].lower not in STOPWORDS or tokens[end].text[0].isupper() and tokens[end].text != "I"):
            end += 1
        while end > first and (tokens[end - 1].lower in _NOT_A_PRODUCT or not tokens[end - 1].lower.isalpha()):
            end -= 1
        platform = next((k for k in range(first, end) if tokens[k].lower in _PLATFORMS), end)
        if platform == first:
            continue  # "for the Instagram launch": a channel, not a product
        end = platform  # "for the Fizzwell kombucha reels": the product comes before the channel
        end = first + len(_name_end([t.text for t in tokens[first:end]]))  # "the Doit 2 app store video"
        words = tokens[first:end]
        if end - first >= 2 or (end - first == 1 and tokens[first].text[0].isupper() and first > 0):
            yield span_text(tokens, first, end), words[-1].lower, sum(t.text[0].isupper() for t in words)


# "for the Orrel side table shoot", "for the zinga 500 carousel": the words before what is being made name
# the product, however the brief spells them.
_MADE_FOR = re.compile(r"\bfor\s+(?:the\s+|our\s+|a\s+|an\s+|this\s+)?(?P<name>(?:[\w'&.]+(?:-[\w'&.]+)*\s+){0,4}?"
                       r"[\w'&.]+(?:-[\w'&.]+)*)\s+"
                       r"(?:shoot|launch|campaign|video|film|spot|carousel|stills|reels?|ad|tiktok|pdp|listing|"
                       r"cutdowns?|lookbook|photos?|shot list|teaser|trailer|content|refresh|reshoot|page)\b",
                       re.IGNORECASE)
MADE_FOR_SCORE = 6.0  # above a noun met in passing in the opening, below a "Product:" label (which returns first)


_TITLE_TAIL = DELIVERABLE_NOUNS | {"detail", "details"}  # what a title segment names after the product


def _name_end(words: list[str], also: frozenset[str] = frozenset(), pack_sizes: bool = False) -> list[str]:
    """A name without what trails it and names no part of it: a season or a release word, a platform, the app
    store the video runs on ("for the Doit 2 app store video"), and in a title the deliverable and the pack size
    ("Oat Milk 1L", "kettle stills", "coat detail shots")."""
    words = list(words)
    while words and (words[-1].lower() in _NOT_A_PRODUCT or words[-1].lower() in _PLATFORMS
                     or words[-1].lower() in also or pack_sizes and _PACK_SIZE.fullmatch(words[-1].lower())):
        words.pop()
    return words[:-2] if [w.lower() for w in words[-2:]] in (["app", "store"], ["play", "store"]) else words


def _made_for(sentence: str):
    """The product named right before the deliverable made for it: phrase, head, capitals."""
    for match in _MADE_FOR.finditer(sentence):
        words = _name_end(_name_words(match.group("name")))
        plain = [w.lower().split("'")[0] for w in words]
        if not words or any(w in STOPWORDS or w in _MADE_OR_WRITTEN for w in plain):
            continue  # "for the spring campaign", "for what we launch", "for the PDP refresh": no name before it
        head = _segment_head(words).lower()  # "zinga 500": the name's noun before its model number
        coined = not wordnet.entry(wordnet.lemma(head))
        if head != words[-1].lower() or coined or words[-1][0].isupper() or _names_a_thing(head):
            yield " ".join(words), singular(head), sum(w[0].isupper() for w in words)


_OUR_THING = re.compile(r"\b(?:our|the new|introducing|launching)\s+((?:[\w-]+\s+){0,3}?[\w-]+)\s+"
                        r"(?:launch(?:es)?|is|are|drops?|goes|arrives?|comes?|hits?|will)\b", re.IGNORECASE)


def _possessive_product(text: str) -> tuple[str, str]:
    """No product noun known: fall back on "our matte liquid lip launches ..."."""
    for sentence in sentences(text)[:3]:
        match = _OUR_THING.search(sentence)
        if match:
            words = match.group(1).split()
            if not any(w.lower() in {"campaign", "brand", "team", "shoot", "ad", "video", "launch"} for w in words):
                return " ".join(words), words[-1].lower()
    return "", ""


_PRODUCT_LINE = re.compile(r"(?:^|\n|[.;]\s)\s*[-*•]?\s*(?:(?:the|our)\s+)?(?:product|item|product name|item name|"
                           r"model|sku)\s*[:=]\s*(?P<phrase>(?:[^,.;:\n(]|\.(?=\w)){3,80})"  # "No.5" stays whole
                           # "So the new product is the Tarn Salmon Chews." says it as plainly
                           r"|\bthe (?:new )?product (?:is|will be) (?:the |our )?"
                           r"(?P<named>(?-i:[A-Z])[\w'&-]*(?:\.\w+)?(?:\s+(?-i:[A-Z0-9])[\w'&-]*(?:\.\w+)?){0,5})",
                           re.IGNORECASE)


def _labelled_product(text: str) -> tuple[str, str] | None:
    """"Product: Penrose waxed-cotton field jacket, corduroy collar": the brief says it outright."""
    match = _PRODUCT_LINE.search(text)
    if not match:
        return None
    words = _tidy_product(match.group("phrase") or match.group("named")).split()[:8]
    if not words or not (words[-1][0].isalpha() or _model_number(words)):  # "Tidewell Abyssal 300"
        return None
    return " ".join(words), (words[-2] if _model_number(words) else words[-1]).lower()


# "Storyboard: Cane Ridge Bourbon, 15s pre-roll" or "Forge & Loom 14oz selvedge — PDP refresh"
_TITLE = re.compile(r"^\s*(?:(?:creative\s+)?(?:subject|re|brief|fwd?|product|storyboard|shot list|project|job)"
                    r"(?:\s+v?\d+)?\s*:\s*(?P<labelled>[^:—–|,\n]{3,60}?)\s*(?:\s[—–-]\s|\s\|\s|,\s|\n|$)"
                    r"|(?P<title>[^:—–|,\n]{3,60}?)\s+(?:—|–|-|\|)\s+(?P<rest>[^:—–|,(\n]{3,80}))", re.IGNORECASE)
# Title lines that name the document, not the product: "Notes on edit 3 — Farrow & Lane linen shirt film".
_DOCUMENT_WORDS = frozenset({"notes", "note", "feedback", "brief", "briefing", "storyboard", "shot", "treatment",
                             "deck", "creative", "round", "draft", "comments", "changes", "update", "recap", "voice",
                             "memo", "transcript", "call", "meeting", "minutes", "email", "thread", "slide", "summary",
                             "chat", "export", "log", "agenda", "request", "copy", "pasted",
                             "points"})
# What a brief makes or writes, never what it sells: a deliverable ("stills", "lookbook") or a document ("notes").
_MADE_OR_WRITTEN = DELIVERABLE_NOUNS | _DOCUMENT_WORDS


# An email's subject line, wherever the header puts it ("From: ...\nTo: ...\nSubject: ...").
_FORWARD_MARK = re.compile(r"^((?:subject|re)\s*:\s*)(?:(?:fwd?|fw|re)\s*:\s*)+", re.IGNORECASE)  # "Subject: FW: X"
_SUBJECT_LINE = re.compile(r"^[ \t]*(?:subject|re)[ \t]*:.*$", re.IGNORECASE | re.MULTILINE)
ENVELOPE_LINES = 8  # a subject line further down is quoted mail, not this brief's title


def _title_line(text: str) -> str:
    """The line that titles the brief: a subject line in the header, else the first line. A first line in
    brackets is a timestamp or a memo label ("[Memo - Priya, 1:02]"), never a title."""
    head = "\n".join(text.strip().split("\n")[:ENVELOPE_LINES])
    if subject := _SUBJECT_LINE.search(head):
        return _FORWARD_MARK.sub(r"\1", subject.group().strip())
    lines = text.strip().split("\n")
    pasted = _PASTED_LEAD.fullmatch(lines[0]) or _PASTED_LINE.fullmatch(lines[0])
    first = next((line for line in lines[1:4] if line.strip()), lines[0]) if pasted else lines[0]  # "Page copy:"
    # "[Memo - Priya, 1:02]" is a timestamp, "#launch - Mia:" a chat's speaker: neither titles anything
    speaker = first.rstrip().endswith(":") and len(_TITLE_SEPARATOR.split(first)[-1].split()) <= 2
    return "" if first.lstrip().startswith(("[", "(")) or speaker else first


@lru_cache(maxsize=64)
def _title_segments(text: str) -> tuple[tuple[str, ...], ...] | None:
    """The words of each segment of a title line ("Brand - Product - shot list"), or None with no such title;
    cached, because the product reader asks twice."""
    line = _title_line(text)
    match = _TITLE.match(line)
    if not match:
        return None
    first = tuple((match.group("labelled") or match.group("title")).split())
    if match.group("rest"):
        parts = _TITLE_SEPARATOR.split(match.group("rest"))
    else:  # "Subject: Name | what is made, photo brief": the segments after the label
        parts = _LABELLED_REST.split(line[match.end():])
    return (first, *(tuple(part.split()) for part in parts if part.strip()))


_RUNNING_TIME = re.compile(RUNNING_TIME)
TIMED_REACH = 2  # words either side of a running time that it times ("6s bumpers", "the bumpers run 6s")


@lru_cache(maxsize=8)
def _timed_words(lower: str) -> frozenset[str]:
    """The words a brief gives a running time (read once per brief: a search per candidate is quadratic)."""
    words: set[str] = set()
    for match in _RUNNING_TIME.finditer(lower):
        before = lower[max(0, match.start() - 40):match.start()].split()[-TIMED_REACH:]
        after = lower[match.end():match.end() + 40].split()[:TIMED_REACH]
        words.update(singular(w.strip(".,;:()\"'")) for w in before + after)
    return frozenset(words)


def _timed(head: str, lower: str) -> bool:
    """Whether the brief gives the noun a running time ("6s bumpers", "the bumpers run 6s"): a film, not a thing."""
    return head in _timed_words(lower)


def _in_a_deliverable_segment(phrase: str, text: str) -> bool:
    """Whether a phrase stands in a title segment that names the document or deliverable ("15s YouTube bumper")."""
    return any(phrase in " ".join(words) for words in _title_segments(text) or () if _names_a_deliverable(words))


def _names_a_deliverable(words: tuple[str, ...]) -> bool:
    """A title segment that says what is made or written ("15s bumpers + stills", "photo brief"), not a thing."""
    plain = [w.lower().strip(".,;:()\"'") for w in words]
    return "+" in plain or any(w in _MADE_OR_WRITTEN or w in _PLATFORMS or _DURATION.fullmatch(w) for w in plain)


# What a chat export or a transcript calls itself: the names after it are who talks, never the product.
_CONVERSATIONS = frozenset({"memo", "transcript", "export", "thread", "chat", "call", "meeting", "minutes", "dm",
                            "voice"}) | _MESSAGING_APPS


def _model_number(words: list[str] | tuple[str, ...]) -> bool:
    """Whether a name ends in a model or version number after a capitalised word: "Kestrel 75", "Quill Pad 5.0"."""
    return len(words) >= 2 and bool(_VERSION.fullmatch(words[-1])) and words[-2][:1].isupper()


def _segment_head(words: list[str]) -> str:
    """The noun a title segment ends on, before a model or version number ("Quill Pad 5.0" -> "Pad")."""
    return words[-2] if len(words) >= 2 and _VERSION.fullmatch(words[-1]) else words[-1]


def _people(words: list[str]) -> bool:
    """A title segment of names alone ("Ben", "Ria & Ed"): capitalised words that name no object."""
    named = [w for w in words if w != "&"]
    return 0 < len(named) <= 3 and all(w[:1].isupper() and not _names_an_object(w) for w in named)


_FIRM_ENDINGS = frozenset({"co", "ltd", "inc", "llc", "gmbh", "company", "sons", "brothers", "bros"})


def _firm(words: list[str] | tuple[str, ...]) -> bool:
    """A title segment that names the maker, not the product: "Rook & Wren" (names joined by "&", nothing else),
    "Tarrow Knit Co."; "Forge & Loom 14oz selvedge" names its product too."""
    names_only = "&" in words and all(w == "&" or w[:1].isupper() for w in words)
    # "Fernway Bikes", "Ostra Tools": a name in capitals with a plural noun names who makes the things
    trade_name = len(words) >= 2 and all(w[:1].isupper() for w in words) and singular(words[-1].lower()) != \
        words[-1].lower() and wordnet.is_noun(words[-1])
    return names_only or trade_name or words[-1].lower().rstrip(".") in _FIRM_ENDINGS


_OBJECT_SENSES = frozenset({"artifact", "food", "substance"})  # not "object": a marsh, a hill (and surnames)


def _names_an_object(word: str) -> bool:
    """A title's product word: a thing sold, or a word whose usual sense is a made or natural object ("plane")."""
    senses = wordnet.noun_senses(word.lower())
    return _names_a_thing(word) or bool(senses) and senses[0] in _OBJECT_SENSES \
        and word.lower() not in _MADE_OR_WRITTEN


NAME_LINES = 6  # a pasted page names its product in one of its first lines
_CAPITALISED = re.compile(r"[A-Z0-9]")


def _name_line(text: str) -> tuple[str, str] | None:
    """A line that is nothing but a name in Title Case ("Ridgeback 35L Daypack" atop a pasted product page)."""
    lines = [line.strip() for line in text.split("\n") if line.strip()][:NAME_LINES]
    for line in lines:
        words = line.split()
        if not 2 <= len(words) <= 7 or line.endswith((":", ".", "?", "!", ",")) or ":" in line or "|" in line:
            continue
        if _GREETING.match(line) or _PREAMBLE.match(line):
            continue
        if sum(bool(_CAPITALISED.match(w)) for w in words) < max(2, len(words) - 1):
            continue
        if line.isupper() or not (name := _title_name(words)):
            continue  # a heading in capitals ("KEY PROOF POINTS"), or no name
        # its last word a thing sold, or a coinage no dictionary has beside a model number ("35L Daypack"); two
        # unknown words alone are a person ("Elise Moreau" signing off)
        coined = not wordnet.entry(name[-1].lower()) and any(ch.isdigit() for ch in line)
        if _names_an_object(name[-1]) or coined:
            return " ".join(name), name[-1].lower()
    return None


_VERSION = re.compile(r"(?=[^\s]*\d)[\w.-]{1,8}")  # "75", "5.0", "24H", "X18": a model or version after a name
_DURATION = re.compile(r"\d+(?:\.\d+)?(?:s|secs?|seconds?|min|mins|\")", re.IGNORECASE)
_TITLE_SEPARATOR = re.compile(r"\s+(?:—|–|-|\|)\s+")
_LABELLED_REST = re.compile(r"\s+(?:—|–|-|\|)\s+|,\s+")


TITLE_NAME_WORDS = 6  # words a title segment may have and still be a name...
MAX_TITLE_NAME = 8  # ...or more when every word is capitalised ("Glen Arrach 18 Year Old Sherry Cask")


def _title_name(words: list[str] | tuple[str, ...]) -> list[str] | None:
    """A title segment as a product name, or None where it names the document, a person or an action."""
    words = _BRACKETED.sub("", " ".join(words)).split()
    if not words or words[0].lower() in _DOCUMENT_WORDS or words[-1].lower() in _DOCUMENT_WORDS:
        return None  # "Notes on edit 3", "cosy brief": the document, not the product
    if "/" in words or _DURATION.fullmatch(words[0]) or any(w.startswith("@") for w in words):
        return None  # "Yuki / Chris" lists who is talking, "@maker x photographer" too; "15s social" is made
    words = _name_end(words, _TITLE_TAIL, pack_sizes=True)
    while words and words[0].lower() in _NAME_STARTERS:
        words.pop(0)
    if words and all(w.lower() in STOPWORDS or w.lower() in _ADDRESSEES for w in words):
        return None  # "Hi both", "hey team": who the brief is written to
    if not words or not (words[-1][0].isalpha() or _model_number(words)):  # "Kestrel 75"
        return None
    long = len(words) > TITLE_NAME_WORDS and not _all_capitalised(words)
    if len(words) > MAX_TITLE_NAME or long or "+" in words \
            or wordnet.verb_form(words[-1]) and words[-1].lower().endswith("ing"):
        return None
    if wordnet.verb_form(words[0]) and words[0].lower().endswith("ing") \
            or any(w.lower() in {"we", "i", "you"} for w in words[1:]):
        return None  # "pasting the copy below": a sentence, not a name
    return words


def _names_a_thing(word: str) -> bool:
    word = word.lower()
    return word in PRODUCT_NOUNS or singular(word) in PRODUCT_NOUNS or sellable(word)


def _name_words(phrase: str) -> list[str]:
    """A name's words without what opens a sentence ("so", "new") or names a platform ("WhatsApp")."""
    return [w for w in phrase.split() if w.lower() not in _NAME_STARTERS and w.lower() not in _PLATFORMS]


def _all_capitalised(words: list[str] | tuple[str, ...]) -> bool:
    """Every word starts with a capital or a digit, as a name is written ("Glen Arrach 18 Year Old")."""
    return all(w[:1].isupper() or w[:1].isdigit() for w in words)


def _leading_name(sentence: str) -> str:
    """A brand or product name opening the brief ("Obra Cacao, single-origin bar ...")."""
    match = _LEADING_NAME.match(sentence)
    if not match:
        return ""
    words = _name_words(match.group("name"))
    named = words and any(c.isalpha() for c in "".join(words)) and _all_capitalised(words) \
        and not all(w.lower() in STOPWORDS for w in words)  # "It is the best bag": a pronoun, no name
    return " ".join(words) if named else ""


# What a noun's usual sense must not be for it to name the product: who, where, when, what happens or is felt.
# (A packet's first sense is a group of things wrapped together: a group can still be sold.)
_NEVER_SOLD = frozenset({"person", "animal", "location", "time", "event", "feeling", "motive", "cognition", "act",
                         "communication", "state", "process", "phenomenon", "relation"})


def sellable(word: str, launched: bool = False) -> bool:
    """Whether a noun names a thing that is sold: WordNet places it in a product domain (furniture,
    garment, food, ...) and its most frequent sense is not a person, place, document or event. A detail word
    ("cushion", "strap") is the product only where the brief launches it (`launched`)."""
    if len(word) < 3 or not word.isalpha() or word in STOPWORDS or word in DETERMINERS:
        return False  # "a" is also a noun (the vitamin); closed-class words never name the product
    senses = wordnet.noun_senses(word)
    a_part = word in DETAIL_TERMS or singular(word) in DETAIL_TERMS
    usual = bool(senses) and (senses[0] not in _NEVER_SOLD or launched and "artifact" in senses[1:2])
    return usual and wordnet.domain(word) not in ("", "setting") and not wordnet.is_adjective(word) \
        and (launched or not a_part)


def _noun_slot(tokens: list[Token], i: int) -> bool:
    """Whether a word that can also be a verb stands where a noun does: after a determiner, a possessive,
    a number or an adjective ("our new stays"), not after a noun that could be its subject ("the room stays")."""
    word = tokens[i].lower
    if i and tokens[i - 1].lower in _VERB_BEFORE and wordnet.is_verb(word):
        return False  # "lets you book a plumber", "to book": the verb, whatever its form
    if not wordnet.is_verb(word) or wordnet.lemma(word, "v") == word:
        return True  # a bare form after a noun is a compound ("support cushion"); "stays" there is a verb
    if i == 0:
        return False
    prev = tokens[i - 1].lower
    return prev in DETERMINERS or prev in _PRODUCT_CUES or prev.isdigit() or prev.endswith("'s") or (
        wordnet.is_adjective(prev) and not wordnet.is_noun(prev))


# Words after which a word that can be a verb is one: a subject pronoun, a modal, "to".
_VERB_BEFORE = frozenset({"you", "we", "i", "they", "to", "can", "will", "could", "would", "should", "must", "may",
                          "might", "lets", "helps", "don't", "never", "just"})


# A business function before a noun names who wrote the brief ("the marketing desk", "the brand team").
_SENDER_FUNCTIONS = frozenset({"marketing", "sales", "comms", "communications", "pr", "ecommerce", "e-commerce",
                               "legal", "finance", "hr", "partnerships", "merchandising", "procurement"})


def _is_product_head(tokens: list[Token], i: int) -> bool:
    word = tokens[i].lower.rsplit("-", 1)[-1]
    if i and tokens[i - 1].lower in _SENDER_FUNCTIONS or word in DELIVERABLE_NOUNS:
        return False  # who wrote the brief ("the marketing desk"), or what it asks for ("launch stills")
    if i and (tokens[i - 1].lower in _PLATFORMS or _DURATION.fullmatch(tokens[i - 1].lower)):
        return False  # "a YouTube bumper", "the 6s spot": a deliverable however its noun reads
    if i and tokens[i].text.isupper() and len(tokens[i].text) > 1 and tokens[i - 1].is_word \
            and not tokens[i - 1].text.isupper():
        return False  # an acronym after the name ("sunscreen SPF 50") qualifies it; a name in capitals is a name
    if word not in PRODUCT_NOUNS and singular(word) not in PRODUCT_NOUNS and not (
            tokens[i].text.islower() and (sellable(word, _launched(tokens, i)) or _artifact_compound(tokens, i - 1, i))
            and _noun_slot(tokens, i)):
        return False  # a capitalised word the noun list does not know is a name; a verb's slot holds no product
    if _modifies_next(tokens, i):
        return False  # "juice groove": a noun before another thing's noun names what that thing is for
    if _manner_of_making(tokens, i):
        return False  # "a leather bag saddle stitched by hand": how the bag is stitched, no saddle
    if tokens[i].lower in _PLATFORMS and tokens[i].text[0].isupper():
        return False  # "Boots" the shop, not "puddle jumper boots"
    nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    next_is_product = (nxt in PRODUCT_NOUNS or singular(nxt) in PRODUCT_NOUNS) and nxt not in _NOT_A_PRODUCT \
        and nxt not in DELIVERABLE_NOUNS \
        and not tokens[i + 1].text.isupper()  # "sunscreen SPF 50": an acronym after the noun only qualifies it
    if next_is_product or nxt in _NOT_PRODUCT_AFTER:
        # the next word is the real head ("coffee bag", not "boots spring push") or no product ("pack shot")
        return False
    if word == "can" and nxt and nxt not in PREPOSITION_WORDS and tokens[i + 1].is_word:
        return False  # "a child can count": the modal verb, not a drinks can
    if word in _AMBIGUOUS_PRODUCTS or singular(word) in _AMBIGUOUS_PRODUCTS:
        prev = tokens[i - 1] if i else None
        if prev is None or (not prev.is_word and prev.text != "%") or prev.lower in {"we", "you", "they", "i", "it",
                                                                                     "to", "and", "or", "that"}:
            return False
    return True


def _manner_of_making(tokens: list[Token], i: int) -> bool:
    """Whether a noun after a product noun says how the next word, a participle, was done ("bag saddle
    stitched"); "the tote bag stitched by hand" keeps its bag."""
    if not (0 < i < len(tokens) - 1 and tokens[i - 1].is_word and tokens[i + 1].is_word):
        return False
    before, after, word = tokens[i - 1].lower, tokens[i + 1].lower, tokens[i].lower
    nouns = PRODUCT_NOUNS
    return word not in nouns and singular(word) not in nouns and (before in nouns or singular(before) in nouns) \
        and after.endswith(("ed", "en", "wn")) \
        and bool(wordnet.verb_form(after))


@lru_cache(maxsize=256)  # asked once for each reading of the same head in the same sentence
def _bracketed_name(sentence: str, head: str) -> str:
    """A full name in brackets after the product noun, ending in that noun: "(Halden Pour-Over Kettle, ...)"."""
    if "(" not in sentence:
        return ""
    match = re.search(rf"\b{re.escape(head)}\b[^()]{{0,30}}\(\s*((?:[A-Z0-9][\w'’&.-]*\s+){{1,5}}{re.escape(head)})\b",
                      sentence, re.IGNORECASE)
    return match.group(1) if match and match.group(1)[0].isupper() else ""


def _named_after(tokens: list[Token], i: int) -> str:
    """A name set right after the product noun ("the budgeting app Tally helps ...", "our trail shoe, the Ridge
    2."): capitalised words, a model number among them, ending the clause or followed by its verb."""
    j = i + 1
    if j + 1 < len(tokens) and tokens[j].text == ",":
        j += 2 if tokens[j + 1].lower == "the" else 1
    k = j
    while k < len(tokens) and k - j < 4 and tokens[k].is_word and (tokens[k].text[0].isupper()
                                                                   or k > j and tokens[k].text.isdigit()):
        k += 1
    if k == j or any(t.lower in _PLATFORMS or t.lower in _NOT_A_PRODUCT for t in tokens[j:k]):
        return ""
    if tokens[j].text.isupper() and k - j >= 2 and tokens[j + 1].text.isdigit():
        return ""  # "sunscreen SPF 50", "cable USB 3": a rating, not a name
    ends = k == len(tokens) or not tokens[k].is_word or (j == i + 1 and tokens[k].text.islower())
    return span_text(tokens, j, k) if ends else ""


def _launched(tokens: list[Token], i: int) -> bool:
    """Whether the brief presents the noun as what it sells: a launch cue or a brand name just before it."""
    return any(t.lower in _PRODUCT_CUES for t in tokens[max(0, i - 5):i]) or _branded(tokens, i)


def _branded(tokens: list[Token], i: int) -> bool:
    """Whether a brand name stands just before the noun ("Fenwick trail stroller"): a capitalised word no
    dictionary knows, so the noun is the thing that brand sells, even where its usual sense is a person."""
    return any(t.is_word and t.text[0].isupper() and t.text.isalpha() and not wordnet.entry(t.lower)
               for t in tokens[max(0, i - 3):i])


def _artifact_compound(tokens: list[Token], first: int, last: int) -> bool:
    """Whether two words are one made thing WordNet knows ("chopping board", "hair dryer")."""
    if first < 0 or not (tokens[first].is_word and tokens[last].is_word):
        return False
    senses = wordnet.noun_senses(f"{tokens[first].lower} {singular(tokens[last].lower)}")
    return bool(senses) and senses[0] == "artifact"


def _modifies_next(tokens: list[Token], i: int) -> bool:
    """Whether the noun at i modifies a physical noun right after it: the head of the phrase is that noun.
    The next word must stand as a noun: an inflected verb form there is the sentence's verb ("the bag holds")."""
    if i + 1 >= len(tokens) or not tokens[i + 1].is_word or not tokens[i + 1].text.islower():
        return False
    nxt = tokens[i + 1].lower
    if nxt in STOPWORDS or nxt in _NOT_A_PRODUCT or nxt in _NOT_PRODUCT_AFTER or nxt in DELIVERABLE_NOUNS \
            or (wordnet.is_verb(nxt) and wordnet.lemma(nxt, "v") != nxt):
        return False
    return wordnet.physical(nxt) and not wordnet.is_adjective(nxt)


_BRACKETED = re.compile(r"\s*\([^()]*\)?|\s*\[[^\[\]]*\]?")


def _tidy_product(phrase: str) -> str:
    """The product phrase without a leading determiner, "new" or verb, and without a bracketed aside ("(pasted
    from Shopify)", "(2 kg"): a name carries no brackets."""
    words = _BRACKETED.sub("", phrase).split()
    while words and (words[0].lower() in DETERMINERS or words[0].lower() in {"new", "all-new", "latest"}
                     or _leading_verb(words)):
        words.pop(0)
    return " ".join(words)


def _leading_verb(words: list[str]) -> bool:
    """A verb before a modifier is the sentence's action, not the product's name: "(we) bake slow-fermented
    sourdough". Only when the next word is a participle or compound modifier, so "sleep mask" stays whole."""
    if len(words) < 3 or not words[0].islower():
        return False
    first, nxt = words[0].lower(), words[1].lower()
    senses = wordnet.noun_senses(first)
    return wordnet.is_verb(first) and (not senses or senses[0] in wordnet.NOT_A_THING) \
        and ("-" in nxt or nxt.endswith("ed"))


_WHOLE_THINGS = frozenset({"face", "faces", "person", "people", "model", "models", "woman", "man", "women", "men",
                           "hand", "hands", "product", "products", "pack", "packshot", "bottle", "box", "jar", "body",
                           "head", "portrait", "talent", "kid", "kids", "child", "children", "girl", "boy", "family",
                           "room", "table", "scene", "set", "outfit", "look", "range", "collection", "team"})


def _is_detail_phrase(phrase: str) -> bool:
    """Whether the object of a "close-up of ..." is detail-sized rather than a whole face, person or product.

    A named detail term (seam, eye, droplet) is detail-sized; so is any part that is not a
    whole thing ("the status dot beside the vent", "the dotted perforation on the strip").
    """
    tokens = [t for t in tokenize(phrase)[:10] if t.is_word]
    words = [singular(t.lower) for t in tokens]
    if any(w in DETAIL_TERMS for w in words[:5]):
        return True
    run = []
    for word in words:
        if word in DETERMINERS or word in {"her", "his", "their", "our", "my"}:
            if run:
                break
            continue
        if word in STOPWORDS:
            break
        run.append(word)
    if not run:
        return False
    head = run[-1]
    if any(w.split("'")[0] in _WHOLE_THINGS for w in run):
        return False  # "talent's face mid-application" is a face, a close-up is right
    return head not in PRODUCT_NOUNS and not head.endswith("ing") and not _a_person(head)


def _a_person(noun: str) -> bool:
    """Whether a noun names someone ("the founder", "a florist") rather than a thing that happens to end the same
    way ("the zipper", "the dropper", "the speaker"): WordNet's first senses say a person and no made thing."""
    senses = wordnet.noun_senses(noun)[:2]
    return "person" in senses and "artifact" not in senses


# The lexicon's vocabularies are lower case and run on folded text (tools.text.fold).
# A cue is a whole word, plural or not ("carousels"), and "print" a noun: "printed on the base" or "we print the
# date" is how a mark is made, not the print channel.
_CHANNEL_PATTERNS = {channel: re.compile(r"(?<!\bto )(?<!\bwe )(?<!\bthey )(?<!\bwill )\b(?:"
                                         + "|".join(re.escape(c.lower()) for c in cues) + r")(?:e?s)?(?![\w-])")
                     for channel, cues in CHANNELS.items()}
_GOALS = {stem.lower(): goal for stem, goal in GOALS.items()}
_GOAL_PATTERN = re.compile(r"\b(?:" + "|".join(re.escape(stem) for stem in sorted(_GOALS, key=len, reverse=True)) + ")")


def _channels(text: str) -> list[str]:
    hits = []
    folded = fold(text)
    for channel, pattern in _CHANNEL_PATTERNS.items():
        match = pattern.search(folded)
        if match:
            hits.append((match.start(), channel))
    return [channel for _, channel in sorted(hits)]


_TONE_PATTERN = re.compile(r"\b(?:" + "|".join(re.escape(tone.lower()) for tone in TONES) + r")\b")


def _tones(text: str) -> list[str]:
    found = set(_TONE_PATTERN.findall(fold(text)))
    return [t for t in TONES if t in found][:4]


def _aspect_ratio(text: str, channels: list[str]) -> str:
    for match in _ASPECT.finditer(text):
        ratio = f"{match.group(1)}:{match.group(2)}"
        if ratio in _ASPECTS:
            return ratio
    lower = text.lower()
    if re.search(r"\bvertical\b|\bportrait\b", lower):
        return "9:16"
    if re.search(r"\bsquare\b", lower):
        return "1:1"
    if re.search(r"\blandscape\b|\bwidescreen\b", lower):
        return "16:9"
    return CHANNEL_ASPECT.get(channels[0], "4:5") if channels else "4:5"


def _audience(text: str) -> str:
    for match in _AUDIENCE.finditer(text):
        who = match.group("who").strip()
        if _PEOPLE.search(who):
            return " ".join(who.split()[:12])
    return ""


def _goals(text: str) -> list[str]:
    ordered: list[str] = []
    for match in _GOAL_PATTERN.finditer(fold(text)):
        goal = _GOALS[match.group()]
        if goal not in ordered:
            ordered.append(goal)
    return ordered[:5]


_LISTED_AFTER_CUE = re.compile(r"^\s*(?:are|is|:|-|–|—|in)?\s*(?P<rest>[^.;!?\n]+)")
_ITEM_SPLIT = re.compile(r"\s*(?:,|\band\b|\bor\b|\bplus\b|&)\s*", re.IGNORECASE)
MAX_COLORWAY_WORDS = 3


def _colorways(text: str) -> list[str]:
    """The colourways (shades, finishes, flavours) the brief names: the items listed after a cue ("comes in
    volt, black/white and ocean blue"), else the colour words in a cue sentence."""
    found: list[str] = []
    for sentence in sentences(text):
        cue = _COLORWAY_CUE.search(sentence)
        if not cue:
            continue
        found += [name for name in _listed_names(sentence[cue.end():]) if name not in found]
        if found:
            continue
        tokens = tokenize(sentence)
        for i, token in enumerate(tokens):
            following = tokens[i + 1].lower if i + 1 < len(tokens) else ""
            if token.lower in COLORS and following not in COLORS and following not in {"background", "backdrop"}:
                prev = tokens[i - 1].lower if i else ""
                name = f"{prev} {token.lower}" if prev in COLORS or prev in {"forest", "sky", "midnight", "deep",
                                                                             "pale", "dusty"} else token.lower
                if name not in found and not any(name in f for f in found):
                    found.append(name)
    return found[:6]


def _listed_names(after_cue: str) -> list[str]:
    """Short names listed right after a colourway cue; none when what follows is prose, not a list."""
    match = _LISTED_AFTER_CUE.match(after_cue)
    if not match:
        return []
    items = [" ".join(w for w in item.split() if w.lower() not in DETERMINERS).strip(" :()\"'")
             for item in _ITEM_SPLIT.split(match.group("rest"))]
    items = [item for item in items if item]
    if len(items) < 2 or any(len(item.split()) > MAX_COLORWAY_WORDS for item in items):
        return []  # one phrase, or a clause: not a list of names
    if any(wordnet.is_verb(w) and not wordnet.is_noun(w) and not wordnet.is_adjective(w)
           for item in items for w in item.lower().split()):
        return []
    return [item.lower() if not item.isupper() else item for item in items]


def _ordered_hits(text: str, vocabulary: frozenset[str]) -> list[str]:
    hits: list[str] = []
    for token in tokenize(text):
        if token.lower in vocabulary and token.lower not in hits:
            hits.append(token.lower)
    return hits


_ECU_NOUN = (r"(?:tight|close|macro|ecu|detail|extreme)[\w -]{0,20}?"
             r"(?:moments?|shots?|frames?|details?|ones?|ecus?|macros?|close-ups?)")
_CAP = re.compile(
    rf"\b(?P<a>\d|one|two|three|four|five|six)\s+{_ECU_NOUN}\s*(?:max|maximum|at most|tops)\b"
    rf"|\b(?:max(?:imum)?|at most|no more than|only|just)\s+(?:of\s+)?(?P<b>\d|one|two|three|four|five|"
    rf"six)\s+{_ECU_NOUN}",
    re.IGNORECASE)


# "a 15-second cut", "15s reel", ":30 spot", "30 sec video": how long the film runs. A length with a unit
# next to a video word, so "dries in 60 seconds" (a claim) is not a running time.
_VIDEO_LENGTH = re.compile(r"(?:\b(\d{1,3})\s*-?\s*(?:s|sec|secs|seconds?)\b|(?<![\d:]):(\d{2})\b)"
                           r"(?=[^.;\n]{0,40}\b(?:video|film|cut|spot|reel|reels|story|stories|ad|edit|tiktok|"
                           r"short|clip|storyboard|sequence|loop|bumper|trailer|teaser|youtube|gif)s?\b)",
                           re.IGNORECASE)
MAX_VIDEO_S = 180


# "Storyboard: Ridgeline flask, 15s": the length after the word that says it is a film.
_LENGTH_AFTER = re.compile(r"\b(?:video|film|spot|reel|storyboard|animatic|edit|cut|ad|commercial)\b[^.;\n]{0,40}?"
                           r"\b(\d{1,3})\s*-?\s*(?:s|sec|secs|seconds?)\b", re.IGNORECASE)
# "4 stills + 20s", "5 stills, 45s": a running time listed beside the stills is a film deliverable.
_LISTED_LENGTH = re.compile(r"\bstills?\b[^.;\n]{0,20}?(?:\+|&|,|\band\b|\bplus\b)\s*(?:an?\s+|one\s+)?"
                            r"(\d{1,3})\s*-?\s*(?:s|secs?|seconds?)\b", re.IGNORECASE)


def video_length(text: str) -> float | None:
    """The running time the brief asks of its video, in seconds, or None: a stated length, else where the
    last storyboard row ends."""
    for match in chain(_VIDEO_LENGTH.finditer(text), _LENGTH_AFTER.finditer(text), _LISTED_LENGTH.finditer(text)):
        seconds = int(match.group(1) or match.group(2))
        if 3 <= seconds <= MAX_VIDEO_S:
            return float(seconds)
    ends = storyboard_row_ends(text)  # the last row's end is the film's length
    if len(ends) >= 2 and 3 <= max(ends) <= MAX_VIDEO_S:
        return float(max(ends))
    return None


# "a four-slide carousel", "8 images", "3 frames in all": the campaign's whole frame count (not its ECUs).
_FRAME_COUNT = re.compile(rf"\b({COUNT})[- ]"
                          r"(?:slides?|frames?|images?|stills?|tiles?|panels?)\b"
                          r"(?!\s+(?:of|with) (?:the )?(?:ecu|macro|extreme))",
                          re.IGNORECASE)
MAX_FRAMES = 12


def _plan_frames(text: str, channels: list[str], video_seconds: float | None) -> int | None:
    """The frame count the whole plan must fit: only where one stills channel is named, since beside a film
    or another channel a count is that deliverable's slots ("a 20s film and a four-image set")."""
    if len(channels) != 1 or channels[0] == "short_video" or video_seconds:
        return None
    return asked_frames(text)


def asked_frames(text: str) -> int | None:
    """The number of frames the brief asks for in all, or None (the rhythm then decides)."""
    match = _FRAME_COUNT.search(text)
    frames = count_value(match.group(1)) if match else None
    return frames if frames and 2 <= frames <= MAX_FRAMES else None


def _max_ecus(text: str) -> int | None:
    match = _CAP.search(text)
    if not match:
        return None
    return count_value(match.group("a") or match.group("b"))


def _requested_ecus(text: str) -> int | None:
    match = REQUESTED_ECUS.search(fold(text))
    return requested_count(match) if match else None
