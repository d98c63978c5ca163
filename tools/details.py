"""Detail picking: the few small things worth an extreme close-up, each with a job.

Candidates come from the brief's own words only: a detail term with its
modifiers ("engraved brass zip pull", "bead of condensation on the can"), or a
physical noun the lexicon does not know where the brief says it sells. They are
ranked by how visually and how insistently the brief talks about them, and
picked so the set covers different jobs rather than repeating one. When the
brief names too few, the plan asks instead of inventing stock details. Which job each does is
decided in tools/jobs.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field

from agent.models import MAX_DETAIL_WORDS, MAX_ECUS, Category, Detail
from tools import learned
from tools.brief import BriefAnalysis
from tools.flags import most_ecus
from tools.jobs import (
    CHANGE_STEMS,
    PURPOSE_REACH,
    claim_about,
    claims_resistance,
    decide_job,
    is_teaser,
    job_features,
    purpose_after,
    said_after,
    shown_working,
    why,
)
from tools.language import wordnet
from tools.lexicon import (
    CHANNELS,
    COLORS,
    DELIVERABLE_NOUNS,
    DETAIL_TERMS,
    GENERIC_TERMS,
    ING_NOUNS,
    MATERIALS,
    NEGATORS,
    PRODUCT_NOUNS,
    UNITS,
    DetailTerm,
)
from tools.lexicon import STOPWORDS as STOPWORDS_FOR_ITEMS
from tools.signals import DETAIL_OBJECT, about_earlier_work, misuse_word, plain_close_ups
from tools.storyboard import RUNNING_TIME, Row, read_rows, without_rows
from tools.text import (
    DETERMINERS,
    FOLDED_LIST,
    PART_NOUNS,
    PREPOSITIONS,
    Token,
    certifying_mark,
    fold,
    fold_headed_lists,
    joins_marks,
    negated,
    noun_phrase,
    sentences,
    singular,
    span_text,
    tokenize,
    without_logistics,
)

_WORD = re.compile(r"[\w'-]+")
DEFAULT_PICKS = 3
USABLE_SCORE = 0.9  # below this the brief only mentions a thing in passing; on its own it is no reason for an ECU
# A part the lexicon knows, named in passing (0.8), joins details the brief does give a reason for; a noun known only
# by its meaning needs a cue (it starts at 0.5), and a wide frame's own clause (-1.2) is no reason at all.
PASSING_SCORE = 0.7
MAX_LIST_ITEMS = 24  # longer than any shot list: the rest of a run-on "list" is not read item by item
MIN_PICKS = 2
# A brief that names many details worth an ECU gets the contract's six, no more (more would need `overuse`). Most
# details missed on unseen briefs were candidates ranked just below the cut with five chosen (31 of 51 misses on
# three unseen sets), so a sixth slot keeps a named detail: 16 more of 896 own cases passed, and 7 more of 135
# unseen, than with five; none passed fewer.
TYPICAL_MAX = MAX_ECUS
_VISUAL_CUES = re.compile(
    r"\b(?:show|see|seen|visible|shot|shots|frame|slide|image|capture|zoom|focus|sharp|crisp|light|catch|"
    r"glint|texture|extreme close|close[- ]?up|macro|ecu|detail|tight|in on|go in|hero|macro|look at|reveal|"
    r"legib|readable)",
    re.IGNORECASE)
# Words that say a detail is a selling point, in prose as much as in a shot list.
_SELLING_CUES = re.compile(
    r"\b(?:hero|star of|signature|the best part|(?:people|customers|everyone|buyers|reviewers|fans) (?:\w+ )?"
    r"(?:comment|notice|love|rave|ask|mention)\w*|point of difference|usp|selling point|prove|proof|hand[- ]\w+ed|"
    r"made (?:from|with|of|by|in)|crafted|finished (?:with|in|by)|features?|key detail|must (?:see|show)|"
    r"(?:people|them|viewers|buyers) to see|make sure (?:we|you) see|show off|unique|patented|secret|"
    r"what makes|the (?:\w+ )?reason|real (?:deal|thing)|obsess\w*|proud|trademark|famous|iconic|"
    # what the maker measured: "we measured how long", "lab-tested", "the results of a trial"
    r"(?:we|they) (?:\w+ )?(?:tested|timed|measured|trialled|trialed)|in (?:the|our) lab\b|lab[- ]tested|"
    r"\btrials?\b|"
    # what buyers do with it: "is what home baristas fiddle with first", "why riders switch"
    r"(?:is|are) what (?:\w+ ){1,3}(?:notice|touch|grab|reach|fiddle|play|ask|talk|rave|love|want|check|look)\w*|"
    r"why (?:\w+ ){0,2}(?:buy|switch|choose|pick|come back|upgrade|pay)\w*|the first thing|wins? (?:them|people) over|"
    r"sells? (?:it|the)\b|"
    # what the brief asks to see: "we need: the battery latch", "can we get the hinge", "the valve is the point"
    r"(?:we|i|you)(?:'d| would)? (?:really )?(?:need|want|like|love)(?: to see)?:?\s+(?:the|a|an|our|its|their|"
    r"that|this|those|these)\b|can we (?:get|see|have|do)\b|(?:is|are|that'?s|it'?s) the (?:whole )?point|"
    r"what matters|all about the|(?<!n't )(?<!nt )(?<!not )(?:care|cares|cared) (?:most |so much )?about|"
    r"what'?s special|special about|"
    r"stands? out|"
    # chat and habit wording: "ppl always ask about", "we also need the", "the money shot", "is the bit"
    r"(?:ppl|they|guys|users|players|parents) (?:\w+ ){0,2}(?:love|notice|comment|ask|look for|photograph)\w*|"
    r"(?:people|customers|everyone|buyers) (?:\w+ ){0,2}(?:keep saying|keep asking|look for|photograph)\w*|"
    r"(?:we|i|you)(?:'d| would)? (?:also|just) (?:need|want|like|love)(?: to see)?:?\s+(?:the|a|an|our|its|their|"
    r"that|this|those|these)\b|(?:also|plus) (?:want|need)\b|money shot|hero (?:bits?|stuff|things?)\b|"
    r"is the (?:bit|thing|one|detail|part)\b|the (?:main|big|key|one|biggest|most important) thing\b|"
    r"the other one\b|keep (?:saying|asking|commenting)\b|"
    r"that'?s (?:how|why|what) we\b|thats (?:the|our|why|what)\b)",
    re.IGNORECASE)
# A sentence that goes on with the one before: "Then the cork footbed.", "The telescoping handle too."
_CARRIES_ON = re.compile(r"^\W*(?:and|then|also|plus|next|another|after that|same for|ditto)\b"
                         r"|\b(?:too|as well|also)\W*$", re.IGNORECASE)
# "That silence is why riders switch.": a sentence pointing back gives the sentence before it its reason.
_POINTS_TO_PREVIOUS = re.compile(r"^\W*(?:that|thats|this|those|these|it|they)\b", re.IGNORECASE)
SELLING_WEIGHT = 0.6  # as much as a visual cue: the brief says this detail sells the product
_ECU_CUES = re.compile(r"\b(?:extreme close|close[- ]?ups?\b|macro|ecus?\b|detail shot|up close|go in|tight on|in on|"
                       r"so tight|tight enough|so close|fills? the frame|zoom)", re.IGNORECASE)
_NUMERIC = re.compile(r"[\d/.,:%x-]+")
# Heads that name a person, a feeling or an idea: never a thing to put a macro lens on.
_NOT_DETAILS = frozenset("""
reaction expression emotion feeling delight joy proposal idea concept energy story moment vibe look person people
woman man women men someone anyone everyone talent actor actress model models kid kids child children customer
customers viewer viewers audience teacher student students tutor learner learners founder team client brand
campaign launch product thing things stuff bit bits way part parts side version reveal hero filler
parent father mother dad mum mom daughter son family couple groom bride friend rider user reader player
interaction micro-interaction micro-moment proof claim evidence
""".split())
_PARTICLES = frozenset({"open", "shut", "apart", "away", "off", "out", "up", "down", "in", "back", "over", "closed"})
_POINTS_BACK = re.compile(r"\b(?:extreme close[- ]?ups?|ecus?|macros?|close[- ]?ups?|detail shots?)\s+(?:of|on)\s+"
                          r"(?:that|it|them|those|these|this)\b", re.IGNORECASE)
_ANAPHORA = re.compile(r"\b(?:each|every one|all of (?:them|these|those)|those|these|them|that one)\b", re.IGNORECASE)
_ITEM_REJECT = frozenset({"because", "so", "which", "where", "while", "if", "when", "that", "as", "until", "since",
                          "wherever", "whenever", "however", "whoever",
                          "but", "it", "they", "we", "you", "i", "he", "she", "there", "who", "to", "with", "for",
                          "nothing", "everything", "anything", "something", "no", "not", "don't", "keep", "make",
                          "open", "finish", "start", "end", "cut", "close", "wrap", "hero", "around", "all",
                          # an instruction or a purpose clause, not a thing to shoot
                          "leave", "let", "give", "put", "use", "get", "go", "have", "try", "avoid", "direct", "ask",
                          "tell", "need", "want", "shoot", "grade", "showing", "proving", "whatever", "etc",
                          # the same words typed without their apostrophe
                          "thats", "its", "theres", "heres", "whats", "dont", "cant", "wont", "isnt"})
_ADJECTIVES = frozenset({"glossy", "crisp", "sharp", "razor-sharp", "relaxed", "soft", "natural", "clean", "bright",
                         "dark", "wide", "tight", "open", "real", "readable", "visible", "tiny", "little", "big",
                         "small", "fine", "warm", "cool", "cold", "hot", "new", "whole", "honest", "simple",
                         "beautiful", "gorgeous", "premium", "enough", "legible", "perfect", "ultra-tight", "same",
                         "other", "different", "entire", "final", "next", "last", "calm", "quiet", "still", "neutral",
                         "clear", "dreamy", "moody", "intact", "untouched", "unopened", "wet", "dry", "shiny", "matte",
                         "even", "flawless", "precise"})
# Praise says nothing about which texture: "gorgeous texture" could belong to anything.
_EMPTY_WORDS = frozenset({"gorgeous", "beautiful", "stunning", "nice", "cool", "pretty", "lovely", "amazing", "great",
                          "the", "a", "an", "some", "just", "really", "so"})
_ITEM_SKIP = frozenset({"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozen", "few",
                        "several", "couple", "pair", "featuring",
                        "capturing", "revealing", "including", "like", "moment", "moments", "instant", "shot", "shots",
                        "close-up", "close-ups", "macro", "ecu", "detail", "details", "extreme", "the", "a", "an",
                        "one",
                        "its", "their", "her", "his", "our", "that", "this", "those", "these",
                        "some", "and", "or", "then", "just", "of", "on", "to", "maybe", "also", "plus", "even",
                        "lastly", "finally", "firstly", "secondly", "thirdly", "next", "ideally", "perhaps",
                        "purely", "simply", "mostly", "really", "honestly", "basically",
                        "things", "stuff", "such", "as"})  # "things like the hinge", "such as the lid"
_UNKNOWN_TERM = DetailTerm("craftsmanship", "texture")
_MAKING = DetailTerm("craftsmanship", "texture", ("proof",))  # the making said in a participle ("hand-stitched")
# A face the brief explicitly lists as an ECU ("ECU on his face as the kite finally lifts") does the emotion job;
# it is not a lexicon term, so a face merely mentioned never becomes a detail on its own.
_LISTED_FACE = DetailTerm("emotion", "face", ("craftsmanship",), "natural skin texture, relaxed expression")
# A hand working the product (a thumb pressing a pump, a finger sliding a switch): the shot is the interaction,
# evidence unless the brief says it is the making or a feeling.
_OPERATING_HAND = DetailTerm("proof", "face", ("emotion", "craftsmanship"), "natural skin texture on the product")
_OPERATING_VERBS = frozenset({"push", "press", "pull", "twist", "turn", "click", "snap", "tap", "peel", "squeeze",
                              "pop", "slide", "flip", "lift", "drag", "swipe", "tear", "break", "open", "unscrew"})
_CAMERA_GEAR = frozenset({"macro", "telephoto", "aperture", "photographer", "tripod", "autofocus"})
_NOT_PHYSICAL = frozenset({"collection", "capsule", "course", "program", "programme", "class", "platform", "app",
                           "curriculum", "lesson", "lessons", "workshop", "tutorial", "bootcamp", "product"})


class Candidate(BaseModel):
    name: str
    category: Category
    why: str
    evidence: str = Field("", description="The brief's words the candidate rests on.")
    score: float
    head: str = Field(description="The detail term the name is built on.")
    kind: str = Field(description="texture | face | mark | liquid | mechanism | event")
    source: Literal["brief", "listed", "label"] = Field(
        description="brief: said in prose; listed: in a shot list; label: a spec row's label (\"Hardware: ...\")")
    features: dict[str, float] = Field(default_factory=dict, exclude=True,
                                       description="What its job was decided on (tools.jobs.job_features); "
                                                   "read by the job model's trainer, never written out.")


class PickDetailsArgs(BaseModel):
    analysis: BriefAnalysis
    max_details: int | None = Field(None, ge=1, le=12, description="Cap on ECU details; default decided by the brief.")
    emphasis: list[str] = Field(default_factory=list, description="Goals to favour, e.g. ['durability'].")


class DetailPicks(BaseModel):
    candidates: list[Candidate]
    chosen: list[Detail]
    questions: list[str] = Field(default_factory=list, description="What the marketer must decide.")
    kinds: dict[str, str] = Field(default_factory=dict, description="detail name -> kind (face, texture, ...)")

    def summary(self) -> str:
        return f"{len(self.chosen)} of {len(self.candidates)} candidates: " + "; ".join(d.name for d in self.chosen)


def pick_details(args: PickDetailsArgs) -> DetailPicks:
    """Find candidate ECU details in the brief, categorise each, and choose the few that carry the message.

    Only details the brief gives a reason to shoot are chosen; when it names too few, the plan carries
    fewer ECUs and asks which detail carries the message, rather than inventing stock details.
    """
    rows, unread = row_candidates(read_rows(args.analysis.text), args.analysis)
    text = fold_headed_lists(without_logistics(without_rows(args.analysis.text, unread), sells=_sells))
    analysis = args.analysis.model_copy(update={"text": text})
    product_words = frozenset(singular(w.lower()) for w in analysis.summary.product.split()) | {analysis.product_head}
    named = rows + listed_candidates(analysis) + brief_candidates(analysis, args.emphasis)
    making = [c for c in craft_candidates(analysis)  # "engraving" when "engraved scrollwork" already says it
              if not any(_names_making(other.name, c.head) for other in named)]
    candidates = _without_filler([c for c in _merge(named + making, product_words) if not _memo_or_chat(c)],
                                 _filler_words(analysis))
    likely = {id(c): learned.shot_logit(rank_features(c, i)) for i, c in enumerate(candidates)}
    usable = _usable_candidates(candidates, likely)
    # As many ECUs as the brief names details worth one (the usable candidates), up to TYPICAL_MAX: a detail the
    # brief gives a reason to shoot is not dropped for being the fourth. (Counting only those the rank model finds
    # likelier than not measured worse: 40 fewer cases passed of 896.)
    count = args.max_details or _pick_count(analysis, _distinct_count(usable))
    chosen = _diverse_top(usable, count, lambda c: likely[id(c)])
    questions = []
    if len(chosen) < min(count, MIN_PICKS):
        questions.append(f"Which detail of the {analysis.summary.product} proves its main claim? The brief names "
                         f"{'only one' if chosen else 'none'} worth an extreme close-up, so the plan has "
                         f"{_ecus(len(chosen))} until you say.")
    if analysis.frames and not args.max_details and count == _frame_room(analysis) < _distinct_count(usable):
        questions += _left_out_question(analysis, usable, chosen, likely)
    return DetailPicks(
        candidates=candidates,
        chosen=[Detail(name=c.name, category=c.category, why=c.why, evidence=c.evidence) for c in chosen],
        kinds={c.name: c.kind for c in chosen},
        questions=questions,
    )


# A decorative request points back at what it lists: "... a lava lamp, a disco ball. None of them relate to the
# kettle." Its own sentence and, when it opens by pointing back, the sentence before are its scope.
_POINTS_BACK_TO_LIST = re.compile(r"^\W*(?:(?:none|all|neither) of\b|they\b|these\b|those\b|it\b)", re.IGNORECASE)
# What says the things asked for have nothing to do with the product ("random textures", "none of it relates to
# the bag"), not only that they are there for mood: a product's own parts asked for mood are still its parts.
_UNRELATED = re.compile(r"\b(?:random|arbitrary|whatever|any old|unrelated|irrelevant|nothing to do with|"
                        r"(?:doesn'?t|does not) matter (?:of |about )?(?:what|which))\b|"
                        r"\bnone of (?:it|them|these|those)\b(?:\s+\w+){0,3}?\s+(?:relat|connect|link|tie|about)",
                        re.IGNORECASE)


def _filler_words(analysis: BriefAnalysis) -> frozenset[str]:
    """Words the brief says only where it asks for ECUs of things unrelated to the product (a decorative
    request): the details it names there and nowhere else carry no message, so the plan leaves them out."""
    if not any(s.kind == "decorative" for s in analysis.signals):
        return frozenset()
    # by clause: a folded list is one sentence whose items, split by semicolons, are no part of the request
    parts = [clause for sentence in sentences(analysis.text) for clause in sentence.split(";")]
    inside: set[int] = set()
    for n, part in enumerate(parts):
        if _UNRELATED.search(part):
            inside.add(n)
            if n and _POINTS_BACK_TO_LIST.match(part):
                inside.add(n - 1)  # "... a lava lamp, a disco ball. None of them relate to the kettle."

    def words(indices: set[int]) -> set[str]:
        return {singular(t.lower) for n in indices for t in tokenize(parts[n]) if t.is_word}
    return frozenset(words(inside) - words(set(range(len(parts))) - inside))


# What a brief's envelope and chat leave behind that reads like a noun: a memo's label ("notes from Kai",
# "Sam's notes", "photography notes"), a chat word, a running time ("2s").
_MEMO_LABEL = re.compile(r"^(?:[\w'’-]+\s+)?notes?\s+(?:from|by|for)\s+[\w'’é-]+$|^[\w'’é-]+'s notes?\b|"
                         r"^photo(?:graphy)?\s+notes?\b", re.IGNORECASE)
_CHAT_WORDS = frozenset({"thats", "that's", "ppl", "dont", "don't", "its", "it's", "tbc", "tbd", "fyi", "asap", "pls",
                         "thx", "lol"})
_DURATION_HEAD = re.compile(r"\d+(?:\.\d+)?s")


def _usable_candidates(candidates: list[Candidate], likely: dict[int, float]) -> list[Candidate]:
    """The candidates the rank model may choose from, once the brief gives a reason to shoot any: those it gives
    a reason for, parts it names in passing, and a noun said with no cue that the rank model still finds likelier
    than not a detail worth its ECU (`likely`: log-odds by candidate id). What a wide frame's own clause names (a
    score below zero) is the setting. A brief that gives no reason for any gets none: the plan asks which detail
    carries the message."""
    if not any(c.score >= USABLE_SCORE for c in candidates):
        return []
    return [c for c in candidates if c.score >= PASSING_SCORE or c.score > 0 and likely[id(c)] > 0]


def _distinct_count(candidates: list[Candidate]) -> int:
    """How many details the candidates name: one restating another ("oil" and "oil finish", a spec row's label
    over a part its row names) is one detail."""
    return sum(1 for k, c in enumerate(candidates) if not any(_restated(c, o) for o in candidates[:k]))


def _names_making(name: str, verb: str) -> bool:
    """Whether a detail's name already says a making: "engraved scrollwork" says engrave, "hand-woven lattice
    top" says weave."""
    words = name.lower().split()
    return any(verb[:CRAFT_STEM] in w or wordnet.lemma(w.rsplit("-", 1)[-1], "v") == verb for w in words)


def _memo_or_chat(candidate: Candidate) -> bool:
    """Whether a candidate is the envelope's leftovers (a memo label, a chat word, a running time), no part."""
    name = candidate.name.lower().split(" on the ")[0]
    first = name.split()[0] if name else ""
    return (candidate.head.lower() in _CHAT_WORDS or first in _CHAT_WORDS or bool(_MEMO_LABEL.search(name))
            or bool(_DURATION_HEAD.fullmatch(candidate.head.lower())))


def _without_filler(candidates: list[Candidate], filler: frozenset[str]) -> list[Candidate]:
    """The candidates the decorative request did not bring, unless it brought every usable one: then they are
    the brief's only details and the plan shoots them (tied to the goals) rather than none."""
    kept = [c for c in candidates if c.head not in filler]
    return kept if any(c.score >= USABLE_SCORE for c in kept) else candidates


def _left_out_question(analysis: BriefAnalysis, usable: list[Candidate], chosen: list[Candidate],
                       likely: dict[int, float]) -> list[str]:
    """The frames the brief asks for hold fewer ECUs than it names details worth one: say which strongest detail
    was left out, so the marketer adds a frame or swaps it in, rather than losing it silently."""
    heads = {c.head for c in chosen}
    left = [c for c in sorted(usable, key=lambda c: -likely[id(c)]) if c.head not in heads]
    if not left:
        return []
    return [f"The {analysis.frames} frames asked for hold {_ecus(len(chosen))} beside the frames that orient the "
            f"viewer, so the "
            f"{left[0].name} is left out: add a frame for it, or shoot it instead?"]


def _ecus(n: int) -> str:
    return f"{n} ECU{'s' if n != 1 else ''}"


def _pick_count(analysis: BriefAnalysis, strong: int) -> int:
    count = _unbounded_count(analysis, strong)
    return min(count, _frame_room(analysis)) if analysis.frames else count


def _frame_room(analysis: BriefAnalysis) -> int:
    """How many of the frames the brief asks for can be ECUs: all when it refuses orienting frames, all but
    the one that establishes when it wants ECUs everywhere, else every other frame (ECUs punctuate) within the
    share the review allows: three frames carry one ECU, since two of three would be overuse."""
    if analysis.forbids_orienting:
        return analysis.frames
    if analysis.ecu_everywhere:
        return max(1, analysis.frames - 1)
    return max(1, min((analysis.frames + 1) // 2, most_ecus(analysis.frames)))


def _unbounded_count(analysis: BriefAnalysis, strong: int) -> int:
    if analysis.max_ecus:
        return max(1, min(analysis.max_ecus, max(strong, MIN_PICKS)))
    if analysis.ecu_everywhere:
        requested = analysis.requested_ecus or max(strong, MAX_ECUS + 2)
        return max(MIN_PICKS, min(requested, 12))
    return max(MIN_PICKS, min(strong or DEFAULT_PICKS, TYPICAL_MAX))


# A measured property the frame can show: "0.1 mm tip", "24 kN", "400 gsm", "9H hardness", "tested to 300 kg".
_MEASURED = re.compile(r"\b\d+(?:[.,]\d+)?\s?(?:mm|µm|um|microns?|kn|psi|bar|gsm|kg|nm|mah|ppi|db|°c|stitches)\b"
                       r"|\btested to\b", re.IGNORECASE)


# A pasted page's spec row: "Hardware: brass D-ring", "Trim: reflective piping round the base".
_SPEC_ROW = re.compile(r"^\W*(?P<label>[A-Z][\w-]*(?:\s[\w()&/-]+){0,2})\s*:\s+\S")
# Labels of rows that set the shoot or the message, not the product's make-up.
_NOT_SPEC = re.compile(r"\b(?:style|look|tone|mood|lighting|light|studio|format|channels?|audience|notes?|brief|"
                       r"objective|goals?|background|cta|copy|headline|tagline|owner|client|agency|from|to|subject|"
                       r"date|re|shot|frame|slide|wide|mid|medium|ecu|close-up|beat)\b", re.IGNORECASE)


def _spec_label_end(parts: tuple[str, ...], n: int) -> int:
    """Where the label of spec row n ends ("Hardware" of "Hardware: brass D-ring"); 0 for any other sentence.
    A label may be the part ("Lume: Super-LumiNova") or only a heading over it; the rank model weighs which."""
    match = _SPEC_ROW.match(parts[n])
    return match.end("label") if match and _in_spec_block(parts, n) else 0


def _in_spec_block(parts: tuple[str, ...], n: int) -> bool:
    """Whether sentence n is a spec row among others: what a product page lists about its make is its features."""
    def row(k: int) -> bool:
        match = _SPEC_ROW.match(parts[k]) if 0 <= k < len(parts) else None
        return bool(match) and not _NOT_SPEC.search(match.group("label"))
    return row(n) and (row(n - 1) or row(n + 1))


def _sells(line: str) -> bool:
    """Whether a line says why what it names sells, or measures it ("holding 100 bar")."""
    return bool(_SELLING_CUES.search(line) or _MEASURED.search(line))


def _sentence_cues(parts: tuple[str, ...], n: int) -> tuple[bool, bool, bool, bool]:
    """What sentence n and its neighbours say of the things it names: seen (a visual cue), sold (a selling
    cue, its own or a next sentence's pointing back), an ECU asked nearby, or pointed at by an ECU request."""
    sentence = parts[n]
    following = parts[n + 1] if n + 1 < len(parts) else ""
    visual = bool(_VISUAL_CUES.search(sentence))
    selling = bool(_SELLING_CUES.search(sentence) or _MEASURED.search(sentence) or _in_spec_block(parts, n)
                   or _POINTS_TO_PREVIOUS.match(following) and _SELLING_CUES.search(following))
    ecu = bool(_ECU_CUES.search(" ".join(parts[max(0, n - 1):n + 2])))  # the sentence and its neighbours
    pointed_at = bool(_ECU_CUES.search(following) and _ANAPHORA.search(following)  # "an ECU of each"
                      or _POINTS_BACK.search(sentence))  # "the Damascus pattern ..., so an ECU of that"
    return visual, selling, ecu, pointed_at


# Who reacts to a detail, and how: a person ("customers", "reviewers", "we") who notices, loves or talks about a
# thing says it sells, in whatever words ("riders swear by", "mums adore", "reviewers keep praising").
_AUDIENCE_WORDS = frozenset({"people", "ppl", "everyone", "everybody", "folks", "we", "i", "they", "you"})
_REACTIONS = frozenset({"perception", "emotion", "communication"})
_NOT_REACTIONS = frozenset({"say", "tell", "write", "send", "call", "email", "reply", "need", "want", "think", "let",
                            "talk", "discuss", "agree", "confirm", "sign", "brief", "shoot", "see", "hear", "feel"})
REACTION_REACH = 3  # words from the audience to its verb: "customers always end up noticing" is too far
REACTED_REACH = 8  # words after the verb that name what is reacted to: "notice the hand-cut bevel on the lid"


def audience_reaction(tokens: Sequence[Token]) -> int | None:
    """Where someone in the sentence notices, loves or talks about what follows: the index after the verb."""
    words = [(k, t.lower) for k, t in enumerate(tokens) if t.is_word]
    for n, (_, word) in enumerate(words):
        if word in _AUDIENCE_WORDS or "person" in wordnet.noun_senses(word)[:2]:
            for k, verb in words[n + 1:n + 1 + REACTION_REACH]:
                if wordnet.lemma(verb, "v") not in _NOT_REACTIONS and wordnet.verb_senses(verb)[:1] \
                        and wordnet.verb_senses(verb)[0] in _REACTIONS:
                    return k + 1
    return None


def brief_candidates(analysis: BriefAnalysis, emphasis: list[str] = ()) -> list[Candidate]:
    """Details the brief names itself, best first."""
    text = analysis.text
    product_words = {w.lower() for w in analysis.summary.product.split()}
    found: dict[str, Candidate] = {}
    counts = _term_counts(text)
    parts = sentences(text)
    product_domain = wordnet.domain(analysis.product_head)
    teaser = is_teaser(text)
    for n, sentence, sentence_cues in _sentences_with_cues(parts):
        tokens = tokenize(sentence)
        context = " ".join(parts[max(0, n - 1):n + 2])
        emphasised = any(e.lower() in sentence.lower() for e in emphasis)
        directed, plain_faces, wholes = _no_ecu_spans(sentence, analysis.summary.product)
        person = has_person(tokens)
        folded = fold(sentence)  # lower case with the offsets kept
        consumed: set[int] = set()
        named_here: set[tuple[str, ...]] = set()
        reaction = audience_reaction(tokens)  # "customers always notice the hinge": what follows sells
        for i, token in enumerate(tokens):
            cues = _with_making(_with_reaction(sentence_cues, reaction, i), tokens, i)
            if i in consumed or _passed_over(tokens, i, cues, directed, person, product_domain, folded):
                continue
            head = _phrase_head(tokens, i)
            if _by_hand(tokens, head) or i and _by_hand(tokens, i - 1):
                continue  # "is hand woven": the making, read by the craft reader
            term, known = _prose_term(tokens, i, head, person, product_domain, product_words)
            if any(a <= token.start < b for a, b in wholes) \
                    or term.kind == "face" and any(a <= token.start < b for a, b in plain_faces):
                continue  # the eyes and the smile listed with a plain face close-up are that close-up's features
            start, end = noun_phrase(tokens, head)
            consumed.update(range(start, end))
            made = made_how(tokens, end)  # "the edges are burnished by hand": the burnished edges
            words = ([made] if made else []) + [t.lower for t in tokens[start:end]]
            if tuple(words) in named_here:
                continue  # said again in the same sentence: the first mention already scored higher
            named_here.add(tuple(words))
            base = singular(tokens[head].lower)
            if not _usable(words, base, product_words, analysis.product_head, written=term is _WRITTEN_MARK):
                continue
            name = _name(tokens, start, end, term, analysis, prefix=made)
            clause = sentence[max(0, token.start - 60):token.start + 60]
            after = tokens[end - 1].start + len(tokens[end - 1].text)
            purpose = " ".join((purpose_after(sentence, after), claim_about(text, tuple(words))))
            features = job_features(_job_term(term, known), context, analysis.summary.vertical, near=clause,
                                    teaser=teaser, purpose=purpose, head=base, acronym=has_acronym(tokens[start:end]),
                                    resists=claims_resistance(text),
                                    working=_shown_working(sentence, tokens, head, after)
                                    or not known and in_action(tokens, head, end))
            features.update({"subject": 1.0} if clause_subject(tokens, start, end) else {})  # "the lid closes"
            category = decide_job(features)
            score = _prose_score(cues, counts.get(base, 1), len(found), emphasised, bool(made), known) \
                - 1.2 * _in_orienting_clause(sentence, token.start)  # only the wide frame's own clause
            source = "label" if token.start < _spec_label_end(parts, n) else "brief"
            candidate = Candidate(name=name, category=category, why=why(category, sentence, analysis.summary.goals),
                                  evidence=evidence(sentence, token.start), score=round(score, 3),
                                  head=_canonical(base), kind=term.kind, source=source, features=features)
            if name.lower() not in found or found[name.lower()].score < candidate.score:
                found[name.lower()] = candidate
    return sorted(found.values(), key=lambda c: -c.score)


def _name_spans(sentence: str, product: str) -> list[tuple[int, int]]:
    """Where the sentence says the product's whole name: its words there name the product ("Pine & Co oak table"),
    not a part of it, though one of them ("pine") would be a material elsewhere."""
    if len(product.split()) < 2:
        return []
    return [m.span() for m in re.finditer(re.escape(product), sentence, re.IGNORECASE)]


def _sentences_with_cues(parts: tuple[str, ...]) -> Iterator[tuple[int, str, tuple[bool, bool, bool, bool]]]:
    """Each sentence with its cues, once: a sentence said again with the same cues names the same details, and
    they scored higher the first time (a pasted repeat is read once, which keeps long texts fast)."""
    previous = (False, False, False, False)
    read_before: set[tuple[str, tuple[bool, ...]]] = set()
    for n, sentence in enumerate(parts):
        cues = previous = _carried_cues(parts, n, previous)
        if (sentence, cues) not in read_before:
            read_before.add((sentence, cues))
            yield n, sentence, cues


def _no_ecu_spans(sentence: str, product: str) \
        -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[tuple[int, int]]]:
    """Spans whose words are no ECU details: directions to the talent ("direct him to raise his eyebrows") with
    plain close-ups of a face, the faces alone, and the whole product (plain close-ups of it, its name)."""
    plain_faces, wholes = _plain_close_ups(sentence)
    return ([m.span() for m in _DIRECTION.finditer(sentence)] + plain_faces, plain_faces,
            wholes + _name_spans(sentence, product))


def _with_reaction(cues: tuple[bool, bool, bool, bool], reaction: int | None, i: int) \
        -> tuple[bool, bool, bool, bool]:
    """The sentence's cues, selling added for the words just after someone notices or loves something."""
    reacted = reaction is not None and reaction <= i < reaction + REACTED_REACH
    return (cues[0], True, *cues[2:]) if reacted else cues


def _with_making(cues: tuple[bool, bool, bool, bool], tokens: Sequence[Token], i: int) \
        -> tuple[bool, bool, bool, bool]:
    """The cues, selling added for a part the brief says is crafted ("the lattice top is woven by hand"): how a
    part is made is why it sells, as "hand-woven lattice top" would say before the noun."""
    if cues[1] or not tokens[i].is_word or not any(t.lower in _COPULAS for t in tokens[i + 1:i + 6]):
        return cues  # no copula near: nothing is said of how the part is made (checked first: cheap)
    made = made_how(tokens, noun_phrase(tokens, _phrase_head(tokens, i))[1])
    return (cues[0], True, *cues[2:]) if made and craft_gerund(made) else cues


def _carried_cues(parts: tuple[str, ...], n: int, previous: tuple[bool, bool, bool, bool]) \
        -> tuple[bool, bool, bool, bool]:
    """The sentence's cues, with the last sentence's where it carries on ("Then the cork footbed.")."""
    cues = _sentence_cues(parts, n)
    if n and _CARRIES_ON.search(parts[n]):
        return tuple(own or before for own, before in zip(cues, previous))
    return cues


def _prose_term(tokens: Sequence[Token], i: int, head: int, person: bool, product_domain: str,
                product_words: set[str]) -> tuple[DetailTerm, bool]:
    """The detail term of the phrase at `head`, and whether the lexicon knows it (else WordNet's meaning typed it).
    A body-part word a thing owns ("the lapped back" of a chisel) is a part, typed by the sense of its words."""
    term = _personal(_lookup(tokens[head]) or _lookup(tokens[i]), tokens, head, product_words)
    known = term is not None
    term = term or _term(tokens, head, person, product_domain) or _term(tokens, i, person, product_domain)
    if term.kind == "face" and _owned_by_an_object(tokens, head, product_words):
        term = _UNKNOWN_TERM
    return term, known


# Words that open a clause after a comma or on their own ("..., and the lid closes"), and the verbs a described
# part takes straight after its phrase ("the lid closes", "the strap is", "the pen will").
_CLAUSE_OPENERS = frozenset({"and", "but", "so", "while", "because", "then", "plus", "also", "where", "when"})
_COPULAS = frozenset({"is", "are", "was", "were", "gets", "get", "been", "stays", "come", "comes"})
# Verbs of having and obliging: they follow a speaker ("legal must ...") as readily as a part ("the strap has ...").
_MODALS = frozenset({"has", "have", "had", "would", "should", "must"})
_AUXILIARIES = _COPULAS | _MODALS | {"can", "will", "does", "doesn't", "won't", "can't",
                                     "never", "always", "just", "still"}


def clause_subject(tokens: Sequence[Token], start: int, end: int) -> bool:
    """Whether the phrase tokens[start:end] is what its clause is about: it opens the clause (after its
    determiners) and a verb follows ("the lid closes with a soft snap", "..., and the hinge is hand-filed").
    A part the brief describes this way is a feature it is telling about, however plainly it says so."""
    if end >= len(tokens) or not tokens[end].is_word:
        return False
    k = start
    while k > 0 and tokens[k - 1].lower in DETERMINERS:
        k -= 1
    opens = k == 0 or not tokens[k - 1].is_word or tokens[k - 1].lower in _CLAUSE_OPENERS
    verb = tokens[end].lower
    finite = verb in _AUXILIARIES or verb.endswith(("s", "ed")) and wordnet.is_verb(verb) and not verb.endswith("ss")
    return opens and finite


def _passed_over(tokens: Sequence[Token], i: int, cues: tuple[bool, bool, bool, bool], directed: list[tuple[int, int]],
                 person: bool, product_domain: str, folded: str) -> bool:
    """Whether the prose reader passes a word by: negated or refused, a noun the lexicon does not know where
    nothing says it sells (or inside a direction to the talent), a figure of speech, a deliverable's first word."""
    token = tokens[i]
    if negated(tokens, i, window=3) or _refused(tokens, i):
        return True
    visual, selling, ecu, pointed_at = cues
    if _lookup(token) is None and (not (selling or ecu or pointed_at and visual)
                                   or any(a <= token.start < b for a, b in directed)
                                   or _term(tokens, i, person, product_domain) is None):
        return True
    return _figurative(tokens, i) or bool(_CHANNEL_WORDS.match(folded, token.start)) or _by_hand(tokens, i) \
        or _takes_an_object(tokens, i)


def _by_hand(tokens: Sequence[Token], i: int) -> bool:
    """"hand sanded", "hand woven": "hand" written apart from its participle says how a thing is made, no hand."""
    nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    return i < len(tokens) and tokens[i].lower == "hand" and nxt.endswith(("ed", "en", "wn")) \
        and (wordnet.verb_form(nxt) or wordnet.is_adjective(nxt))


# What a part does when a close-up catches it working: it moves or changes ("the latch clicking shut", "foam
# rising", "the seal popping"). A verb of light or looking ("catching the light") shows a finish, not a result.
_ACTION_SENSES = frozenset({"motion", "change"})


def _shown_working(text: str, tokens: Sequence[Token], head: int, after: int) -> bool:
    """Whether the words after the detail, or after its head noun where the phrase goes on with what the part
    does ("the progress ring filling up"), show it doing its job."""
    right_after_head = tokens[head].start + len(tokens[head].text)
    return shown_working(text[after:after + PURPOSE_REACH]) or bool(_CHANGING.match(text, right_after_head))


# The part changing state as the viewer watches: a reading, a light, a fill, a result appearing. A verb that
# shows a finish ("catching the light", "showing the graver marks") or a hold ("claws gripping") is no change.
_CHANGING = re.compile(rf"\s+(?:(?:{CHANGE_STEMS}|flick|rising|ris|bead|clink|snapp|reveal|"
                       r"lift)\w*|lights? up|lighting up|turn\w* (?:from|to|green|red|blue|white|amber)|"
                       r"chang\w*|goes (?:from|to)|going (?:from|to))\b", re.IGNORECASE)


def in_action(tokens: Sequence[Token], head: int, end: int) -> bool:
    """Whether the detail's own phrase shows the part moving or changing, right after its head noun: a
    demonstration the viewer sees happen, so evidence, unless the brief says the detail is for something else.
    Asked only of parts the lexicon does not know: a known part keeps its usual job (a crack running is a hook)."""
    nxt = tokens[head + 1] if head + 1 < min(end + 1, len(tokens)) else None
    if nxt is None or not nxt.lower.endswith("ing") or not wordnet.verb_form(nxt.lower) or nxt.lower in ING_NOUNS:
        return False
    senses = wordnet.verb_senses(wordnet.lemma(nxt.lower, "v"))
    return bool(senses) and senses[0] in _ACTION_SENSES


# What a refusal turns down when it governs a request: "don't want ECUs of the foam", "no need to show the box".
_REQUEST_WORDS = frozenset({"want", "need", "show", "showing", "see", "ecu", "ecus", "macro", "macros", "close-up",
                            "close-ups", "closeup", "closeups", "shoot", "shots", "shot", "feature", "include"})
REFUSAL_REACH = 8  # words back from a detail to a refused request, within its clause


def _refused(tokens: Sequence[Token], i: int) -> bool:
    """Whether the detail is the object of a refused request in its own clause ("we dont want ECUs of the foam,
    we need the buckle": the foam is refused, the buckle is not)."""
    requested = False
    for token in reversed(tokens[max(0, i - REFUSAL_REACH):i]):
        if token.text in ",.;:!?()" or token.lower in {"but", "instead"}:
            return False
        requested = requested or token.lower in _REQUEST_WORDS
        if requested and (token.lower in NEGATORS or token.lower.endswith("n't")):
            return True
    return False


def _prose_score(cues: tuple[bool, bool, bool, bool], mentions: int, earlier: int, emphasised: bool, made: bool,
                 known: bool) -> float:
    """How strongly a detail named in prose asks for an ECU: its sentence's cues, how often the brief names it,
    how early it comes, and whether the lexicon knows it."""
    visual, selling, ecu, pointed_at = cues
    return (0.8 + 0.6 * visual + 0.6 * ecu + 0.6 * pointed_at + min(0.3 * (mentions - 1), 0.6) - 0.02 * earlier
            + 0.5 * emphasised + SELLING_WEIGHT * (selling or made) - MEANING_PENALTY * (not known))


def _plain_close_ups(sentence: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Where the sentence asks a plain close-up of a whole face ("close-up of the guy's face") and where of the
    whole product: spans of text whose words are not ECU details, faces first."""
    faces: list[tuple[int, int]] = []
    wholes: list[tuple[int, int]] = []
    for match in plain_close_ups(fold(sentence)):
        target = DETAIL_OBJECT.match(sentence, match.end())
        spans = faces if target and _A_FACE.match(target.group("object")) else \
            wholes if target and _WHOLE_THING.match(target.group("object")) else None
        if spans is not None:
            described = _NEXT_REQUEST.search(sentence, target.end())  # the features listed after it go with it
            spans.append((target.start(), described.start() if described else len(sentence)))
    return faces, wholes


_NEXT_REQUEST = re.compile(r";|\bthen\b|\bbut\b|\b(?:ecus?|extreme|macros?|detail shots?)\b", re.IGNORECASE)


def _figurative(tokens: tuple[Token, ...], i: int) -> bool:
    """A detail word used as something else: "as sharp as ink", "macro lens", a shade called "Ink",
    "starting to melt", "eye candy"."""
    return (_in_comparison(tokens, i) or _camera_gear(tokens, i) or _a_name(tokens, i)
            or _used_as_verb(tokens, i) or _idiom(tokens, i))


def _a_name(tokens: Sequence[Token], i: int) -> bool:
    """A capitalised word inside a sentence names something ("the Ink shade"), except an acronym ("the FSC
    logo", "the LED") or the first word of a line after its label ("ECU: Brass hinge", "- Raceway grooves")."""
    word = tokens[i].text
    if i == 0 or not word[0].isupper():
        return False
    if word.isupper() and len(word) >= 2 and word.isalpha():
        return False
    return not (i <= 2 and all(not t.is_word or t.text.isupper() for t in tokens[:i]))


# How a thing is made, said as a participle ("hand-stitched", "knurled", "stone-ground"), is a detail a
# camera sees. The verb must touch or change the material (WordNet's contact and change verbs) and either
# carry a maker's prefix ("hand-") or name a finish the lexicon knows (stitching, glaze); a making verb
# ("designed", "made", "built") shows nothing unless a maker's prefix says how ("hand-forged").
CRAFT_VERBS = frozenset({"contact", "change"})
MAKING_VERBS = frozenset({"creation"})
CRAFT_WEIGHT = 0.6  # as much as a visual cue: the brief says how it is made
CRAFT_STEM = 5  # letters of a making verb that name it in another detail ("engra" of "engraved scrollwork")
_IRREGULAR_PARTICIPLE = re.compile(r"(?:en|wn|un|ght)$")


def craft_gerund(word: str) -> tuple[str, str] | None:
    """("hand stitching", "stitch") for "hand-stitched": the making named as a noun, and its verb; else None."""
    *prefix, participle = word.lower().split("-")
    if not (participle.endswith("ed") or _IRREGULAR_PARTICIPLE.search(participle)) or len(participle) < 5:
        return None
    base = wordnet.lemma(participle, "v")
    if base == participle:  # WordNet does not know the verb ("knurled"): the lexicon may know its making
        base = participle[:-2]
        if f"{base}ing" not in DETAIL_TERMS:
            return None
    else:
        senses = wordnet.verb_senses(base)
        usual = set(senses[:1])  # "launched" is social first: its contact sense is not what a brief means
        if not (usual & CRAFT_VERBS or prefix and set(senses[:2]) & (CRAFT_VERBS | MAKING_VERBS)):
            return None
    stem = base[:-1] if base.endswith("e") and not base.endswith("ee") else base
    gerund = next((g for g in (f"{base}ing", f"{stem}ing", f"{base}{base[-1]}ing")
                   if g in DETAIL_TERMS or wordnet.is_noun(g)), f"{stem}ing")
    if not prefix and gerund not in DETAIL_TERMS and base not in DETAIL_TERMS:
        return None  # "loaded", "pulled": touching is not making; a maker's prefix or a known finish says it is
    return " ".join([*prefix, gerund]), base


def craft_candidates(analysis: BriefAnalysis) -> list[Candidate]:
    """The making the brief describes in participles, where no detail noun already carries it."""
    out: list[Candidate] = []
    teaser = is_teaser(analysis.text)
    for sentence in dict.fromkeys(sentences(analysis.text)):  # a sentence said again says the same making
        tokens = tokenize(sentence)
        cues = 0.6 * bool(_VISUAL_CUES.search(sentence)) + 0.6 * bool(_ECU_CUES.search(sentence))  # once a sentence
        for i, token in enumerate(tokens):
            made = None if not token.is_word else craft_gerund(token.lower) or (
                craft_gerund(f"hand-{token.lower}") if _by_hand_after(tokens, i) else None)
            if made is None or negated(tokens, i, window=3) or _attributive(tokens, i):
                continue  # "hand-stitched seams" is the seams' candidate; here only the making said alone
            name, verb = made
            obj = _with_object(tokens, i)  # "hand-stitched with waxed linen thread"
            name = f"{name} with {obj}" if obj else f"{name} on the {_physical_head(analysis) or 'product'}"
            clause = sentence[max(0, token.start - 60):token.start + 80]
            context = sentence[max(0, token.start - PURPOSE_REACH):token.start + PURPOSE_REACH]  # bounded: linear
            features = job_features(_MAKING, context, analysis.summary.vertical, near=clause, teaser=teaser, head=verb)
            category = decide_job(features)
            score = 0.8 + CRAFT_WEIGHT + cues - 0.02 * len(out)
            out.append(Candidate(name=" ".join(name.split()[:MAX_DETAIL_WORDS]), category=category,
                                 why=why(category, sentence, analysis.summary.goals),
                                 evidence=evidence(sentence, token.start), score=round(score, 3),
                                 head=_canonical(verb), kind="texture", source="brief", features=features))
    return out


BY_HAND_REACH = 3  # words after a participle where "by hand" still says how it was made ("sanded round by hand")


def _by_hand_after(tokens: Sequence[Token], i: int) -> bool:
    """"sanded round by hand", "stitched by hand": the maker's hand said after the participle, as "hand-" before."""
    words = []
    for t in tokens[i + 1:i + 2 + BY_HAND_REACH]:
        if not t.is_word:
            break  # "flame-blued, heated by hand": the hand heated, another making
        words.append(t.lower)
    return any(a == "by" and b == "hand" for a, b in zip(words, words[1:]))


def _attributive(tokens: tuple[Token, ...], i: int) -> bool:
    """Whether a participle modifies the word after it ("hand-engraved scroll pattern") rather than saying
    how the thing was made ("it is hand-stitched.", "knurled by hand", "stitched with linen"). After a copula
    it says how the subject is made whatever follows ("every piece is sanded round by hand")."""
    if i + 1 >= len(tokens) or not tokens[i + 1].is_word or i and tokens[i - 1].lower in _COPULAS:
        return False
    following = tokens[i + 1].lower
    return following not in STOPWORDS_FOR_ITEMS and (wordnet.is_noun(following) or wordnet.is_adjective(following))


def _with_object(tokens: tuple[Token, ...], i: int) -> str:
    """The material a making uses, when the participle is followed by "with"/"in" and a short noun phrase."""
    if i + 2 < len(tokens) and tokens[i + 1].lower in {"with", "in", "from"}:
        words = []
        for t in tokens[i + 2:i + 7]:
            if not t.is_word or t.lower in STOPWORDS_FOR_ITEMS and words:
                break
            if t.lower not in {"the", "a", "an"}:
                words.append(t.lower)
        if words and wordnet.is_noun(words[-1]):
            return " ".join(words)
    return ""


# An enumeration is a first marker ("1)", "a.") with a second one ("2)", "b.") somewhere after it. Two plain
# searches, not one lazy pattern: ".*?" between them rescanned the rest of the text from every "1) ".
_FIRST_MARK = re.compile(r"(?:^|\s)\(?(?:1|a)[.)]\s")
_SECOND_MARK = re.compile(r"\s\(?(?:2|b)[.)]\s")


def _enumeration_start(sentence: str) -> int | None:
    """Where a "1) ... 2) ..." enumeration starts in the sentence, or None."""
    first = _FIRST_MARK.search(sentence)
    if first and _SECOND_MARK.search(sentence, first.end() - 1):
        return first.start()
    return None
_LIST_SPLIT = re.compile(r"\s*(?:\(?\b\d[.)](?=\s)|\([a-d]\)|,|;|:|\bthen\b|\band then\b|\bplus\b|\balso\b|"
                         r"\band\s+(?=(?:the|a|an|one|another|its|their|her|his|that|some)\b))\s*(?:and\s+|then\s+|"
                         r"or\s+)?", re.IGNORECASE)
_ECU_LEAD = re.compile(
    r"^(?:.*?\b(?:extreme[- ]close[- ]?ups?|ecus?|macros?|macro shots?|close[- ]?ups?|closeups?|detail shots?|inserts?|"
    r"up close|go in on|(?:right |super |so |really |very )?(?:in )?tight on|zoom(?:s|ing)? in on|push(?:es)? in on|"
    r"punch(?:es)? in on|fill(?:s|ing)? the frame|moves? in (?:on|to|until)[^:]*|crop(?:ped|ping)? (?:so |right )?"
    r"(?:deeply |tight(?:ly)? )?in(?:to)?|(?:go|get|push|zoom)\w*\s+(?:so |really |right |way )?(?:deep|close|"
    r"tight)\s+(?:in)?to|"
    r"pressed (?:right )?up against|millimet\w+ (?:from|off)|same (?:\w+ )?(?:for|on|with))\b(?!\s*(?:lens|photograph|"
    r"mode|setting|rail))"
    r"\s*(?:shots?\s+|frames?\s+)?(?:of|on|showing|to)?\s*)",
    re.IGNORECASE)
_VERB_LEAD = re.compile(r"^(?:.*?\b(?:show(?:ing|s)?|include|including|feature|featuring|capture|capturing|"
                        r"reveal(?:ing)?|"
                        r"highlight(?:ing)?|see|focus(?:ing)? on|(?:a|one) (?:shot|frame|still|image) of)\s+)",
                        re.IGNORECASE)
_LABEL_LEAD = re.compile(r"^\s*(?:(?:an?|the|my|our)\s+)?(?:(?:first|second|third|fourth|fifth|next|another|last|"
                         r"final)\b\s*(?:(?:detail|shot|ecu|one|frame|slide|image|photo|still)s?\b|(?=[:,]))|"
                         r"(?:detail|ecu|macro|shot)\s*(?:\d+|one|two|three)|"
                         r"(?:first|second|third|fourth|next|another|last|final)\s+(?:shot|frame|one|detail|"
                         r"ecu)[^:,.]{0,25}?\b(?:on|of)\b|"
                         r"(?:first|second|third|fourth|next|last|final)(?:\s+(?:one|shot|detail|ecu|frame))?\s+(?:is|"
                         r"are|=)\b|"
                         r"(?:[\w-]+\s+){0,2}(?:details?|ecus?|macros?|close[- ]?ups?|inserts?|proof points?|"
                         r"hero (?:details?|stuff|bits|things)|features?|highlights?|selling points?|usps?|"
                         r"must[- ]haves?)(?=\s*[:,]|[^:,.;?!]{1,20}:))"
                         r"\s*[:,]?",
                         re.IGNORECASE)
# Labels whose lists are settings, not subjects: "Style: clean, bright, white seamless".
_TECH_LABEL = re.compile(r"\b(?:style|look|tone|mood|lighting|light|studio|tech\w*|format\w*|channels?|assets?|"
                         r"audience|deliverables?|focus|notes?|flagging|specs?|output|budget|timing|colou?rways?|"
                         r"shades?|skus?|sizes?)\b|^\s*[A-Z][a-z]+\s*$")
_SHOT_LABEL = re.compile(r"\b(?:cuts?|shots?|frames?|slides?|clips?|ideas?|details?|close[- ]?ups?|inserts?|macros?|"
                         r"ecus?|moments?|"
                         r"tiles?|beats?|things?|features?|proof points?|to show|to see|to shoot)\b", re.IGNORECASE)
_BARE_LIST = re.compile(r"^\s*(?:\w+\.\s+)?(?:(?:the|a|an)\s+[^,]{2,60},\s*){2,}", re.IGNORECASE)
_POST_ECU = re.compile(r"\b(?:so tight|so close|up close|in macro|extreme close|close enough|tight enough|zoomed|"
                       r"cropped (?:so|until|right)|fills? the frame)", re.IGNORECASE)
_LIST_LEAD = re.compile(r"^\s*(?:just|like|things like|e\.g\.|for example|shots?|details?|ideas?)\b(?!\s*,)\s*:?",
                        re.IGNORECASE)
# A shot's description rather than a part: its scale ("wide shot of", "the car on a wet road wide"), a packshot,
# or a clip's running time ("the 10s sound-test clip").
_SHOT_PHRASE = re.compile(r"\b(?:wide|mid|medium|establishing)\s+(?:shot|frame|on|of|angle)\b|\bshots?\b|"
                          rf"\bin context\b|\bpackshots?\b|\s(?:wide|mid)$|{RUNNING_TIME}")
_SHOT_WORDS = frozenset({"rig", "seamless", "side-lit", "backlit", "lit", "max", "min", "throughout", "softbox",
                         "strobe", "flash", "diffusion", "tripod", "ok", "brief", "slide", "carousel", "reel", "cut",
                         "medium", "context", "light", "lighting", "focus", "haze", "background", "backdrop", "angle",
                         "lens", "crop", "grade", "exposure", "colour", "color", "vibe", "mood", "tone", "look", "shot",
                         "shots", "frame", "frames", "slides", "wide", "mid", "image", "images",
                         "video", "cuts", "film", "ad", "ads", "sequence", "version", "story", "way", "bit", "photo",
                         "asset"})


# How sure a storyboard row is that it shows a detail, by its scale: an ECU, insert or detail row says so; a
# close-up row in a film is a detail insert too; a row naming no scale shows what it names.
ROW_SCORES = {"extreme_close_up": 2.6, "close_up": 2.5, "": 2.4}


# A row that says what must be seen in it, or what it claims: "you hear the click and see the tab seat".
_SEEN_IN_ROW = re.compile(r"\b(?:we|you|they|viewers)\b(?:\s+\w+){0,4}\s+see\b|\bclaim\b", re.IGNORECASE)


def row_candidates(rows: tuple[Row, ...], analysis: BriefAnalysis) -> tuple[list[Candidate], frozenset[str]]:
    """Details the storyboard's rows show, and the actions of detail rows it could not read (left to the prose
    reader). Orienting rows (wide, medium, pack shot) show the setting and the whole product; a row's note
    ("| silent wheels are our USP |") says what its detail is for."""
    out: list[Candidate] = []
    unread: set[str] = set()
    product_words = {w.lower() for w in analysis.summary.product.split()}
    for row in rows:
        line = f"{row.action} | {row.note}" if row.note else row.action
        if row.scale == "medium" and (_sells(line) or _SEEN_IN_ROW.search(line)):
            unread.add(row.action)  # a mid frame that says what it proves ("see the tab lock"): the prose reads it
        if row.orienting or not row.action:
            continue
        candidate = _item_candidate(row.action, line, analysis, product_words, line, row.note)
        if candidate and row.scale == "close_up" and candidate.kind == "face":
            continue  # a close-up row of a face is that close-up, at the right scale as it is: no ECU
        if candidate:
            candidate.score = candidate.score - 2.6 + ROW_SCORES[row.scale] - 0.02 * len(out)
            out.append(candidate)
        else:
            unread.add(row.action)
    return out, frozenset(unread)


def listed_candidates(analysis: BriefAnalysis) -> list[Candidate]:
    """Details the brief lists where it talks about ECUs ("extreme close-ups of the X, the Y and the Z")."""
    out: list[Candidate] = []
    product_words = {w.lower() for w in analysis.summary.product.split()}
    parts = sentences(analysis.text)
    listing = False
    listed_before: set[str] = set()
    for n, sentence in enumerate(parts):
        body, score = _list_body(sentence)
        if body is None and listing and (more := _CONTINUES.match(sentence)) and not _CLAUSE_VERB.search(sentence):
            body, score = sentence[more.end():], 2.4  # "... so ppl trust it. and the pull-tab seal on the spout"
        listing = body is not None
        if body is None:
            continue
        body = _DIRECTION.sub("", body)  # "and get him to react big, mouth wide open": a note, not items
        body = _first_cell(body)
        lead = sentence[:max(0, sentence.find(body))]
        items = _LIST_SPLIT.split(body)[:MAX_LIST_ITEMS]
        plain_face = any(plain_close_ups(fold(sentence[:len(sentence) - len(body)])))
        if plain_face:
            items = [item for item in items if not _A_FACE.match(item) and not _WHOLE_THING.match(item)]  # as is
        if all(" ".join(item.lower().split()) in listed_before for item in items):
            continue  # every item listed before (a pasted repeat): the first listing stands
        reason_after = said_after(parts[n + 1] if n + 1 < len(parts) else "")
        listed: list[tuple[str, Candidate]] = []
        # "ECU: a bead of oil on the spoon. That shows how pure it is.": the next sentence says why the last item
        read = [_item_candidate(item, sentence, analysis, product_words, _item_context(sentence, lead, items, k),
                                reason_after if k == len(items) - 1 else "") for k, item in enumerate(items)]
        for k, item in enumerate(items):
            if (said := " ".join(item.lower().split())) in listed_before:
                continue  # listed again: the first listing, earlier and so higher, already stands
            listed_before.add(said)
            candidate = read[k]
            if candidate and (described := _described(items, read, k)):  # read again with what follows it
                candidate = _item_candidate(item, sentence, analysis, product_words,
                                            _item_context(sentence, lead, items, k),
                                            reason_after if k == len(items) - 1 else "", described)
            if candidate and plain_face and candidate.kind == "face":
                continue  # the features listed with a plain close-up of a face belong to that close-up
            if candidate:
                item_score = 2.6 if _POST_ECU.search(item) else score
                candidate.score = candidate.score - 2.6 + item_score - 0.02 * (len(out) + len(listed))
                listed.append((item, candidate))
        if not _a_mood(listed, sum(bool(_WORD.search(item)) for item in items)):
            out.extend(candidate for _, candidate in listed)
    return out


def _item_context(sentence: str, lead: str, items: list[str], k: int) -> str:
    """The words a list item's job is read among: one line of a folded list is read like a sentence, with its
    neighbours; an item of an inline list shares the whole sentence ("ECUs of the seal, the date and the batch,
    proof it is fresh")."""
    return " ".join((lead, *items[max(0, k - 1):k + 2])) if sentence.startswith(FOLDED_LIST) else sentence


def _described(items: list[str], read: list[Candidate | None], k: int) -> str:
    """What the items after item k say of it before the next detail: "the serrated tips, milled and then
    hand-finished" splits at the comma, and the second part tells how the first is made."""
    tail = []
    for item, candidate in zip(items[k + 1:], read[k + 1:]):
        if candidate is not None:
            break
        tail.append(item)
    return " ".join(tail)


MOOD_SENSES = 3  # noun senses read for a physical one before a listed word counts as a mood ("warmth", "momentum")


MOOD_WORDS = 2  # a listed feeling is a bare word or two ("quiet luxury"); "split ends before and after" is a shot


def _a_mood(listed: list[tuple[str, Candidate]], items: int) -> bool:
    """Whether a list of two or more items names feelings and ideas, not things ("energy, momentum, belonging"):
    every item read is bare and its head has no physical sense or photographer's term (the others named nothing,
    "together"). An item is bare when each "and" part is a word or two past its determiner ("discovery and quiet
    luxury", "that first-year feeling")."""
    return items >= 2 and bool(listed) and all(_bare(item) and _an_idea(c.head) and _lookup_word(c.head) is None
                                               for item, c in listed)


_AND = re.compile(r"\band\b|&", re.IGNORECASE)


def _bare(item: str) -> bool:
    """Whether each "and" part of a list item is at most MOOD_WORDS words past its determiners."""
    return all(len([w for w in _WORD.findall(part) if w not in DETERMINERS]) <= MOOD_WORDS
               for part in _AND.split(item.lower()))



def _an_idea(head: str) -> bool:
    """A word WordNet knows with no physical sense among its first few: a feeling, a quality, an act. A word it
    does not know ("twist-lock", a coinage) may name anything, so it is no idea."""
    word = wordnet.head_noun(head)
    return wordnet.entry(wordnet.lemma(word)) is not None and not wordnet.physical(word, MOOD_SENSES)


# A plain close-up of the whole product is a product shot at its right scale: "the whole kettle", "the product".
_WHOLE_THING = re.compile(r"^\W*(?:the|a|an|our)?\s*(?:whole|entire|full|complete)\b|^\W*(?:the|our)\s+product\b",
                          re.IGNORECASE)
_A_FACE = re.compile(r"^\W*(?:(?:the|a|an|her|his|their|our|my|[\w-]+'s)\s+)*(?:face|faces|portrait|expression|"
                     r"reaction)\b",
                     re.IGNORECASE)
def _first_cell(body: str) -> str:
    """A storyboard row "| ECU | raised relief of the Himalayas | texture you can feel |" lists one subject:
    the cell after the scale. Later cells say what it is for and are read as its purpose."""
    cells = [cell for cell in body.split("|") if cell.strip()]
    return cells[0] if len(cells) > 1 else body


_CONTINUES = re.compile(r"^(?:and|plus|also|lastly|finally)\b(?!\s+then)[\s,]*", re.IGNORECASE)
_CLAUSE_VERB = re.compile(r"\b(?:should|must|will|would|can|could|is|are|was|were|be|stays?|keep|needs?|wants?)\b",
                          re.IGNORECASE)
# Directing the talent, up to the end of its clause.
_DIRECTION = re.compile(r"\b(?:direct|have|get|make|want|ask|tell|let|need)\s+(?:him|her|them|the (?:talent|model|kid|"
                        r"actor|actress))\b"
                        r"[^;]*", re.IGNORECASE)


_ORIENTING_ROW = re.compile(r"^[\s|:.\-–—]*(?:wide|mid|medium|establishing|pack ?shot|end card|close(?! ?-?up)|full)\b",
                            re.IGNORECASE)


def _term_list(sentence: str) -> bool:
    """Short comma-separated phrases, most naming a detail: "seeds caught in the crust, the flour dusting, ..."."""
    chunks = [c for c in re.split(r"[,;]", sentence) if c.strip()]
    if len(chunks) < 3 or any(len(c.split()) > 7 for c in chunks):
        return False
    named = sum(any(_lookup(t) and singular(t.lower) not in GENERIC_TERMS for t in tokenize(c)) for c in chunks)
    return named >= max(2, len(chunks) // 2 + 1)


LEAD_NEGATION = 10  # words back from an ECU request to a "no" or "don't" that refuses it, within its clause


# What a brief says of earlier work it does not want again.
_COMPLAINT = re.compile(r"\b(?:hated|disliked|didn'?t|did not|couldn'?t|wasn'?t|weren'?t|nobody|no one|wrong|boring|"
                        r"generic|pointless|meaningless|random|confus\w*|flopped|failed|missed|lost|too)\b",
                        re.IGNORECASE)


def _list_body(sentence: str) -> tuple[str | None, float]:
    """The part of a sentence that lists ECU subjects, and how sure we are it does."""
    if about_earlier_work(fold(sentence), 0) and _COMPLAINT.search(sentence):
        return None, 0.0  # "last year's agency sent ten macros of the foam and nobody got it": not again
    lead = _ECU_LEAD.match(sentence)
    if lead and not negated(tokenize(sentence), len(tokenize(sentence[:lead.end()])) - 1, window=LEAD_NEGATION):
        return sentence[lead.end():], 2.6
    if label := _LABEL_LEAD.match(sentence):
        body = sentence[label.end():]
        if _ORIENTING_ROW.match(body) or _ORIENTS.search(body):
            return None, 0.0  # "Shot 2 | MID | the distiller tapping the barrel": a numbered frame, not an ECU
        return body, 2.4
    if copular := _COPULAR_LIST.match(sentence):  # "The proof points are the braille, the seal and ..."
        return sentence[copular.end():], 2.4
    if (enumerated := _enumeration_start(sentence)) is not None:
        return sentence[enumerated:], 2.4
    colon = sentence.find(":")
    if colon != -1 and sentence.count(",", colon) + sentence.count(";", colon) >= 2 \
            and (_SHOT_LABEL.search(sentence[:colon]) or _SELLING_CUES.search(sentence[:colon])) \
            and not _TECH_LABEL.search(sentence[:colon]) and not _refusing(sentence[:colon]):
        # "all eight cuts, one after the other: the canvas, the grommet, ...", "what buyers care about: ..."
        return sentence[colon + 1:], 2.2
    if _BARE_LIST.match(sentence) or _term_list(sentence):  # "the welted sole edge, the brass eyelets, ..."
        return sentence, 2.0
    if (lead := _LIST_LEAD.match(sentence)) and sentence.count(",") >= 2:
        return sentence[lead.end():], 2.2
    if (tail := _AS_DETAILS.search(sentence)) and (body := _last_clause(sentence[:tail.start()])):
        return body, 2.2  # "..., then the stitching, welt and heel stack as details": the list its role names
    verb = _VERB_LEAD.match(sentence)
    if verb and not _ORIENTING_CLAUSE.search(sentence[:verb.end()] + " " + sentence[verb.end():verb.end() + 30]):
        return sentence[verb.end():], 1.6
    return None, 0.0


# A list that names its role after it: "the seal, the date and the batch as ECUs", "... as detail shots".
_AS_DETAILS = re.compile(r"\s+as (?:the |our )?(?:(?:extreme )?close[- ]?ups?|ecus?|macros?|details?|detail shots?|"
                         r"inserts?)\b", re.IGNORECASE)
_CLAUSE_BREAK_BEFORE = re.compile(r"[:;]|\bthen\b", re.IGNORECASE)


def _last_clause(text: str) -> str | None:
    """The clause a trailing role ends, after the last colon, semicolon or "then", when it lists two or more."""
    breaks = [m.end() for m in _CLAUSE_BREAK_BEFORE.finditer(text)]
    body = text[breaks[-1] if breaks else 0:]
    return body if "," in body or _AND.search(body) else None


def _refusing(lead: str) -> bool:
    """Whether a list's lead, in its last clause, turns its items down ("what we don't care about:", "no need
    for:"); "no wide shot, nothing pulled back; features to hit:" lists what to shoot."""
    return any(t.lower in NEGATORS for t in tokenize(re.split(r"[;,.]", lead)[-1]))


# A sentence that says what the selling details are: "The proof points are ...", "Key details include ...".
_COPULAR_LIST = re.compile(r"^\W*(?:the\s+|our\s+)?(?:(?:proof|selling|key|hero|main|star|signature)\s+)?"
                           r"(?:points?|details?|features?|highlights?|usps?|moments?)\s+"
                           r"(?:are|is|include|would be|will be|we want are)\s+", re.IGNORECASE)
def _quotation(longest: int) -> re.Pattern[str]:
    return re.compile(rf"[\"“][^\"“”]{{1,{longest}}}[\"”]")


_QUOTED = _quotation(40)  # words quoted inside a detail's name
_QUOTATION = _quotation(120)  # a quotation inside a list item, which a dash inside it does not end


def _quoted_tokens(text: str, tokens: list[Token]) -> set[int]:
    """Indices of the tokens inside quotation marks (one sweep: both lists are in text order)."""
    spans, inside, s = [m.span() for m in _QUOTED.finditer(text)], set(), 0
    for k, token in enumerate(tokens):
        while s < len(spans) and spans[s][1] <= token.start:
            s += 1
        if s < len(spans) and spans[s][0] < token.start:
            inside.add(k)
    return inside


def _item_candidate(item: str, sentence: str, analysis: BriefAnalysis, product_words: set[str],
                    context: str = "", reason_after: str = "", described: str = "") -> Candidate | None:
    """The detail a list item names, with its job read from the item and what the next items say of it
    (`described`), or None when the item names no shootable detail."""
    offset = max(sentence.find(item), 0)
    if _ORIENTING_ITEM.match(item):
        return None  # "ECU on the clasp, plus a wide of the pier": the wide is an orienting frame, not a detail
    nested = _ECU_LEAD.match(item)
    if nested:
        item, offset = item[nested.end():], offset + nested.end()
    tokens = _item_words(item)
    i = 0
    while i < len(tokens) and tokens[i].lower in _ITEM_SKIP:
        i += 1
    if i >= len(tokens) or tokens[i].lower in _ITEM_REJECT or tokens[i].lower.split("'")[0] in _ITEM_REJECT:
        return None
    quoted = _quoted_tokens(item, tokens)
    head = _item_head(tokens, _after_possessive(tokens, i), quoted)
    aside = _aside_start(item)
    if aside is not None and (head is None or tokens[head].start > aside
                              or singular(tokens[head].lower) in _NOT_DETAILS):
        head = _item_head([t for t in tokens if t.start < aside], _after_possessive(tokens, i), quoted)
    if head is None or _camera_gear(tokens, head) or _subject_of_a_verb(tokens, head) or _idiom(tokens, head) \
            or _takes_an_object(tokens, head) or _lookup(tokens[head]) is None \
            and wordnet.never_a_noun(tokens[head].lower):
        return None  # ... or "together", "first-year": a word WordNet knows, never as a thing
    start, end = noun_phrase(tokens, head, max_left=head - i)
    if quoted & set(range(i, head)):
        start = i  # keep the quoted words in the name: 'printed "you found it" message
    words = [t.lower for t in tokens[start:end]]
    base = singular(tokens[head].lower)
    if base in _SHOT_WORDS or not _usable(words, base, product_words, analysis.product_head) \
            or len(words) > MAX_DETAIL_WORDS + 2:
        return None
    modifiers = [t.lower for t in tokens[start:head]]
    # the head's job, else its modifiers' ("tamper seal"), else what its "of" phrase names ("streams of bubbles")
    of_phrase = words[head - start + 2:] if words[head - start + 1:head - start + 2] == ["of"] else []
    term = _personal(_lookup(tokens[head]), tokens, head, product_words) or _lookup_word(" ".join(modifiers)) \
        or _lookup_word(" ".join(of_phrase)) or (
        _LISTED_FACE if base == "face" else None) or _meaning_term(tokens[head], has_person(tokens),
                                                                  wordnet.domain(analysis.product_head))
    if term is not None and term.kind == "face" and _owned_by_an_object(tokens, head, product_words):
        term = None  # "the milled face" of a hammer is no one's face
    if term is not None and term.kind == "face" and (gesture := _operating(tokens, head)):
        # a thumb pressing a pump: the product at work; a fingertip pressing balm onto her lip: a touch
        end, term = gesture, term if _on_a_person(tokens[head + 2:gesture]) else _OPERATING_HAND
    after = tokens[end - 1].start + len(tokens[end - 1].text)
    purpose = " ".join((purpose_after(sentence, offset + after) or reason_after,
                        claim_about(analysis.text, tuple(words))))
    features = job_features(_job_term(term, term is not None and term not in _MEANING_TERMS.values()), context,
                            analysis.summary.vertical, near=f"{item} {described}".strip(),
                            teaser=is_teaser(analysis.text),
                            purpose=purpose, head=base, acronym=has_acronym(tokens[start:end]),
                            resists=claims_resistance(analysis.text), working=_shown_working(item, tokens, head, after)
                            or _lookup(tokens[head]) is None and in_action(tokens, head, end))
    category = decide_job(features)
    name = _name(tokens, start, end, term or _UNKNOWN_TERM, analysis)
    return Candidate(name=name, category=category, why=why(category, sentence, analysis.summary.goals),
                     evidence=evidence(sentence, offset), score=2.6 + 0.3 * bool(term), head=_canonical(base),
                     kind=term.kind if term else "texture", source="listed", features=features)


_TIMING = re.compile(r"\d+(?:\.\d+)?s|\d+[-–]\d+|\d{1,2}")  # "2s", "03-0" of "0:03-0:06", "0"


def _operating(tokens: list[Token], head: int) -> int | None:
    """Where a hand's operating phrase ends ("thumb | pressing down the pump of the bottle"), or None when
    the body-part word is not followed by an operating verb. The phrase runs to the next break, at most 8 words."""
    k = head + 1
    if k >= len(tokens) or wordnet.lemma(tokens[k].lower, "v") not in _OPERATING_VERBS \
            or not tokens[k].lower.endswith("ing"):
        return None
    end = k + 1
    while end < min(len(tokens), k + 8) and not _apart(tokens[end - 1], tokens[end]):
        end += 1
    return end


def _apart(before: Token, token: Token) -> bool:
    """Whether more than a space stands between two words (a comma, a bracket, a dash)."""
    return token.start - (before.start + len(before.text)) > 1


def _on_a_person(tokens: list[Token]) -> bool:
    """Whether an action's object is someone's body ("onto her lip", "across the skin")."""
    return any(t.lower in _PERSON_WORDS or t.lower == "skin" or (term := _lookup(t)) is not None and term.kind == "face"
               for t in tokens)


def _aside_start(item: str) -> int | None:
    """Where a note after a dash or in closing brackets starts ("the ridged dial - everyone comments on it"), or
    None. The thing is named before it. A dash inside quotation marks belongs to the quoted name."""
    aside = _ASIDE.search(_QUOTATION.sub(lambda m: "x" * len(m.group()), item))
    return aside.start() if aside else None


_ASIDE = re.compile(r"\s[-–—]\s|—|\s\((?=[^()]*\)\s*$)")  # or a closing bracket: "the rounded corners (safety)"


def _item_words(item: str) -> list[Token]:
    """An item's words without its timing ("0:03-0:06", "2s"): a number that names the detail stays
    ("the 400x marking", "the 925 hallmark")."""
    raw = tokenize(item)
    def timing(k: int) -> bool:
        word = raw[k].lower
        beside_colon = any(0 <= j < len(raw) and raw[j].text == ":" for j in (k - 1, k + 1))
        unit = k + 1 < len(raw) and raw[k + 1].lower in UNITS  # "5 mm lugs": a spec, not a running time
        return bool(_NUMERIC.fullmatch(word)) and not unit and (beside_colon or bool(_TIMING.fullmatch(word))
                                                               or not any(c.isdigit() for c in word))
    return [t for k, t in enumerate(raw) if t.is_word and not timing(k)]


# Verbs of someone speaking or wanting: "the buttonhole is lovely" stays a detail, "legal wants ..." does not.
_FINITE_VERBS = _MODALS | {"wants", "needs", "says", "asks", "thinks", "likes", "loves", "hates", "prefers", "feels",
                            "sends", "sent", "brings", "knows", "said"}


def _subject_of_a_verb(tokens: list[Token], head: int) -> bool:
    """"legal wants the claim backed": an unknown word followed by a verb is who speaks, not what is shot."""
    return head + 1 < len(tokens) and tokens[head + 1].lower in _FINITE_VERBS and _lookup(tokens[head]) is None


def _after_possessive(tokens: list[Token], i: int) -> int:
    """Where to look for an item's head: "the shimmer pan's pressed crosshatch pattern" is about the pattern."""
    for k in range(i, min(i + 4, len(tokens) - 1)):
        word = tokens[k].lower
        if word.endswith(("'s", "s'")) and word not in {"it's", "that's", "let's", "what's", "there's", "he's",
                                                        "she's"}:
            return k + 1
        if word in STOPWORDS_FOR_ITEMS:
            break
    return i


def _item_head(tokens: list[Token], i: int, quoted: set[int] = frozenset()) -> int | None:
    """The noun a list item is about: the last lexicon term of its opening run, else the run's last word.

    Quoted words belong to the run but never head it: 'the printed "you found it" message' is a message.
    """
    j = i
    def in_run(k: int) -> bool:
        return k in quoted or tokens[k].lower not in STOPWORDS_FOR_ITEMS or joins_marks(tokens, k)
    while j < len(tokens) and in_run(j) and j - i < 6 + len(quoted):
        if j in quoted:
            j += 1
            continue
        word = tokens[j].lower
        after_quality = tokens[j - 1].lower in COLORS or tokens[j - 1].lower in MATERIALS if j > i else False
        participle = ((word.endswith("ing") and word not in ING_NOUNS and not after_quality) or word.endswith("ed")) \
            and wordnet.verb_form(word) \
            and _lookup(tokens[j]) is None  # "gold netting" is a thing, "meniscus sitting" an action
        following = tokens[j + 1].lower if j + 1 < len(tokens) else ""
        if j > i and participle and (not following or following in STOPWORDS_FOR_ITEMS or following.endswith("ly")
                                     or following in _PARTICLES):
            break  # a participle starts the action: "meniscus sitting on", "mark moulded into"
        j += 1
    if j == i:
        return None
    # a participle term ("embossed fern") describes the word after it, which is the thing
    known = [k for k in range(i, j) if _lookup(tokens[k]) and tokens[k].lower not in GENERIC_TERMS and k not in quoted
             and not (tokens[k].lower.endswith("ed") and k + 1 < j)]
    last = _last_noun(tokens, i, j, quoted)
    # English heads its phrase with the last noun: "the ivory pointer knobs" are knobs, whatever "ivory" is
    after_known = range(known[-1] + 1, last) if known else range(0)
    ends_on_it = known and last > known[-1] and _a_made_thing(tokens[last]) \
        and not any(wordnet.verb_form(tokens[k].lower) for k in after_known)  # not past "gripping" or "set"
    head = last if ends_on_it else known[-1] if known else last
    while head + 1 < j and head + 1 not in quoted and _compound_part(tokens[head + 1]):
        head += 1  # "the thumb rest on the handle": the rest, not the thumb
    word = tokens[head].lower
    adjective_like = word.endswith(("ly", "ous", "ful", "ive", "y")) and _lookup(tokens[head]) is None \
        and word not in PRODUCT_NOUNS and not word.endswith(("ery", "ory", "ary"))  # "hazy", "glowy"; not "battery"
    if word in _ADJECTIVES or adjective_like or "'" in word or word.endswith(("-sharp", "-soft", "-lit", "-tight")):
        return None
    return head


def _a_made_thing(token: Token) -> bool:
    """Whether a word's usual sense is an artifact: a part a list item may end on."""
    word = singular(token.lower)
    return wordnet.noun_senses(word)[:1] == ("artifact",) and word not in GENERIC_TERMS


def _last_noun(tokens: list[Token], i: int, j: int, quoted: set[int] = frozenset()) -> int:
    """The run's last word that is not a participle: "folding arm latch clicking" is about the latch."""
    for k in range(j - 1, i, -1):
        word = tokens[k].lower
        if k not in quoted and (not wordnet.verb_form(word) or word in ING_NOUNS):
            return k
    return j - 1


@lru_cache(maxsize=8192)
def _content(name: str, ignore: frozenset[str] = frozenset()) -> frozenset[str]:
    """A name's content words; cached, because merging compares every candidate with every kept one."""
    words = {singular(w) for w in _WORD.findall(name.lower()) if w not in STOPWORDS_FOR_ITEMS}
    return frozenset(words - ignore)


def _same_detail(a: Candidate, b: Candidate, ignore: frozenset[str]) -> bool:
    if a.head == b.head:
        return True
    ca, cb = _content(a.name, ignore), _content(b.name, ignore)
    small, large = sorted((ca, cb), key=len)
    return bool(small) and ((small <= large and len(small) >= 2) or len(ca & cb) / len(ca | cb) > 0.5)


def _merge(candidates: list[Candidate], product_words: frozenset[str] = frozenset()) -> list[Candidate]:
    """One candidate per detail; the more specific wording wins, with the better score."""
    kept: list[Candidate] = []
    for c in sorted(candidates, key=lambda c: (-c.score, -len(c.name))):
        twin = next((k for k in kept if _same_detail(c, k, product_words)), None)
        if twin is None:
            kept.append(c)
        elif len(_content(c.name)) > len(_content(twin.name)) and c.score >= twin.score - 1.7:
            kept[kept.index(twin)] = c.model_copy(update={"score": twin.score})
    return kept


_ORIENTING_ITEM = re.compile(r"^\W*(?:(?:plus|and|then|also)\s+)?(?:an?\s+|one\s+|the\s+)?"
                            r"(?:wide|mid|medium|establishing)(?:\s+(?:shot|frame|angle))?\s*(?:of\b|on\b|[:–—,]|$)",
                            re.IGNORECASE)  # "a wide of the pier", not "the wide flat brush"
# An item whose purpose is to orient: "the whole radio on a shelf, so people know what it is".
_ORIENTS = re.compile(r"\bso (?:\w+ ){0,3}(?:know|see|get|understand|recogni[sz]e) (?:what|which) (?:it|this|that|"
                      r"the \w+) is\b", re.IGNORECASE)
_ORIENTING_CLAUSE = re.compile(r"\b(?:wide|mid(?!-)|medium|establishing|full[- ]figure|full[- ]length|half[- ]length|"
                               r"top-down shot of the whole|in context|lifestyle|whole|first see|open(?:s|ing)? on)\b",
                               re.IGNORECASE)


def _in_orienting_clause(sentence: str, offset: int) -> bool:
    """A detail word inside the description of a wide or mid frame ("hands adding toppings at mid distance")."""
    reach = 200  # a clause is a phrase, not the rest of a run-on paragraph
    left = max(max(sentence.rfind(c, 0, offset) for c in ",;:") + 1, offset - reach)
    right = min([i for i in (sentence.find(c, offset, offset + reach) for c in ",;:") if i != -1] or [offset + reach])
    return bool(_ORIENTING_CLAUSE.search(sentence, max(left, 0), right))


_LENS_WORDS = frozenset({"lens", "lenses", "macro", "prime", "zoom", "glass"})


def _camera_gear(tokens: list[Token], i: int) -> bool:
    """"macro lens", "100mm macro": the camera's kit; a length before anything else measures the product
    ("1mm markings", "3 mm lugs")."""
    prev = tokens[i - 1].lower if i else ""
    return prev in {"macro", "telephoto", "long", "zoom", "prime", "tilt-shift"} \
        or _focal_length(prev) and tokens[i].lower in _LENS_WORDS


def _focal_length(word: str) -> bool:
    return word.endswith("mm") and word[:-2].isdigit()


_WANTING = frozenset({"i'd", "we'd", "you'd", "would", "'d", "i", "we", "really", "also", "just"})


def _in_comparison(tokens: list[Token], i: int) -> bool:
    """"as sharp as ink on paper": the detail named in a comparison is not in the shot."""
    for k in range(i - 1, max(-1, i - 4), -1):
        token = tokens[k]
        if token.lower == "like" and k and tokens[k - 1].lower in _WANTING:
            return False  # "I'd like the bronze bushing": a wish, not a simile
        if token.lower in {"as", "like", "than"}:
            return True
        if token.lower in STOPWORDS_FOR_ITEMS and token.lower not in {"the", "a", "an"}:
            return False
    return False


def _diverse_top(candidates: list[Candidate], count: int, likely: Callable[[Candidate], float]) -> list[Candidate]:
    """Greedy pick, likeliest first (`likely`: the rank model's log-odds), that prefers a new job and a new head
    term over a near-duplicate."""
    chosen: list[Candidate] = []
    pool = list(candidates)
    while pool and len(chosen) < count:
        def adjusted(c: Candidate) -> float:
            same_job = sum(1 for p in chosen if p.category == c.category)
            same_head = any(_restated(c, p) for p in chosen)
            # hand-set, and set for the readers' score: on log-odds a second detail of the same job still costs a
            # quarter, a second of the same head needs to be e^2 times likelier
            return likely(c) - 0.25 * same_job - (2.0 if same_head else 0.0)
        best = max(pool, key=adjusted)
        pool.remove(best)
        if any(_restated(best, p) for p in chosen) and len(pool) >= count - len(chosen):
            continue
        chosen.append(best)
    return chosen


def _restated(a: Candidate, b: Candidate) -> bool:
    """Whether two candidates name one detail: the same head, every content word of one in the other's name
    ("letterpress on the label" and "letterpress impression on the label"), or a spec row's label and a part its
    row names ("Hardware" of "Hardware: brass D-ring")."""
    small, large = sorted((_content(a.name), _content(b.name)), key=len)
    same_row = "label" in (a.source, b.source) and a.evidence == b.evidence
    return a.head == b.head or bool(small) and small <= large or same_row


# What the rank model reads of a candidate's job features: the cue words by job, its meaning, its clause's words.
_RANKED_FEATURES = ("near:", "context:", "purpose:", "usual=", "sense=", "word:", "vertical=")
_RANKED_FLAGS = frozenset({"working", "informs", "acronym", "teaser", "operated", "subject"})


def rank_features(candidate: Candidate, position: int) -> dict[str, float]:
    """What the rank model weighs (`tools/learned.py`): the readers' score and order, where the brief names the
    candidate (a list, a row, prose), what kind of thing it is, the words of its name and of its clause."""
    name = candidate.name.lower()
    features = {"score": candidate.score, "position": min(position, 10) / 10, f"source={candidate.source}": 1.0,
                f"kind={candidate.kind}": 1.0, "words": min(len(name.split()), 8) / 8,
                "on the product": float(" on the " in name)}  # a name the reader had to complete
    features.update({f"name:{word}": 1.0 for word in name.split()})
    features.update({k: v for k, v in candidate.features.items() if k.startswith(_RANKED_FEATURES)
                     or k in _RANKED_FLAGS})
    return features


EVIDENCE_CHARS = 160


def evidence(sentence: str, offset: int = 0) -> str:
    """The brief's own words a detail rests on: its sentence, or the part of a long one around the detail
    (`offset`), cut at word boundaries. Reads a bounded window, so a run-on sentence costs the same."""
    if len(sentence) <= EVIDENCE_CHARS:
        return " ".join(sentence.split())
    start = max(0, offset - EVIDENCE_CHARS // 2)
    window = sentence[start:start + EVIDENCE_CHARS]
    if start:
        window = window.split(" ", 1)[-1]
    if start + EVIDENCE_CHARS < len(sentence):
        window = window.rsplit(" ", 1)[0]
    return ("… " if start else "") + " ".join(window.split()) + (" …" if start + EVIDENCE_CHARS < len(sentence) else "")


def _canonical(head: str) -> str:
    """One name per detail word: "stitching" and "stitches" are both the stitch."""
    return head[:-3] if head.endswith("ing") and head[:-3] in DETAIL_TERMS else head


def _lookup(token: Token) -> DetailTerm | None:
    if not token.is_word:
        return None
    word = token.lower
    if "-" in word:  # "pull-tab" is a tab; "hand-stitched" and "eye-catching" are not things
        word = word.rsplit("-", 1)[-1]
        if word.endswith(("ed", "ing")) or word in {"eye", "face", "hand", "lip", "finger", "thumb"}:
            return None
    return DETAIL_TERMS.get(word) or DETAIL_TERMS.get(singular(word))


# What a noun's meaning says about the job its close-up usually does, for nouns the lexicon does not know:
# a made part shows how it is made, a substance or ingredient is evidence, a body part carries feeling.
_MEANING_TERMS = {
    "artifact": DetailTerm("craftsmanship", "texture", ("proof", "story_hook")),
    "shape": DetailTerm("craftsmanship", "texture", ("proof",)),
    "object": DetailTerm("craftsmanship", "texture", ("proof", "story_hook")),
    "substance": DetailTerm("proof", "texture", ("craftsmanship", "story_hook")),
    "food": DetailTerm("craftsmanship", "texture", ("proof", "story_hook")),
    "plant": DetailTerm("proof", "texture", ("craftsmanship",)),
    "body": DetailTerm("emotion", "face", ("proof",), "natural skin texture"),
}
# Domains of whole objects and places: a noun whose usual sense is one is a prop or the setting, never a detail.
WHOLE_OBJECT_DOMAINS = frozenset({"furniture", "vehicle", "lodging", "toy", "instrument", "electronics", "setting"})
_WRITTEN_MARK = DetailTerm("proof", "mark", ("craftsmanship",))
SENSE_REACH = 3  # noun senses read for a physical one when a modifier shapes the noun ("thread-sewn binding")
MEANING_PENALTY = 0.3  # a noun known only by its meaning ranks below a photographer's term said as often


_PERSON_WORDS = frozenset({"she", "he", "her", "his", "their", "they", "someone", "somebody", "my", "your"})
# Person nouns that put nobody in the picture: onlookers ("people always comment on it") and the
# selling figures of speech ("the hero", "the star").
_ONLOOKERS = frozenset({"people", "customers", "everyone", "buyers", "viewers", "fans", "reviewers", "users",
                        "audience", "shoppers", "folks", "guests", "hero", "star", "winner", "favourite", "favorite"})


def has_person(tokens: tuple[Token, ...] | list[Token]) -> bool:
    """Whether someone is in the picture: a personal pronoun or a person noun that is not an onlooker."""
    return any(t.lower in _PERSON_WORDS or (t.is_word and t.lower not in _ONLOOKERS
                                            and wordnet.noun_senses(t.lower)[:1] == ("person",))
               for t in tokens)


def _meaning_term(token: Token, person: bool = False, product_domain: str = "", shaped: bool = False,
                  written: str = "") -> DetailTerm | None:
    """A term for a physical noun the lexicon does not list ("burr", "gasket"), from its most frequent sense.

    A body-part noun carries feeling only where a person is in the sentence (`person`); otherwise it is a
    part of the object ("the neck of the bottle", "the lid"). Words a making leaves on a thing are a mark
    (`written` is "made": "the claim printed on the tube"), and so is what a measuring or a marking leaves where
    it sits (`written` is "placed": "the reading on the display", "markings along the blade").
    """
    word = wordnet.head_noun(token.lower)  # "pull-tab", "footswitch": a compound is a kind of its last part
    if not token.is_word or len(word) < 3 or word in _NOT_DETAILS or word in _SHOT_WORDS \
            or word in STOPWORDS_FOR_ITEMS or not word.replace("-", "").isalpha():
        return None
    senses = wordnet.noun_senses(word)
    sense = next((s for s in senses[:SENSE_REACH if shaped else 1] if s in _MEANING_TERMS), None)
    if sense is None and "communication" in senses[:SENSE_REACH] \
            and (written == "made" or written == "placed" and word.endswith(("ing", "ings"))):
        return _WRITTEN_MARK
    if sense is None or wordnet.is_adjective(word) and not shaped:
        return None
    # The domain of the word's usual sense, not of any sense: "piping" is trim before it is a pipe
    found = wordnet.entry(wordnet.lemma(word))
    usual = found.domains[0] if found is not None and found.domains else "-"
    if product_domain and usual == product_domain:
        return None  # another thing of the product's own kind ("loaf" beside a sourdough): the whole, not a detail
    if usual in WHOLE_OBJECT_DOMAINS:
        return None  # a desk, a car, a phone in the brief is a prop or a setting, not a part of the product
    if sense == "body" and not person:
        return _MEANING_TERMS["artifact"]
    return _MEANING_TERMS[sense]


def _personal(term: DetailTerm | None, tokens: Sequence[Token], head: int,
              product_words: frozenset[str] | set[str] = frozenset()) -> DetailTerm | None:
    """A body-part term, unless what stands right before it makes it a part of the object, which its meaning
    types instead: a made thing or a time word that owns it ("the minute hand", "button eyes", "the dial's
    hands"), a making participle where nobody is in the picture ("embroidered eyes", not "her tired eyes"),
    a number ("16d head") or the product's own name (a toy's "Bramble's eyes")."""
    if term is None or term.kind != "face" or head == 0:
        return term
    return None if _owned_by_an_object(tokens, head, product_words) else term


def _owned_by_an_object(tokens: Sequence[Token], head: int, product_words: frozenset[str] | set[str]) -> bool:
    """Whether the word before a body-part noun makes it a part of a thing ("milled face", "16d head")."""
    if head == 0:
        return False
    before = tokens[head - 1].lower
    owner = before.removesuffix("'s").removesuffix("’s")
    if owner in {"'s", "’s"} and head >= 2:
        owner = tokens[head - 2].lower
    made = len(before) > 4 and before.endswith("ed") and wordnet.verb_form(before) and not has_person(tokens)
    if made or any(ch.isdigit() for ch in before) or owner in product_words:
        return True
    return wordnet.noun_senses(owner)[:1] in _OWNING_SENSES


_OWNING_SENSES = {("artifact",), ("object",), ("shape",), ("substance",), ("time",)}


def _job_term(term: DetailTerm | None, known: bool) -> DetailTerm | None:
    """The term whose usual job counts in the vote: a meaning-derived guess leaves the job to the brief's own
    words (what it says the detail is for), except a body part with a person, which carries feeling."""
    return term if known or (term is not None and term.kind == "face") else None


def _term(tokens: Sequence[Token], i: int, person: bool = False, product_domain: str = "") -> DetailTerm | None:
    """The lexicon's term for word i, else the one its meaning gives in its phrase."""
    return _lookup(tokens[i]) or _meaning_term(tokens[i], person, product_domain, _shaped(tokens, i),
                                               _written_on(tokens, i))


def _shaped(tokens: Sequence[Token], i: int) -> bool:
    """Whether the word before a noun says how it is made or shaped ("thread-sewn binding", "rounded corners"),
    or the words after its phrase do ("the lattice top is woven by hand"): then the noun names a physical thing
    even where its usual sense does not ("binding", "corner", "lattice")."""
    if made_how(tokens, i + 1) or i + 1 < len(tokens) and _subject_end(tokens, i + 1):
        return True
    if i == 0:
        return False
    before = tokens[i - 1].lower
    return "-" in before.strip("-") or len(before) > 4 and before.endswith("ed") or before in MATERIALS


# Where writing sits on a thing, and how it got there: "the reading on the display", "markings printed along".
_PLACED = frozenset({"on", "along", "across", "inside", "around", "under", "underneath", "at"})


_MARKING_VERBS = frozenset({"creation", "contact"})


def _written_on(tokens: Sequence[Token], i: int) -> str:
    """What follows the noun: how it was put on the thing ("made": a participle of making or touching, "printed",
    "laser-etched"), where it sits ("placed": "on", "along"), or neither ("")."""
    nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    verb = nxt.rsplit("-", 1)[-1]
    if len(verb) > 4 and verb.endswith("ed") and wordnet.verb_form(verb) \
            and _MARKING_VERBS & set(wordnet.verb_senses(wordnet.lemma(verb, "v"))[:2]):
        return "made"
    return "placed" if nxt in _PLACED else ""


def _lookup_word(phrase: str) -> DetailTerm | None:
    for word in phrase.lower().split():
        term = DETAIL_TERMS.get(word) or DETAIL_TERMS.get(singular(word))
        if term:
            return term
    return None


def _phrase_head(tokens: list[Token], i: int) -> int:
    """Move right over compound words ("wax seal", "brushed aluminium dial") to the real head."""
    head = i
    j = i + 1
    # "embossed cacao pod", "full-grain leather": a participle or a hyphenated modifier, the thing comes after
    adjectival = tokens[i].lower.endswith("ed") or "-" in tokens[i].lower
    while j < len(tokens) and j - i <= 3:
        word = tokens[j].lower
        if _lookup(tokens[j]) and word not in GENERIC_TERMS:
            head = j
        elif adjectival and j == i + 1 and word not in STOPWORDS_FOR_ITEMS and tokens[j].is_word \
                and not (word.endswith("ed") and wordnet.verb_form(word)):
            head = j  # but "through-tenons wedged with walnut": a participle after it, so it was the thing
        elif head == j - 1 and (_compound_part(tokens[j]) or _subject_end(tokens, j)):
            head = j  # "thumb rest", "seal band": a part named by two nouns is the second one
        elif not (word in MATERIALS or word in PART_NOUNS or singular(word) in PART_NOUNS):
            break
        j += 1
    return head


def _subject_end(tokens: Sequence[Token], j: int) -> bool:
    """Whether a noun after a noun ends a subject said to be made some way ("the lattice top is woven by hand"):
    the copula and the making close the phrase, so the second noun is its head whatever its usual sense."""
    word = tokens[j].lower
    return wordnet.is_noun(word) and not wordnet.verb_form(word) and word not in STOPWORDS_FOR_ITEMS \
        and bool(made_how(tokens, j + 1))


def _compound_part(token: Token) -> bool:
    """Whether a noun after a noun finishes a compound name of a part: a physical noun in one of its first
    senses, not a verb form ("thumb pressing", "seam runs") and not a closed-class word."""
    word = token.lower
    if not token.is_word or word in STOPWORDS_FOR_ITEMS or wordnet.verb_form(word) or word.endswith("ly") \
            or word in _SHOT_WORDS:
        return False
    if word.endswith("s") and wordnet.is_verb(word) and not wordnet.is_noun(word[:-1]):
        return False
    return wordnet.physical(word, senses=4)


# A noun that names nothing but a person, a place, a time or a feeling never heads a detail.
_NEVER_A_DETAIL = frozenset({"person", "location", "time", "feeling", "motive"})


_CHANNEL_WORDS = re.compile(r"(?<!\S)(?:" + "|".join(re.escape(cue) for cues in CHANNELS.values() for cue in cues)
                            + r")(?!\S)")


def _usable(words: list[str], base: str, product_words: set[str], product_head: str = "",
            written: bool = False) -> bool:
    senses = wordnet.noun_senses(base)
    if senses and set(senses) <= _NEVER_A_DETAIL and base not in DETAIL_TERMS and not _part_place(words, senses):
        return False  # only ever a person, a place or a time: "grandson", "the rough", "Tuscany"
    said = {singular(w) for w in words}
    if said <= {singular(w) for w in product_words} | {"the", "a", "an"} \
            and (not product_head or singular(product_head) in said
                 or any(not wordnet.entry(w) for w in said - {"the", "a", "an"})):
        # the phrase is the product itself ("eye cream") or its brand and a word of its name ("Halden steel"),
        # not a part its name mentions ("the lip")
        return False
    if any(w in _CAMERA_GEAR or misuse_word(w) for w in words) or base in _LENS_WORDS and any(map(_focal_length,
                                                                                                   words)):
        return False  # a lens ("100mm macro"), or a word the plan's own checks would reject ("kind of hazy")
    part_named = any(w != base and (w in DETAIL_TERMS or "body" in wordnet.noun_senses(w)[:2])
                     for w in words)  # "the toe bumper" is a part of the shoe, no YouTube bumper
    if _CHANNEL_WORDS.search(" ".join(words)) and not part_named or base in DELIVERABLE_NOUNS:
        return False  # a deliverable ("the product page", "the stills", "a YouTube bumper"), not a part
    abstract = base.endswith(("ity", "ness", "ship", "ism")) and base not in DETAIL_TERMS  # durability, softness
    if base in _SHOT_WORDS or base in _NOT_DETAILS or abstract or _SHOT_PHRASE.search(" ".join(words)):
        return False
    if wordnet.verb_form(base) and base not in ING_NOUNS and base not in DETAIL_TERMS and not written \
            and wordnet.noun_senses(base)[:1] not in (("artifact",), ("food",)):
        return False  # an action ("pouring"), not a made part ("the coupling", "the casing", "the icing")
    if base in GENERIC_TERMS and len([w for w in words if w not in _EMPTY_WORDS]) < 2:
        return False  # "texture" alone could belong to anything
    return True


def _part_place(words: list[str], senses: tuple[str, ...]) -> bool:
    """Whether a place word names a part of the noun before it ("the lattice top", "the case back"): where on
    a thing, said with the thing, is that part of it."""
    return "location" in senses and len(words) > 1 and wordnet.physical(words[-2], senses=2)


def has_acronym(tokens: list[Token]) -> bool:
    """Whether a name carries an acronym in capitals ("FSC logo", "CE mark", "BSI kitemark") or a standard's
    code ("IP67 rating", "EN71 stamp"), as marks of a certifying body do."""
    return any(certifying_mark(t) for t in tokens)




def made_how(tokens: list[Token], end: int) -> str:
    """The participle a noun phrase is described by after a copula ("the edges are hand-burnished",
    "every seam is taped"): how the detail is made, which is what a close-up of it shows; else ""."""
    k = end
    if k < len(tokens) and tokens[k].lower in _COPULAS:
        k += 1
        while k < len(tokens) and tokens[k].is_word and (tokens[k].lower.endswith("ly") or tokens[k].lower == "all"):
            k += 1  # "carefully", "individually", "all"
        by_hand = _by_hand(tokens, k)  # "are all hand sanded": hand-sanded
        k += by_hand
        if k < len(tokens) and tokens[k].is_word and past_participle(tokens[k].lower) \
                and not _names_after(tokens, k + 1):  # "the dial is hand-turned guilloché": the guilloché's
            by_hand = by_hand or _by_hand_after(tokens, k)  # "is woven by hand"
            return f"hand-{tokens[k].lower}" if by_hand else tokens[k].lower
    return ""


def _names_after(tokens: Sequence[Token], k: int) -> bool:
    """Whether word k is a noun and nothing else, so the participle before it modifies it."""
    if k >= len(tokens) or not tokens[k].is_word:
        return False
    word = tokens[k].lower
    return wordnet.only_a_noun(word) and word not in STOPWORDS_FOR_ITEMS


def past_participle(word: str) -> bool:
    """Whether a word is the past participle of a verb WordNet knows: "burnished", "hand-woven", "sewn"."""
    last = word.rsplit("-", 1)[-1]
    if last.endswith("ed"):
        return wordnet.is_verb(last)
    return bool(_IRREGULAR_PARTICIPLE.search(last)) and wordnet.lemma(last, "v") != last


# Words a detail's name drops from its front: the shared determiners, but a quantifier ("each seam") stays.
_LEADING_DETERMINERS = (DETERMINERS - {"each", "every"}) | {"my", "these", "those"}


def _name(tokens: list[Token], start: int, end: int, term: DetailTerm, analysis: BriefAnalysis,
          prefix: str = "") -> str:
    words = span_text(tokens, start, end).split()
    while words and words[0].lower() in _LEADING_DETERMINERS:
        words.pop(0)
    words = ([prefix] if prefix else []) + words
    name = " ".join(w if (w.isupper() and len(w) > 1) else w.lower() for w in words)
    name = re.sub(r"\b(?:our|your|their|its)\b", "the", name)  # a shot list names things, not owners
    name = re.sub(r"\b(the|a|an)\s+(?:the|a|an)\b", r"\1", name)  # "of the our seams" -> "of the seams"
    has_object = any(t.lower in PREPOSITIONS or t.lower.endswith("ing") and t.lower not in ING_NOUNS
                     for t in tokens[start + 1:end])
    mentions_product = any(w in PRODUCT_NOUNS for w in name.split())
    head = _physical_head(analysis)
    if not has_object and not mentions_product and term.kind in {"texture", "mark", "mechanism", "liquid"} and head:
        name = f"{name} on the {head}"
    return _balanced(" ".join(name.split()[:MAX_DETAIL_WORDS]))


def _balanced(name: str) -> str:
    """A name cut at its word limit inside a bracket loses the open bracket's part ("ring (18k" -> "ring")."""
    while name.count("(") > name.count(")"):
        name = name[:name.rindex("(")].rstrip(" ,;-")
    return name.replace('"', "") if name.count('"') % 2 else name


def _physical_head(analysis: BriefAnalysis) -> str:
    head = analysis.product_head
    return "" if head in _NOT_PHYSICAL else head


def _used_as_verb(tokens: list[Token], i: int) -> bool:
    """"starting to melt", "waiting to crack": after a bare "to" the word is an action, not a thing."""
    return i > 0 and tokens[i - 1].lower == "to" and not (i > 1 and tokens[i - 2].lower in PREPOSITIONS)


_IDIOMS = {("eye", "candy"), ("eye", "level"), ("eye", "line"), ("eye", "catching"), ("voice", "note"),
           ("sticky", "note"), ("side", "note"), ("foot", "note"), ("end", "card"), ("title", "card"),
           ("key", "points"), ("key", "point"), ("key", "message"), ("key", "visual"), ("key", "art"),
           ("by", "hand"), ("at", "hand"), ("on", "hand"), ("in", "hand"), ("hand", "in"), ("first", "hand")}


_OBJECT_PRONOUNS = frozenset({"it", "them", "him", "her", "us", "me"})
_ARTICLES = frozenset({"the", "a", "an"})


def _takes_an_object(tokens: Sequence[Token], i: int) -> bool:
    """"really ham it up", "sell it": a word that is also a verb, followed by an object pronoun, is the verb; so is
    one that opens its item before an article ("press the button and it lights up": an instruction)."""
    if i + 1 >= len(tokens):
        return False
    after, opens = tokens[i + 1].lower, i == 0 or not tokens[i - 1].is_word
    # the neighbours first: the prose reader asks this of every word, WordNet only where they fit
    return (after in _OBJECT_PRONOUNS or opens and after in _ARTICLES) and wordnet.is_verb(tokens[i].lower)


def _idiom(tokens: list[Token], i: int) -> bool:
    """"eye candy", "voice note": a detail word inside a phrase that means something else."""
    word = singular(tokens[i].lower)
    return (i + 1 < len(tokens) and (word, tokens[i + 1].lower) in _IDIOMS) or (
        i > 0 and (tokens[i - 1].lower, word) in _IDIOMS)


def _term_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for token in tokenize(text):
        if _lookup(token):
            base = singular(token.lower)
            counts[base] = counts.get(base, 0) + 1
    return counts
