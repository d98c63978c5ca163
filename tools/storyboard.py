"""Storyboard rows: the timed, numbered or tabled lines a film brief is planned in.

A row says when it plays ("0:03-0:05", "Beat 2 (2s)"), at what scale ("WIDE", "INSERT", "ECU:") and what it
shows, and often why ("| silent wheels are our USP |", "- this is what sells it"). Reading the row as a row,
rather than as prose, keeps the scale words and the timing out of the detail names, and lets the row's own
note say what the detail is for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

MIN_ROWS = 3  # fewer timed lines are a schedule or a claim, not a storyboard

# Scale words as storyboards write them, upper or lower case, to the plan's scales. A close-up row in a film is
# a detail insert: it is read as an ECU candidate, its scale kept for the record.
_SCALES = {
    "wide": "wide", "ws": "wide", "ls": "wide", "els": "wide", "establishing": "wide", "est": "wide",
    "medium": "medium", "med": "medium", "mid": "medium", "ms": "medium", "mcu": "medium", "two-shot": "medium",
    "cu": "close_up", "close-up": "close_up", "closeup": "close_up", "close up": "close_up",
    "ecu": "extreme_close_up", "xcu": "extreme_close_up", "bcu": "extreme_close_up", "macro": "extreme_close_up",
    "detail": "extreme_close_up", "insert": "extreme_close_up", "extreme close-up": "extreme_close_up",
    "extreme close up": "extreme_close_up",
    "pack": "packshot", "packshot": "packshot", "pack shot": "packshot", "end card": "packshot",
    "endcard": "packshot", "end": "packshot", "logo": "packshot", "title": "packshot", "super": "packshot",
    "screen": "", "ui": "", "screen rec": "",  # an app's screen row shows what it names, at no scale of its own
}
ORIENTING_SCALES = frozenset({"wide", "medium", "packshot"})
_SCALE = "|".join(sorted((re.escape(word).replace(r"\ ", r"[\s-]?") for word in _SCALES), key=len, reverse=True))
_LEADING_SCALE = re.compile(rf"^\W*(?P<scale>{_SCALE})\b(?:\s+shot)?\s*[:.,)|–—-]?\s*", re.IGNORECASE)

# A time in a storyboard ("0:03", "4s", "2.5 sec"): the one pattern the list folder reads rows with too.
TIME = r"\d{1,2}(?::\d{2})?(?:\.\d+)?(?:\s*(?:s|sec|secs)\b)?"  # not the S of "04-07  SCREEN"
_RANGE_TEXT = rf"\(?{TIME}\s*(?:[-–—]|to)\s*{TIME}\)?"
_RANGE = re.compile(rf"(?P<start>{TIME})\s*(?:[-–—]|to)\s*(?P<end>{TIME})", re.IGNORECASE)
BEAT_LABEL = r"(?:shot|beat|frame|scene|panel|sc|card)\s*\d{1,2}\b"  # "Beat 2", "SC3", "Card 4"
_BEAT_NUMBER = re.compile(rf"^\s*[-*•]?\s*{BEAT_LABEL}", re.IGNORECASE)
_SECONDS = r"\s*(?:s|sec|secs|seconds?)"
# A running time ("4s", "2.5 sec"), the one pattern every reader of timings shares (a decade, "1920s", is none).
RUNNING_TIME = rf"\b\d{{1,2}}(?:\.\d)?{_SECONDS}\b"
_DURATION_TEXT = rf"\(?\d{{1,2}}(?:\.\d)?{_SECONDS}\)?"
_DURATION = re.compile(rf"(?P<length>\d{{1,2}}(?:\.\d)?){_SECONDS}\b", re.IGNORECASE)
# A range may carry its length as well ("0:00-0:04 (4s)"): both are timing, neither is what the row shows.
_TIMING_TEXT = rf"{_RANGE_TEXT}(?:\s*{_DURATION_TEXT})?"
# Where a row's timing ends and what it shows begins: a beat label with an optional time, a time range, a
# number with a duration ("3. (2s)") or with a scale word and then one ("3. ECU 2s - the rim"). An untimed numbered
# list ("4) Wide: the shop") is left to the list reader: its items often name two details, a row gives one.
_TIMED_LINE = re.compile(
    rf"^\s*[-*•]?\s*(?P<when>{BEAT_LABEL}\s*[:.)–—-]?\s*(?:{_TIMING_TEXT}|{_DURATION_TEXT})?|{_TIMING_TEXT}"
    rf"|\d{{1,2}}[.)]\s+{_DURATION_TEXT}|\d{{1,2}}[.)]\s+(?=(?:{_SCALE})\b\s*[:.,)|–—-]?\s*{_DURATION_TEXT}))"
    rf"\s*[:.)|–—-]?\s*(?P<rest>\S.*)$", re.IGNORECASE)
_LEADING_DURATION = re.compile(rf"^\(?{_DURATION.pattern}\)?\s*[:.)|–—-]?\s*", re.IGNORECASE)  # "ECU 2s - ..."
_HEADER_WORDS = frozenset({"time", "timecode", "tc", "shot", "scale", "size", "framing", "action", "visual", "visuals",
                           "picture", "description", "notes", "note", "why", "purpose", "audio", "vo", "sound", "sfx",
                           "text", "super", "duration", "beat", "scene", "#", "no", "camera", "frame", "copy"})
_NOTE_SPLIT = re.compile(r"\s+[-–—]\s+|\s*\(\s*(?=[^)]*\)\s*$)")


@dataclass(frozen=True)
class Row:
    """One storyboard row: its scale ("" when it names none), what it shows, what it says it is for, its time."""

    scale: str
    action: str
    note: str = ""
    start: float | None = None
    end: float | None = None

    @property
    def orienting(self) -> bool:
        return self.scale in ORIENTING_SCALES


def _seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = re.sub(r"[^\d:.]", "", value)
    minutes, _, seconds = value.rpartition(":")
    try:
        return 60 * int(minutes or 0) + float(seconds)
    except ValueError:
        return None


def _scale_of(cell: str) -> tuple[str, str]:
    """The row's scale word and the rest of the cell after it ("INSERT: the handle" -> extreme_close_up)."""
    match = _LEADING_SCALE.match(cell)
    if not match:
        return "", cell.strip()
    word = re.sub(r"[\s-]+", " ", match.group("scale").lower()).replace("close up", "close-up")
    return _SCALES.get(word, _SCALES.get(word.replace(" ", ""), "")), cell[match.end():].strip()


def _table_row(line: str) -> list[str] | None:
    """The cells of a markdown table row, or None: separator and header rows carry no shot."""
    if line.count("|") < 2:
        return None
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    if all(re.fullmatch(r":?-{2,}:?|", cell) for cell in cells):
        return None
    if all(cell.lower().strip("*# ") in _HEADER_WORDS or not cell for cell in cells):
        return None
    return cells


def _from_cells(cells: list[str]) -> Row | None:
    start = end = None
    scale, parts = "", []
    for cell in cells:
        if not cell:
            continue
        timed = re.fullmatch(rf"\s*\(?{_RANGE.pattern}\)?\s*", cell, re.IGNORECASE)
        if timed and start is None:
            start, end = _seconds(timed.group("start")), _seconds(timed.group("end"))
            continue
        if re.fullmatch(rf"\s*\d{{1,2}}[.)]?\s*|\s*{_DURATION_TEXT}\s*", cell, re.IGNORECASE):
            continue  # a row number or a bare duration
        cell_scale, rest = _scale_of(cell)
        if cell_scale and not scale:
            scale = cell_scale
            if not rest:
                continue
            cell = rest
        parts.append(cell)
    if not parts and not scale:
        return None
    action, note = _action_and_note(parts[0]) if parts else ("", "")
    return Row(scale, action, " ".join([note, *parts[1:]]).strip(), start, end)


def _action_and_note(cell: str) -> tuple[str, str]:
    """What a row shows, and what it adds after a dash, a closing bracket or its first sentence."""
    first, _, rest = cell.partition(". ")
    action, note = (_NOTE_SPLIT.split(first, 1) + [""])[:2]
    return action.strip(" .;,"), " ".join((note.strip(" .;)"), rest)).strip()


def _from_line(line: str) -> Row | None:
    match = _TIMED_LINE.match(line)
    if not match:
        return None
    when, rest = _BEAT_NUMBER.sub("", match.group("when"), count=1), match.group("rest")  # "Beat 2 - 0:05": no range
    timed, length = _RANGE.search(when), _DURATION.search(when)
    start, end = (_seconds(timed.group("start")), _seconds(timed.group("end"))) if timed else (None, None)
    if timed is None and length:
        end = _seconds(length.group("length"))
    if "|" in rest:
        row = _from_cells(rest.split("|"))
        return row and Row(row.scale, row.action, row.note, start, end)
    scale, rest = _scale_of(rest)
    if (length := _LEADING_DURATION.match(rest)) and end is None:  # the row's length said after its scale
        end, rest = _seconds(length.group("length")), rest[length.end():]
    action, note = _action_and_note(rest)
    return Row(scale, action.strip(" .;"), note.strip(" .;)"), start, end)


def _row_of(line: str) -> Row | None:
    """The row a line holds (a table row with a shot, or a timed or numbered beat), or None."""
    cells = _table_row(line)
    return _from_cells(cells) if cells is not None else _from_line(line)


@lru_cache(maxsize=64)
def _line_rows(text: str) -> tuple[Row | None, ...]:
    """Each line's row, read once per text for both the rows and the blanking."""
    return tuple(map(_row_of, text.split("\n")))


def read_rows(text: str) -> tuple[Row, ...]:
    """The storyboard's rows, in order, or () when the brief is no storyboard (fewer than three rows)."""
    found = tuple(row for row in _line_rows(text) if row is not None)
    return found if len(found) >= MIN_ROWS else ()


def without_rows(text: str, keep: frozenset[str] = frozenset()) -> str:
    """The brief with its storyboard's lines blanked (same length, so offsets hold): the rows are read as rows,
    and their scale words, props and settings are no prose for the other readers. Rows whose action is in `keep`
    (ones the row reader could not make a detail of) stay, for the prose reader to try."""
    if not read_rows(text):
        return text

    def blank(line: str, row: Row | None) -> bool:
        if row is not None:
            return not (row.action and row.action in keep)
        return _table_row(line) is None and line.count("|") >= 2  # a table's header or separator row
    return "\n".join(" " * len(line) if blank(line, row) else line
                     for line, row in zip(text.split("\n"), _line_rows(text)))
