"""What English words mean, from the WordNet 3.0 table the repo ships (see build_table.py).

The table is memory-mapped and binary-searched, so start-up pays nothing for its
150,000 rows and a lookup costs a few microseconds. The planner asks three things
of a noun: what kind of thing it names (a physical part, a substance, a body part,
a person, a place, a document, an event), which product domain it belongs to
(furniture, garment, vehicle, ...), and its base form (`seams` -> `seam`).
"""

from __future__ import annotations

import mmap
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

# Lexicographer files whose nouns a camera can frame up close.
PHYSICAL = frozenset({"artifact", "body", "food", "substance", "plant", "object", "shape", "animal"})
# Nouns that are never the thing sold: who, where, when, what is said or done about it.
NOT_A_THING = frozenset({"person", "location", "time", "communication", "event", "act", "group", "cognition",
                         "feeling", "motive", "state", "relation", "possession", "process", "phenomenon"})


class Entry(NamedTuple):
    parts: str  # parts of speech (n, v, a, r), then "=base" for an irregular form ("a=weave" for "woven")
    senses: tuple[str, ...]  # lexicographer file per noun sense, most frequent first
    domains: tuple[str, ...]  # product domain per noun sense, "-" for none
    verbs: tuple[str, ...] = ()  # lexicographer file per verb sense (creation, contact, change, ...)

    @property
    def pos(self) -> str:
        """The parts of speech alone, without an irregular form's base."""
        return self.parts.partition("=")[0]


@lru_cache(maxsize=1)
def _table() -> mmap.mmap:
    path = resources.files("tools.language") / "data" / "wordnet.tsv"
    with open(str(path), "rb") as handle:
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


def _row(word: str) -> bytes | None:
    """The table row whose first column is `word`, by binary search over byte offsets."""
    table, key = _table(), word.encode("utf-8") + b"\t"
    lo, hi = 0, len(table)
    while lo < hi:
        mid = (lo + hi) // 2
        start = table.rfind(b"\n", 0, mid) + 1
        end = table.find(b"\n", start)
        end = len(table) if end < 0 else end
        line = table[start:end]
        column = line[: line.find(b"\t") + 1]  # rows are sorted by their first column
        if column == key:
            return line
        if column < key:
            lo = end + 1
        else:
            hi = start
    return None


@lru_cache(maxsize=65536)
def entry(word: str) -> Entry | None:
    """The table's entry for a base form exactly as written (lower case, spaces as underscores); a word with
    accents WordNet spells without ("guilloché", "crème") is looked up without them."""
    key = word.lower().replace(" ", "_")
    row = _row(key)
    if row is None and not key.isascii():
        row = _row(_unaccented(key))
    if row is None:
        return None
    _, parts, senses, domains, verbs = row.decode("utf-8").split("\t")
    return Entry(parts, *(tuple(column.split(",")) if column != "-" else () for column in (senses, domains, verbs)))


def _unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


_NOUN_SUFFIXES = (("ies", "y"), ("ves", "f"), ("ves", "fe"), ("ses", "s"), ("xes", "x"), ("zes", "z"),
                  ("ches", "ch"), ("shes", "sh"), ("men", "man"), ("s", ""))
_VERB_SUFFIXES = (("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""),
                  ("s", ""))


@lru_cache(maxsize=65536)
def lemma(word: str, pos: str = "n") -> str:
    """The base form of `word` as a noun (pos "n") or verb ("v"), WordNet's morphy in short; else the word."""
    word = word.lower()
    found = entry(word)
    own, _, irregular = found.parts.partition("=") if found else ("", "", "")  # own == found.pos
    if pos in own:
        return word
    if irregular:
        return irregular
    for suffix, replacement in _NOUN_SUFFIXES if pos == "n" else _VERB_SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            base = word[: len(word) - len(suffix)] + replacement
            candidate = entry(base)
            if candidate and pos in candidate.pos:
                return base
            if pos == "v" and suffix in ("ed", "ing") and len(base) > 2 and base[-1] == base[-2]:
                undoubled = entry(base[:-1])  # "knurled" is regular; "stopped" doubles its consonant
                if undoubled and "v" in undoubled.pos:
                    return base[:-1]
    return word


def verb_form(word: str) -> bool:
    """Whether a word ending in -ing or -ed is an inflected verb ("pouring", "embossed"), not a word that only
    ends that way ("spring", "ring", "bed", "ceiling")."""
    word = word.lower()
    return word.endswith(("ing", "ed")) and lemma(word, "v") != word


# What a compound's first part names when the word is no thing: a mood board, a kick starter, a story line.
_NOT_A_MODIFIER = frozenset({"feeling", "act", "event", "person", "group", "time", "motive"})
COMPOUND_PART = 3  # letters each half of a closed compound has at least ("keycap", not "a|pron")


@lru_cache(maxsize=65536)
def compound_head(word: str) -> str | None:
    """The head of a closed compound WordNet does not list ("checkbox" -> "box", "footswitch" -> "switch"): the
    longest right part that is a physical noun after a left part that is a noun naming a thing or a quality.
    English compounds name a kind of their last part, so the head's meaning stands for the whole word."""
    word = word.lower()
    if not word.isalpha() or entry(lemma(word, "n")) is not None:
        return None
    for cut in range(COMPOUND_PART, len(word) - COMPOUND_PART + 1):
        left, right = word[:cut], word[cut:]
        if noun_senses(left)[:1] and noun_senses(left)[0] not in _NOT_A_MODIFIER and physical(right):
            return lemma(right, "n")
    return None


def head_noun(word: str) -> str:
    """The noun a compound is a kind of ("pull-tab" -> "tab", "footswitch" -> "switch"), else the word itself."""
    word = word.lower()
    if "-" in word and not entry(word):
        word = word.rsplit("-", 1)[-1]
    return compound_head(word) or word


def noun_senses(word: str) -> tuple[str, ...]:
    found = entry(lemma(word, "n"))
    return found.senses if found else ()


def is_noun(word: str) -> bool:
    return bool(noun_senses(word))


def is_verb(word: str) -> bool:
    found = entry(lemma(word, "v"))
    return bool(found and "v" in found.pos)


def verb_senses(word: str) -> tuple[str, ...]:
    """The lexicographer file of each sense of `word` as a verb (any inflection), most frequent first."""
    found = entry(lemma(word, "v"))
    return found.verbs if found else ()


def is_adverb(word: str) -> bool:
    found = entry(word.lower())
    return bool(found and "r" in found.pos)


def is_adjective(word: str) -> bool:
    found = entry(word.lower())
    return bool(found and "a" in found.pos)


def only_a_noun(word: str) -> bool:
    """A noun WordNet never reads as an adjective or adverb ("butterfly", "assembly"), whatever its ending."""
    return is_noun(word) and not (is_adjective(word) or is_adverb(word))


def never_a_noun(word: str) -> bool:
    """A word WordNet knows only as another part of speech ("together", "first-year"), even as a compound's head."""
    return not noun_senses(head_noun(word)) and entry(word) is not None


def physical(word: str, senses: int = 1) -> bool:
    """Whether one of the word's first `senses` noun senses names something a camera can frame."""
    return any(sense in PHYSICAL for sense in noun_senses(word)[:senses])


def domains(word: str) -> tuple[str, ...]:
    """The product domain of each noun sense that has one, most frequent first, without repeats."""
    found = entry(lemma(word, "n"))
    return tuple(dict.fromkeys(d for d in found.domains if d != "-")) if found else ()


def domain(word: str) -> str:
    """The product domain of the word's most frequent noun sense that has one ("sofa" -> furniture), or ""."""
    found = entry(lemma(word, "n"))
    if not found:
        return ""
    return next((d for d in found.domains if d != "-"), "")
