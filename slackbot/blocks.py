"""A shot plan as Slack Block Kit: pure functions, no Slack imports, no I/O.

Slack's limits shape everything here: at most 50 blocks per message, at most
3000 characters in a section's text, 150 in a header. The plan message carries
the shots (each with its deliverable, aspect ratio and, when it is not generated, its source and
why), the questions for the marketer, dismissed flags and flags; the prompts are long, so they go in follow-up messages
(`prompt_messages`), split across as many sections and messages as they need.
User-supplied text (product names, details from the brief) is escaped, so a
`<` in a brief cannot turn into a mention or a link.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from agent.models import Flag, Shot, ShotPlan, humanize

MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_HEADER_CHARS = 150
MAX_FALLBACK_CHARS = 3000  # the `text` of a message: Slack takes far more, notifications show far less
# A little below the limit, leaving room for the code fences around a prompt piece.
_PROMPT_PIECE_CHARS = 2800

Block = dict[str, Any]
Message = dict[str, Any]  # {"text": fallback, "blocks": [...]}, ready for chat.postMessage / chat.update

SCALE_LABELS = {
    "wide": "Wide",
    "medium": "Medium",
    "close_up": "Close-up",
    "extreme_close_up": "Extreme close-up (ECU)",
}
SEVERITY_ICONS = {"info": ":information_source:", "warning": ":warning:", "error": ":x:"}
SOURCE_LINES = {"photograph": ":camera_with_flash: *Photograph, not generated*",
                "screen_capture": ":desktop_computer: *Screen capture, not generated*"}


# -- text helpers --------------------------------------------------------------------------------
def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as control characters."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """Cut text to at most `limit` characters, ending in an ellipsis, never inside an `&...;` escape."""
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - 1)]
    cut = re.sub(r"&[a-z]{0,4}$", "", cut)
    return cut + "…"


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, MAX_SECTION_CHARS)}}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(text, MAX_SECTION_CHARS)}]}


def _header(text: str) -> Block:
    """A header: plain_text, so Slack shows it literally (no escaping, no mentions)."""
    return {"type": "header", "text": {"type": "plain_text", "text": truncate(text, MAX_HEADER_CHARS), "emoji": True}}


_DIVIDER: Block = {"type": "divider"}


def pack_sections(texts: list[str], budget: int) -> list[Block]:
    """Sections for `texts` using at most `budget` blocks.

    One section per text while they fit; otherwise neighbours are merged into
    sections of up to 3000 characters; if even that does not fit, the tail is
    replaced by a note saying how many entries were left out.
    """
    if budget <= 0 or not texts:
        return []
    texts = [truncate(text, MAX_SECTION_CHARS) for text in texts]
    if len(texts) <= budget:
        return [_section(text) for text in texts]
    merged: list[list[str]] = []
    for text in texts:
        if merged and len("\n\n".join(merged[-1] + [text])) <= MAX_SECTION_CHARS:
            merged[-1].append(text)
        else:
            merged.append([text])
    if len(merged) <= budget:
        return [_section("\n\n".join(group)) for group in merged]
    kept = merged[: budget - 1]
    left_out = len(texts) - sum(len(group) for group in kept)
    return [_section("\n\n".join(group)) for group in kept] + [_context(f"…and {left_out} more not shown here.")]


# -- the plan message ----------------------------------------------------------------------------
def fallback_text(plan: ShotPlan) -> str:
    """The plain `text` of the plan message (notifications, screen readers)."""
    return truncate(f"ECU shot plan for {escape(plan.brief.product)}: {plan.summary()}", MAX_FALLBACK_CHARS)


def shot_text(shot: Shot, ratio: str = "") -> str:
    """One shot; `ratio` is the plan's, shown when the shot has none of its own."""
    scale = SCALE_LABELS.get(shot.scale, shot.scale)
    made_for = " ".join(escape(x) for x in (shot.deliverable, shot.aspect_ratio or ratio) if x)
    lines = [f"*{escape(shot.id)} · {scale}* · {escape(shot.purpose)} · _{escape(shot.placement)}_"
             + (f" · {made_for}" if made_for else "")]
    if shot.detail is not None:
        lines.append(f":mag: *{escape(shot.detail.name)}* — `{shot.detail.category}`")
        if shot.detail.why:
            lines.append(f"_{escape(shot.detail.why)}_")
    if shot.note:
        lines.append(f":memo: {escape(shot.note)}")
    if shot.source in SOURCE_LINES:
        lines.append(SOURCE_LINES[shot.source] + (f": {escape(shot.source_reason)}" if shot.source_reason else ""))
    lines.append(f":camera: {escape(shot.camera.lens)}, {escape(shot.camera.aperture)}, {escape(shot.camera.lighting)}")
    return "\n".join(lines)


def flag_text(flag: Flag) -> str:
    icon = SEVERITY_ICONS.get(flag.severity, ":warning:")
    shots = f" (shots {', '.join(escape(s) for s in flag.shots)})" if flag.shots else ""
    lines = [f"{icon} *{flag.kind}* · {flag.severity}{shots}: {escape(flag.message)}"]
    if flag.fix:
        lines.append(f"*Fix:* {escape(flag.fix)}")
    return "\n".join(lines)


def _overview(plan: ShotPlan) -> str:
    brief = plan.brief
    parts = [f"*Aspect ratio:* {escape(plan.aspect_summary())}"]
    if brief.channels:
        parts.append("*Channels:* " + ", ".join(escape(humanize(c)) for c in brief.channels))
    if brief.vertical:
        parts.append(f"*Vertical:* {escape(humanize(brief.vertical))}")
    parts.append(escape(plan.summary()))
    return " · ".join(parts)


def plan_blocks(plan: ShotPlan, note: str | None = None, prompts_follow: bool = True) -> list[Block]:
    """The plan as at most 50 blocks: header, overview, shots, flags with fixes."""
    head: list[Block] = [_header(f"ECU shot plan: {plan.brief.product}")]
    if note:
        head.append(_context(escape(note)))
    head.append(_context(_overview(plan)))
    if plan.brief.assumptions:
        head.append(_context("*Assumed:* " + "; ".join(escape(a) for a in plan.brief.assumptions)))
    head.append(_DIVIDER)

    tail: list[Block] = [_DIVIDER]
    if plan.questions:
        tail.append(_section("*Questions for you*\n" + "\n".join(f"• {escape(q)}" for q in plan.questions)))
    if plan.dismissed_flags:
        tail.append(_context("*Dismissed:* " + "; ".join(f"{d.kind} ({escape(d.reason)})"
                                                          for d in plan.dismissed_flags)))
    if plan.flags:
        tail.append(_section(f"*Flags ({len(plan.flags)})*"))
    else:
        tail.append(_context(":white_check_mark: No misuse flags raised."))
    if prompts_follow:
        footer = [_context("Prompts follow in this thread. Reply here to revise, "
                           "e.g. “make it vertical for stories”, “drop shot 3”.")]
    else:
        footer = []

    budget = MAX_BLOCKS - len(head) - len(tail) - len(footer)
    shot_texts = [shot_text(shot, plan.brief.aspect_ratio) for shot in plan.shots]
    flag_texts = [flag_text(flag) for flag in plan.flags]
    # Flags carry the fixes: give them up to a third of the room, the shots the rest.
    flag_budget = min(len(flag_texts), max(1, budget // 3)) if flag_texts else 0
    shot_blocks = pack_sections(shot_texts, budget - flag_budget)
    flag_blocks = pack_sections(flag_texts, budget - len(shot_blocks))
    return head + shot_blocks + tail + flag_blocks + footer


def plan_message(plan: ShotPlan, note: str | None = None) -> Message:
    return {"text": fallback_text(plan), "blocks": plan_blocks(plan, note=note)}


# -- prompts, in follow-up messages --------------------------------------------------------------
def _split_words(text: str, limit: int) -> list[str]:
    """Split text at spaces into pieces of at most `limit` characters (hard-cut any longer word)."""
    pieces: list[str] = []
    current = ""
    for word in text.split(" "):
        while len(word) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(word[:limit])
            word = word[limit:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) > limit:
            pieces.append(current)
            current = word
        else:
            current = candidate
    if current or not pieces:
        pieces.append(current)
    return pieces


def _code_sections(title: str, body: str) -> list[str]:
    """`title` then `body` in a code block, split over as many section texts as it needs."""
    body = escape(body) or " "
    first_limit = _PROMPT_PIECE_CHARS - len(title) - 1
    if len(body) <= first_limit:
        return [f"{title}\n```{body}```"]
    pieces = _split_words(body, _PROMPT_PIECE_CHARS - len(title) - 20)
    total = len(pieces)
    return [f"{title} ({i}/{total})\n```{piece}```" for i, piece in enumerate(pieces, 1)]


def prompt_texts(plan: ShotPlan) -> list[str]:
    texts: list[str] = []
    for shot in plan.shots:
        label = SCALE_LABELS.get(shot.scale, shot.scale)
        what = f" — {escape(shot.detail.name)}" if shot.detail is not None else ""
        texts.extend(_code_sections(f"*{escape(shot.id)} · {label}*{what}", shot.prompt.text))
        if shot.prompt.negative:
            texts.extend(_code_sections(f"_{escape(shot.id)} negative prompt_", shot.prompt.negative))
    return texts


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def prompt_messages(plan: ShotPlan) -> list[Message]:
    """The image prompts as one or more messages, each within Slack's block and text limits."""
    texts = prompt_texts(plan)
    if not texts:
        return []
    per_message = MAX_BLOCKS - 1  # one block for the heading
    groups = list(_chunks(texts, per_message))
    messages = []
    for number, group in enumerate(groups, 1):
        part = f" ({number}/{len(groups)})" if len(groups) > 1 else ""
        heading = _context(f"*Image prompts{part}* for {escape(plan.brief.product)}: the formula is "
                           "subject detail, shot scale, material, lighting, focus, background, intent.")
        fallback = truncate(f"Image prompts{part} for {escape(plan.brief.product)}", MAX_FALLBACK_CHARS)
        messages.append({"text": fallback, "blocks": [heading] + [_section(text) for text in group]})
    return messages


# -- small status messages -----------------------------------------------------------------------
def status_message(text: str) -> Message:
    return {"text": truncate(escape(text), MAX_FALLBACK_CHARS), "blocks": [_section(escape(text))]}


USAGE = ("Send me a marketing brief and I'll plan the extreme close-ups: mention me with the brief, "
         "DM me, or use `/ecu <brief>`. Reply in the plan's thread to revise it, e.g. “make it 9:16”, "
         "“drop shot 3”, “more about durability”.")
