"""Reading and checking a brief before any planning happens."""

from __future__ import annotations

import codecs
import re
import sys
import unicodedata
from pathlib import Path

from agent.errors import InputError

MAX_BRIEF_BYTES = 100_000
MIN_WORDS = 3
_ENGLISH = frozenset(
    "the a an and or of to in on for with our we is are this that it be as at by from you your want need "
    "should will can show shot shots product campaign brief".split()
)
# A terse English note (a storyboard, a shot list) has few of those words but is mostly words an English
# dictionary knows; a French or Spanish brief shares some words with English, far fewer than this share.
DICTIONARY_SHARE = 0.6
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SURROGATE = re.compile("[\ud800-\udfff]")


def read_brief(source: str) -> str:
    """The brief text from a file path, or from standard input when source is '-'."""
    if source == "-":
        raw = sys.stdin.buffer.read(MAX_BRIEF_BYTES + 1)
        origin = "standard input"
    else:
        path = Path(source)
        if not path.exists():
            raise InputError(f"brief file not found: {source}")
        if path.is_dir():
            raise InputError(f"brief path is a folder, not a file: {source}")
        try:
            with path.open("rb") as handle:
                raw = handle.read(MAX_BRIEF_BYTES + 1)
        except OSError as err:
            raise InputError(f"cannot read brief file {source}: {err.strerror or err}") from None
        origin = source
    return check_brief(decode_brief(raw, origin))


def decode_brief(raw: bytes, origin: str = "brief") -> str:
    if len(raw) > MAX_BRIEF_BYTES:
        raise InputError(f"{origin} is over {MAX_BRIEF_BYTES // 1000} kB; a brief is a page or two of text")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Windows' "Unicode" text: readable as it is
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{origin} is damaged UTF-16 text; please save it as UTF-8") from None
    if b"\x00" in raw:
        if _looks_like_utf16(raw):
            raise InputError(f"{origin} looks like UTF-16 text without a byte-order mark; please save it as UTF-8")
        raise InputError(f"{origin} looks like a binary file, not a text brief")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{origin} is not UTF-8 text") from None


def _looks_like_utf16(raw: bytes) -> bool:
    """Mostly ASCII text with a zero byte beside every character (UTF-16 without its byte-order mark)."""
    sample = raw[:2000]
    halves = (sample[0::2], sample[1::2])
    return len(sample) >= 8 and any(half.count(0) >= 0.9 * len(half) for half in halves)


def check_follow_up(text: str) -> str:
    """A follow-up message, cleaned; the same size limit as a brief (a follow-up is a line or two)."""
    text = without_surrogates(text).strip()
    if len(text.encode("utf-8")) > MAX_BRIEF_BYTES:
        raise InputError(f"the message is over {MAX_BRIEF_BYTES // 1000} kB; a follow-up is a line or two")
    return text


def without_surrogates(text: str) -> str:
    """Text with lone UTF-16 surrogates (broken emoji from some clients) replaced: they cannot be saved as UTF-8."""
    return _SURROGATE.sub("\ufffd", text)


def check_brief(text: str) -> str:
    """Return the brief stripped of invisible characters, or raise InputError saying what is wrong with it."""
    from tools.text import plain

    text = plain(without_surrogates(text)).strip()
    if not text:
        raise InputError("the brief is empty: describe the product, audience, channels and goals")
    if len(text.encode("utf-8")) > MAX_BRIEF_BYTES:
        raise InputError(f"the brief is over {MAX_BRIEF_BYTES // 1000} kB; a brief is a page or two of text")
    words = _WORD.findall(text.lower())
    if _mostly_non_latin(text):  # before counting words: Chinese or Japanese have no spaces between them
        raise InputError("the brief does not look like English; ecu-planner reads English briefs only")
    if len(words) < MIN_WORDS:
        raise InputError("the brief is too short to plan from: say what the product is and what it must show")
    if not _looks_english(words):
        raise InputError("the brief does not look like English; ecu-planner reads English briefs only")
    return text


def _looks_english(words: list[str]) -> bool:
    from tools.language import wordnet

    if sum(1 for w in words if w.isascii()) < 0.6 * len(words):
        return False
    if len(words) < 8 or sum(1 for w in words if w in _ENGLISH) >= 0.06 * len(words):
        return True
    # an accented word WordNet knows only without its accents ("extrêmes") is no sign of English
    known = sum(1 for w in words if w.isascii() and (wordnet.entry(w) or wordnet.entry(wordnet.lemma(w))))
    return known >= DICTIONARY_SHARE * len(words)


def _mostly_non_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    latin = sum(1 for c in letters if c.isascii() or unicodedata.name(c, "").startswith("LATIN"))
    return latin < 0.5 * len(letters)
