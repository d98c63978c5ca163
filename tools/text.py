"""Small text helpers the brief tools share: sentences, tokens, negation, noun phrases."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import NamedTuple

from tools.language import wordnet
from tools.lexicon import DETAIL_TERMS, MATERIALS, NEGATORS, STOPWORDS, UNITS
from tools.storyboard import BEAT_LABEL, TIME

# Semicolons stay inside a sentence: briefs use them to separate items of one list.
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\bvs\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bapprox\.)\s+|\n\s*\n|\n\s*(?:[-*•]|"
                           r"\d+[.)])\s*|\n(?=\s*(?:\|\s*)?\d+\s*\|)|\n(?=\s*(?:\[[^\]]{1,40}\]|[A-Z][a-z]{1,15}:\s))"
                           # a storyboard row, however long: it opens with a timecode ("0:04-0:06", "(00:03)")
                           r"|\n(?=\s*(?:\|\s*)?\(?\d{1,2}:\d{2}\b)")
_TOKEN = re.compile(r"[^\W_][\w'’\-]*|[^\w\s]")
_CLAUSE_BREAK = frozenset(",.;:!?()[]—–")
PREPOSITIONS = frozenset({"of", "on", "along", "around", "across", "in", "at", "under", "inside", "from", "against",
                          "into", "onto", "through", "towards", "toward", "beside", "behind", "over", "beneath"})
PART_NOUNS = frozenset({"teeth", "pull", "line", "lines", "pattern", "work", "relief", "stamp", "plate", "tip", "head",
                        "cap", "band", "edge", "edges", "strip", "animation", "pan", "patch", "pocket", "window",
                        "lock", "marks", "mark"})
_TIME_NOUNS = frozenset({"moment", "moments", "time", "way", "second", "instant", "point"})
DETERMINERS = frozenset({"the", "a", "an", "its", "our", "their", "her", "his", "each", "every", "your", "this",
                         "that"})


class Token(NamedTuple):
    text: str
    lower: str
    start: int
    is_word: bool


# Chat transcripts: "Sana: ...", "[Priya, 9:14] ..." speak for the brief; the speaker is not part of it.
# A chat line's lead: "[10:42] Priya: ..." or "Priya: ...". The stamp always goes; the label only when it names
# who speaks (see _speakers), since "Hinge: solid brass" names what the row is about.
# Chat exports write handles in lower case ("maya:"): a label is a speaker only by _speakers' rules either way.
_SPEAKER = re.compile(r"^[ \t]*(?P<stamp>\[[^\]]{1,40}\][ \t]*)?"
                      r"(?:(?P<label>[A-Za-z][a-z]{1,15})(?P<role>\s\([^()]{1,30}\))?:\s+(?=\S))?")
# [ \t]*, not \s*: from each line start a \s* would run over every blank line below it (quadratic on blanked rows)
_LINE_LABEL = re.compile(r"^[ \t]*(?:\[[^\]]{1,40}\][ \t]*)?([A-Za-z][a-z]{1,15})(\s\([^()]{1,30}\))?:\s",
                         re.MULTILINE)


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


def plain(text: str) -> str:
    """Text as it reads: zero-width characters and soft hyphens pasted in from decks and chats removed,
    non-breaking spaces made spaces, so "single\u200b-estate" is the word a reader sees."""
    return text.translate(_INVISIBLE).replace("\u00a0", " ")


@lru_cache(maxsize=1024)
def fold(text: str) -> str:
    """`text` lower-cased without changing its length, so a match's offsets index the original too.

    Hot patterns are written in lower case and run on folded text: the regex engine
    matches about twice as fast as with IGNORECASE. The rare character that lowers to
    two ("İ") is left as it is rather than shift every offset after it.
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(low if len(low := c.lower()) == 1 else c for c in text)


_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20}


COUNT = r"\d{1,2}|" + "|".join(_NUMBER_WORDS)  # a small count as briefs write it, for count_value


def count_value(raw: str) -> int:
    """"3" or "three" as a number (briefs write small counts either way)."""
    raw = raw.lower()
    return int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]


@lru_cache(maxsize=1024)
def sentences(text: str) -> tuple[str, ...]:
    speakers = _speakers(text)

    def unlabelled(sentence: str) -> str:
        lead = _SPEAKER.match(sentence)
        keep = lead.group("label") and lead.group("label") not in speakers
        return sentence[lead.start("label"):] if keep else sentence[lead.end():]

    parts = (unlabelled(" ".join(s.split())) for s in _SENTENCE_END.split(_line_ends(text)) if s and s.strip())
    return tuple(piece for p in parts if p for piece in _bounded(p))


SENTENCE_LIMIT = 10000  # characters: no sentence a person writes runs longer; a pasted run-on is read in pieces


def _bounded(sentence: str) -> list[str]:
    """A sentence cut at spaces into pieces of at most SENTENCE_LIMIT characters, so what reads one sentence at
    a time (the product's opening sentences, a list's lead-in) costs the same on a run-on 100 kB paste."""
    pieces = []
    while len(sentence) > SENTENCE_LIMIT:
        cut = sentence.rfind(" ", 0, SENTENCE_LIMIT)
        cut = cut if cut > 0 else SENTENCE_LIMIT
        pieces.append(sentence[:cut])
        sentence = sentence[cut:].lstrip()
    return [*pieces, sentence] if sentence else pieces


# A line break that ends an unpunctuated line: notes, chats and storyboards end their lines with no full stop
# ("ECU 0:04 the spout pouring\nLid clicks shut"). A hard-wrapped email line is long, or runs on in lower case.
_UNPUNCTUATED_LINE_END = re.compile(r"(?<=[^\s.!?,;:(\[&/+-])[ \t]*\n(?=[ \t]*(?:[A-Z0-9\"“'‘(\[]|[-*•|]))")
WRAP_WIDTH = 60  # lines at least this long that end without punctuation are taken as hard-wrapped prose
# A line that opens with a field's label ("Things to show: ...") starts a field, however long the line before it.
_FIELD_LABEL = re.compile(r"[ \t]*[A-Z][\w'&/-]*(?:[ \t][\w'&/-]+){0,3}:[ \t]")
_RUNS_ON = frozenset({"and", "or", "the", "a", "an", "of", "with", "for", "to", "in", "on", "but", "our", "your"})


def _line_ends(text: str) -> str:
    """`text` with a blank line where a short unpunctuated line ends, so it ends its sentence there."""
    def ends(match: re.Match[str]) -> str:
        line = text[text.rfind("\n", 0, match.start()) + 1:match.start()]
        last = line.rsplit(None, 1)[-1].lower() if line.split() else ""
        ended = last not in _RUNS_ON and (len(line.strip()) < WRAP_WIDTH or _FIELD_LABEL.match(text, match.end()))
        return "\n\n" if ended else match.group()
    if "\n" not in text:
        return text
    speakers = _speakers(text)  # a chat's lower-case handle opens a new turn, so a new sentence ("jo: ...")
    text = _BEFORE_HANDLE.sub(lambda m: "\n\n" if m.group("label") in speakers else m.group(), text)
    return _UNPUNCTUATED_LINE_END.sub(ends, text)


_BEFORE_HANDLE = re.compile(r"(?<=[^\s.!?,;:])[ \t]*\n(?=[ \t]*(?P<label>[a-z][\w.-]{1,20}):\s)")


@lru_cache(maxsize=64)
def _speakers(text: str) -> frozenset[str]:
    """Line labels that name who speaks: one that opens two or more lines (a transcript's turns), or a word
    WordNet knows only as a person or not at all ("Priya:", "Producer:"). A label naming a thing opens a row
    about it ("Hinge: solid brass", "Macro: the cork footbed") and stays part of the row."""
    found = _LINE_LABEL.findall(text)
    labels = [label for label, _ in found]
    turns = Counter(labels)  # counted once: a 9,000-line chat would count each label's turns 9,000 times
    usual = {label: wordnet.noun_senses(label)[:1] for label in turns}  # () for a word WordNet does not know
    named = {label for label, role in found  # "Dana (client):" names a role: a speaker
             if role or turns[label] >= 2 or usual[label] == ("person",)}
    unknown = {label for label in turns if not usual[label]}
    things = {label for label in turns if usual[label] not in ((), ("person",))}
    if not named and len(things) >= 2:
        return frozenset()  # a spec table ("Case: 42 mm steel", "Lume: ...", "Strap: rubber"): its words are rows
    speakers = named | unknown
    if speakers:  # a transcript: its other labels are people too ("Sam:"), unless they name a part or material
        speakers |= {label for label in turns if label.lower() not in DETAIL_TERMS and label.lower() not in MATERIALS}
    return frozenset(speakers)


@lru_cache(maxsize=8192)
def tokenize(text: str) -> tuple[Token, ...]:
    """Words (with inner hyphens and apostrophes) and single punctuation marks; cached, so never mutate."""
    return tuple(Token(g, g.lower().replace("’", "'"), m.start(), g[0].isalnum())
                 for m in _TOKEN.finditer(text) for g in (m.group(),))


@lru_cache(maxsize=16384)
def singular(word: str) -> str:
    """A cheap singular for matching lexicon entries ("seams" -> "seam", "glasses" stays)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("es") and (word[-3] in "xz" or word.endswith(("ches", "shes", "uses", "sses",
                                                                                     "nses"))):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def negated(tokens: list[Token], index: int, window: int = 5) -> bool:
    """True when a negator stands shortly before tokens[index] in the same clause."""
    for token in reversed(tokens[max(0, index - window):index]):
        if token.text in _CLAUSE_BREAK or token.lower in {"but", "and"}:
            return False
        if token.lower in NEGATORS or token.lower.endswith("n't"):
            return True
    return False


def negated_at(text: str, offset: int, window: int = 5) -> bool:
    """negated() for a character offset into text (used with regex matches)."""
    tokens = list(tokenize(text[max(0, offset - 80):offset]))
    return negated(tokens + [Token("", "", offset, False)], len(tokens), window)


def _modifier(token: Token, allow_numbers: bool = False) -> bool:
    return (token.is_word and token.lower not in STOPWORDS and not _adverb(token)
            and (allow_numbers or not token.lower.isdigit()))


_NOT_MARKS = frozenset({"ECU", "ECUS", "UV", "LED", "USB", "OK", "PDP", "UI", "UX", "AD", "TV", "DIY"})
_MARK_CODE = re.compile(r"[A-Z]{2,6}(?:[-]?\d{1,5})?")  # "FSC", "IP67", "EN71", "ISO-9001"


def certifying_mark(token: Token) -> bool:
    """Whether a word is a certifying body's acronym or a standard's code ("CE", "FSC", "IP67", "EN71"), not a
    common technical abbreviation ("LED", "USB")."""
    return token.is_word and token.text.isupper() and 2 <= len(token.text) <= 8 \
        and bool(_MARK_CODE.fullmatch(token.text)) and token.text not in _NOT_MARKS


def joins_marks(tokens: Sequence[Token], k: int) -> bool:
    """Whether tokens[k] is an "and" between two certifying marks ("CE and UKCA marking"): they share the noun
    after them."""
    return 0 < k < len(tokens) - 1 and tokens[k].lower in {"and", "&"} \
        and certifying_mark(tokens[k - 1]) and certifying_mark(tokens[k + 1])


def _adverb(token: Token) -> bool:
    """An -ly word that is an adverb ("really"), not a name that ends that way ("Emberly") nor a noun that only
    looks like one ("butterfly keys", "hinge assembly": WordNet knows them as nouns, never as modifiers)."""
    word = token.lower
    return word.endswith("ly") and not wordnet.only_a_noun(word) and (token.text.islower() or wordnet.is_adverb(word))


def noun_phrase(tokens: list[Token], head: int, *, max_left: int = 3, max_words: int = 10,
                follow_prepositions: bool = True, allow_numbers: bool = False) -> tuple[int, int]:
    """Span [start, end) of the phrase around tokens[head]: modifiers before, "of/on the X" after."""
    start = head
    while start > 0 and head - start < max_left and _modifier(tokens[start - 1], allow_numbers):
        start -= 1
    if start > 0 and tokens[start].lower in UNITS and tokens[start - 1].lower.replace(".", "", 1).isdigit():
        start -= 1  # a unit keeps its number: "5 mm lugs", never "mm lugs"
    if joins_marks(tokens, start - 1):
        start -= 2  # marks and standards said together share their head: "CE and FCC marking" is one mark
    end = head + 1
    while end < len(tokens) and end - head <= 2 and tokens[end].lower in PART_NOUNS:
        end += 1
    if follow_prepositions:
        end = _extend_prepositions(tokens, end, start + max_words)
    return start, min(end, start + max_words)


_RESTING = frozenset({"hanging", "resting", "sliding", "running", "falling", "clinging", "dripping", "sitting",
                      "rolling", "beading", "forming", "catching", "pooling", "rising", "caught", "set", "stamped",
                      "printed", "engraved", "embossed", "moulded", "molded", "etched", "sewn", "stitched"})


_MADE_WITH = PREPOSITIONS | {"with"}  # a made part says what it was made with: "seams sewn with waxed thread"


def _extend_prepositions(tokens: list[Token], end: int, limit: int) -> int:
    for _ in range(2):
        i = end
        acting = i + 1 < len(tokens) and (tokens[i].lower in _RESTING or tokens[i].lower.endswith("ing"))
        made = i + 1 < len(tokens) and tokens[i].lower.endswith("ed") and wordnet.verb_form(tokens[i].lower)
        if acting and tokens[i + 1].lower in PREPOSITIONS or made and tokens[i + 1].lower in _MADE_WITH:
            i += 1  # "droplet hanging from the tip", "date stamped on the base", "tenons wedged with walnut"
        elif acting and tokens[i + 1].lower in DETERMINERS:
            i += 1  # "bristles flicking a single crumb": the action and what it acts on
        elif i >= len(tokens) or tokens[i].lower not in PREPOSITIONS:
            break
        if tokens[i].lower in _MADE_WITH:  # only a made part's own "with" gets here
            i += 1
        while i < len(tokens) and tokens[i].lower in DETERMINERS:
            i += 1
        j = i
        while j < len(tokens) and j - i < 3 and _modifier(tokens[j]) \
                and not (j > i and tokens[j].lower.endswith("ing")):
            j += 1
        if j == i or j > limit or (j < len(tokens) and tokens[j].lower in _TIME_NOUNS):
            break  # "at the exact moment" is timing, not part of the detail
        end = j
    return end


def span_text(tokens: list[Token], start: int, end: int) -> str:
    words = [t.text for t in tokens[start:end]]
    return " ".join(words).replace(" - ", "-")


# Parts of a brief about logistics rather than the product: what they list is never a selling detail
# ("Mandatories: full pack front", "Deliverables: stand graphics, 6 x 4:5").
_LOGISTICS = (r"mandator\w*|legals?|legal lines?|disclaimers?|deliverables?|timings?|timelines?|schedule|budgets?|"
              r"usage|"
              r"rights|contacts?|channels?|formats?|file specs?|delivery specs?|logistics|crew|kpis?|deadlines?|"
              r"approvals?|sign[- ]off|next steps|key dates|dates|media plan|placements?|distribution|audience|"
              r"asset list|assets needed|sizes|cc|attachments?")
_LOGISTICS_LINE = re.compile(rf"^[\s>*#•-]*(?:\*\*)?(?:{_LOGISTICS})\b[^:\n]{{0,25}}:(?:\*\*)?(?P<rest>.*)$",
                             re.IGNORECASE)
_LOGISTICS_HEADING = re.compile(rf"^[\s>#*]*(?:{_LOGISTICS})\b[\w /&-]{{0,25}}\W*$", re.IGNORECASE)
# A line that describes a shot belongs to the shot list, whatever heading it stands under ("Deliverable sequence:").
_SHOT_LINE = re.compile(r"\b(?:wide|mid|medium|close[- ]?ups?|extreme|macro|ecus?|establishing|frames?|shots?|"
                        r"slides?)\b",
                        re.IGNORECASE)
_HEADING = re.compile(r"^[\s>#*]*[A-Za-z][\w /&'()-]{0,40}:\s*(?:\*\*)?\s*$|^[\s>#]*[A-Z][A-Z0-9 /&'-]{2,40}$")


def without_logistics(text: str, sells: Callable[[str], bool] = lambda line: False) -> str:
    """The brief with its logistics lines and sections blanked out (same length, so offsets still hold). A line or
    item that asks for a shot stays, and so does one `sells` says gives a reason to shoot what it names (a
    mandatory "the weld on the flange: customers photograph it" is a selling point under a legal heading)."""
    out, in_section, wrapped = [], False, False
    for line in text.split("\n"):
        blank = " " * len(line)
        if wrapped and line[:1].islower():
            out.append(blank)  # a logistics line hard-wrapped onto this one ("...;\nbatch code shown")
            wrapped = not line.rstrip().endswith((".", "!", "?"))
            continue
        wrapped = False
        if _LOGISTICS_HEADING.match(line):
            in_section = True
            out.append(blank)
        elif (match := _LOGISTICS_LINE.match(line)) is not None:
            in_section = not match.group("rest").strip()
            kept = bool(_SHOT_LINE.search(match.group("rest")))
            out.append(line if kept else _asked_shots_only(line, match.start("rest"), sells))
            wrapped = not kept and not in_section and not line.rstrip().endswith((".", "!", "?"))
        elif in_section and line.strip() and not _HEADING.match(line) and not _SHOT_LINE.search(line):
            out.append(line if _asks_for_a_shot(line, sells) else blank)
        else:
            in_section = in_section and not line.strip() == "" and not _HEADING.match(line)
            out.append(line)
    return _ADDRESS.sub(lambda m: " " * len(m.group()), "\n".join(out))


# A mandatory that is a shot request after all: one that says to show something ("Show the pull tab being
# torn"), calls it the hero, or asks for something to be legible (a mark, a code, a label: a proof ECU's very
# job). "Full pack front", "legal line" and "batch code shown" ask for nothing in close-up and stay blanked.
_ASKED_SHOT = re.compile(r"(?:^|[-*•:;,]\s*)show(?:ing)?\s+(?:the|a|an|our|its|how)\b|\bhero\b|"
                         r"\b(?:seals?|marks?|stamps?|hallmarks?|certifications?|ecolabel)\b[^,;.]{0,30}?"
                         r"\b(?:legib\w*|readable)|"
                         r"\b(?:must|has to|needs? to|should) be (?:\w+ )?(?:legib\w*|readable|pin[- ]sharp)",
                         re.IGNORECASE)
_ITEM = re.compile(r"[^,;]+")


def _asks_for_a_shot(text: str, sells: Callable[[str], bool]) -> bool:
    """Whether a logistics line or item asks for a shot after all, or says why what it names sells."""
    return bool(_ASKED_SHOT.search(text)) or sells(text)


def _asked_shots_only(line: str, rest: int, sells: Callable[[str], bool]) -> str:
    """A logistics line with everything blanked but the items after its label that ask for a shot or sell."""
    out, done = [], 0
    for item in _ITEM.finditer(line, rest):
        if _asks_for_a_shot(item.group(), sells):
            out += [" " * (item.start() - done), item.group()]
            done = item.end()
    return "".join(out) + " " * (len(line) - done)


# An email address or a web address: where the brief came from or links to, never a thing in the frame.
# Bounded and started only where a run of address characters starts, so a 100 kB word is read once.
_ADDRESS = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}|\bhttps?://\S+|\bwww\.\S+")


# A heading that introduces the things to shoot ("What to show:", "Key details", "Hero shots:"), and the
# bullet or numbered lines under it.
_SHOWN_THINGS = (r"(?:show|shoot|details?|features?|highlights?|hero|selling points?|proof points?|"
                 r"usps?|ecus?|close[- ]?ups?|closeups?|macros?|shots?|shot list|moments?|must[- ]haves?|inserts?|"
                 r"key messages?|messages?|prove|proof|notice|sells?|matters?)")
_DETAIL_HEADING = re.compile(rf"^[\s>#*]*(?:[\w'/+&-]+\s+){{0,4}}?{_SHOWN_THINGS}"
                             r"(?:\s+[\w'/+&-]+){0,3}\s*:?\s*(?:\*\*)?\s*$", re.IGNORECASE)
_NAMES_SHOWN_THINGS = re.compile(rf"\b{_SHOWN_THINGS}\b", re.IGNORECASE)
_LIST_LINE = re.compile(r"^\s*(?:[-*•·]|\(?\d{1,2}[.)]|\(?[a-h][.)])\s+(?P<item>\S.*)$")
_CONTINUED = re.compile(r"^\s{2,}\S")
# A storyboard row: a beat, shot or frame number, a timecode ("0:03-0:06", "3-6s", "(00:04–00:07)"), or both.
_TIMECODE = rf"\(?{TIME}\s*[-–—]\s*{TIME}\)?"
_SCALED_ROW = re.compile(r"(?:wide|mid|medium|establishing|ecu|macro|extreme|close[- ]?up|ws|ms|cu|mcu|ls)\b",
                         re.IGNORECASE)
_BEAT_LINE = re.compile(
    rf"^\s*[-*•|]?\s*(?:(?:{BEAT_LABEL}\s*(?:{_TIMECODE})?|{_TIMECODE})"
    rf"\s*[:.)|–—-]?\s+)(?P<item>\S.*)$", re.IGNORECASE)


# Headings whose lists say how the film should feel or who it is for, not what to show.
_FRAMING_HEADING = re.compile(
    r"^[\s>#*]*(?:[\w'-]+\s+){0,2}?(?:tone|mood|voice|feel|vibe|style|look|music|sound|audio|cast|casting|talent|"
    r"objectives?|goals?|aims?|kpis?|audiences?|targets?|personas?|background|context|about|overview|summary|"
    r"avoid|don'?ts|do not|never|notes?(?!\s+(?:from|by|on|after)\b)|references?|refs|inspiration|props|"
    r"wardrobe|locations?|setting|"
    r"questions?|open questions|risks?|insights?|problem|challenge|tagline|copy|headline|cta|message)\b",
    re.IGNORECASE)
_ANY_HEADING = re.compile(r"^[\s>#*]*(?:\(?[\w.]{1,4}[.)]\s+)?[^:\n]{2,300}:\s*(?:\*\*)?\s*$|"
                          r"^[\s>#*]*[^:\n]{2,80}\?\s*$")


LEAD_IN_WORDS = 40  # a sentence ending in a colon leads into a list up to this long


def _introduces_details(line: str) -> bool:
    """Whether a line heads a list of things to show: a shots or details heading, or any heading that ends in a
    colon or a question ("Why chefs switch:") unless it frames tone, audience or aims."""
    if _DETAIL_HEADING.match(line) and len(line.split()) <= 8:
        return True
    lead_in = _lead_in(line)
    return bool(_ANY_HEADING.match(line)) and not _FRAMING_HEADING.match(lead_in) \
        and len(lead_in.split()) <= LEAD_IN_WORDS


def _lead_in(line: str) -> str:
    """The sentence of a line that ends in its colon: "Shots for the boot. What sells them:" leads in with the
    second sentence only."""
    return _LAST_SENTENCE.split(line)[-1]


_LAST_SENTENCE = re.compile(r"(?<=[a-z0-9][.!?])\s+(?=[A-Z])")  # where a line's earlier sentences end


# Where a storyboard row's timecode ends ("0:12-0:15", "12-15s"), minutes and seconds.
_ROW_END = re.compile(rf"^\W*(?:{BEAT_LABEL}\W+)?{TIME}\s*[-–—]\s*(?:(\d{{1,2}}):)?(\d{{1,2}})(?:\.\d)?\s*s?\b",
                      re.IGNORECASE | re.MULTILINE)


def storyboard_row_ends(text: str) -> list[int]:
    """Where each line that opens with a timecode ends, in seconds: the rows of a storyboard."""
    return [60 * int(m.group(1) or 0) + int(m.group(2)) for m in _ROW_END.finditer(text)]


def fold_headed_lists(text: str) -> str:
    """Turn a heading that introduces shots or details, and the list lines under it, into one list sentence
    ("Details: the speckled glaze; the thumb rest; the foot ring."), the shape the detail reader knows.
    A run of storyboard rows ("0:03-0:06 the knurled dial turning") is such a list without a heading, and so is
    a run of bullets under a title or prose.

    Under a heading that frames tone, audience or aims, list lines stay as they are.
    """
    lines, out, k, last = text.split("\n"), [], 0, ""  # last: the last line written that is not blank
    while k < len(lines):
        if not lines[k].strip():  # a blank (or blanked) line heads nothing and is no item
            out.append(lines[k])
            k += 1
            continue
        headed = _introduces_details(lines[k])
        first = k + 1 if headed else k
        if headed and first < len(lines) and not lines[first].strip():
            first += 1  # a blank line between the lead-in and its bullets
        items, j = _list_items(lines, first, beats_only=not headed)
        if headed and _loose_lead_in(lines[k]) and not all(map(_fragment, items)):
            items = []  # sentences under a lead-in or a notes heading are read as the sentences they are
        if not headed and len(items) < 2 and not _under_heading(last):
            bullets, after = _list_items(lines, k, beats_only=False)
            if len(bullets) >= UNHEADED_BULLETS and not any(map(_row_of_its_own, bullets)):
                items, j = bullets, after
        if len(items) >= (1 if headed else 2):  # one storyboard row on its own is no list
            if headed and len(lines[k].split()) > HEADING_WORDS:
                out += [lines[k], ""]  # a lead-in sentence ("Here is what our buyers keep noticing:") stays, its own
            out.append(FOLDED_LIST + "; ".join(_ITEM_SENTENCE_END.sub(", ", item) for item in items) + ".")
            k = j
        else:
            out.append(lines[k])
            k += 1
        last = out[-1] if out[-1].strip() else last
    return "\n".join(out)


FOLDED_LIST = "Listed details: "  # two words: a one-word label reads as a speaker
# A sentence end inside one item ("the edges. Every piece is sanded by hand") would end the whole list sentence:
# within the item it becomes a comma, so the rest of the list is still read as items.
_ITEM_SENTENCE_END = re.compile(r"(?<=\w)[.!?]\s+(?=[A-Z])")
UNHEADED_BULLETS = 3  # bullets with no heading read as a list of things to show from three on
HEADING_WORDS = 8  # a longer line before a list is a lead-in sentence, not a bare heading


FRAGMENT_WORDS = 12


def _fragment(item: str) -> bool:
    """Whether a list item names a thing rather than saying a sentence: short, and one sentence at most."""
    return len(item.split()) <= FRAGMENT_WORDS and not re.search(r"[.!?]\s+\S", item)


_NOTES_HEADING = re.compile(r"^[\s>#*]*(?:[\w'-]+\s+){0,2}?notes?\b", re.IGNORECASE)


def _loose_lead_in(line: str) -> bool:
    """A lead-in that may head sentences rather than things: a notes heading or a long sentence ending in a colon.
    Only the sentence that ends in the colon leads in ("Shots for the boot. What sells them:" is short)."""
    lead_in = _lead_in(line)
    return bool(_NOTES_HEADING.match(lead_in)) or len(lead_in.split()) > 14 and not _NAMES_SHOWN_THINGS.search(lead_in)


def _row_of_its_own(item: str) -> bool:
    """A bullet that names its own scale ("Wide: the pier", "ECU - the clasp"): a row of a shot list, read as
    the shot line it is, not as one thing among the bullets."""
    return bool(_SCALED_ROW.match(item))


def _under_heading(last: str) -> bool:
    """Whether the last line written is a heading or a list line: the bullets that follow were read, or refused,
    as that heading's list, or carry on a list already read line by line."""
    return bool(_ANY_HEADING.match(last) or _HEADING.match(last) or _LIST_LINE.match(last))


def _list_items(lines: list[str], j: int, beats_only: bool) -> tuple[list[str], int]:
    """The items of the list lines from line j on, and the index of the first line after them."""
    items: list[str] = []
    while j < len(lines):
        match = _BEAT_LINE.match(lines[j]) or (None if beats_only else _LIST_LINE.match(lines[j]))
        if match and beats_only and _SCALED_ROW.match(match.group("item")):
            break  # a row that names its own scale ("ECU: ...", "Wide: ...") is read as the shot line it is
        if match:
            items.append(match.group("item").strip())
        elif items and _CONTINUED.match(lines[j]):  # an indented line carries the item above on
            items[-1] += " " + lines[j].strip()
        else:
            break
        j += 1
    return [item.rstrip(".;,") for item in items], j
