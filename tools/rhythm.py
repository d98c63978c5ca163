"""Campaign rhythm: wide frames establish, medium frames explain, ECUs punctuate.

The sequence keeps the viewer oriented: an ECU is placed after a frame that
shows what it belongs to, never two in a row unless the brief insists. Ad and
short-video openers may lead with one ECU as the interruption, followed at once
by the frame that explains it.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from agent.models import MAX_ECUS, Detail, Scale
from tools.brief import BriefAnalysis
from tools.flags import ECU_SHARE_LIMIT
from tools.storyboard import Row, read_rows

HOOK_CHANNELS = frozenset({"social_ad_opener", "short_video"})


class ShotDraft(BaseModel):
    id: str
    scale: Scale
    purpose: str
    placement: str
    detail: Detail | None = None
    note: str = ""


class PlanRhythmArgs(BaseModel):
    analysis: BriefAnalysis
    details: list[Detail] = Field(description="The chosen ECU details, most important first.")


class ShotSequence(BaseModel):
    shots: list[ShotDraft]

    def summary(self) -> str:
        return " > ".join(f"{s.id}:{s.scale}" for s in self.shots)


def plan_rhythm(args: PlanRhythmArgs) -> ShotSequence:
    """Order wide, medium and ECU shots into a campaign rhythm and place each in the primary channel."""
    analysis, details = args.analysis, list(args.details)
    rows = read_rows(analysis.text) if analysis.summary.channels[0] in HOOK_CHANNELS else ()
    if rows and any(row.orienting for row in rows) and not analysis.ecu_everywhere:
        return ShotSequence(shots=storyboard_shots(rows, details))
    if analysis.forbids_orienting and details:  # with no detail to shoot, a refused wide is all a plan can have
        slots = [("extreme_close_up", "punctuate", d) for d in details]
    elif analysis.ecu_everywhere:
        slots = [("wide", "establish", None)] + [("extreme_close_up", "punctuate", d) for d in details]
    else:
        slots = _alternate(details, lead_with_hook=analysis.summary.channels[0] in HOOK_CHANNELS)
    if analysis.frames:
        slots = fit(slots, analysis.frames)
    where = placements(analysis.summary.channels[0], [scale for scale, _, _ in slots], analysis.video_seconds)
    shots = [ShotDraft(id=f"s{index}", scale=scale, purpose=purpose, placement=at, detail=detail)
             for index, ((scale, purpose, detail), at) in enumerate(zip(slots, where), start=1)]
    return ShotSequence(shots=shots)


def storyboard_shots(rows: tuple[Row, ...], details: list[Detail]) -> list[ShotDraft]:
    """The brief's own storyboard, row for row: its orienting rows as wide or medium frames, each detail row as
    the ECU of the detail read from it (or a medium frame when none was chosen there), at the row's time. Chosen
    details that no row shows are cut in after the first orienting frame, each as an ECU."""
    unplaced = list(details)
    planned: list[tuple[str, str, Detail | None, str]] = []
    for k, row in enumerate(rows, start=1):
        at = f"storyboard row {k}" + (f" ({row.start:g}-{row.end:g}s)" if row.start is not None and row.end else "")
        shown = next((d for d in unplaced if row.action and d.evidence.startswith(row.action[:40])), None)
        if shown is not None:
            unplaced.remove(shown)
            planned.append(("extreme_close_up", "punctuate", shown, at))
        elif row.orienting:
            last = k == len(rows)
            scale = "medium" if row.scale == "medium" else "wide"
            planned.append((scale, "resolve" if last and k > 1 else "establish" if scale == "wide" else "explain",
                            None, at))
        else:  # a close-up row keeps its scale (a face at the right size as it is); any other row explains
            planned.append(("close_up" if row.scale == "close_up" else "medium", "explain", None, at))
    first_orienting = next((i for i, (scale, *_rest) in enumerate(planned) if scale != "extreme_close_up"), 0)
    for n, detail in enumerate(unplaced, start=1):
        planned.insert(first_orienting + n, ("extreme_close_up", "punctuate", detail,
                                             f"inserted after storyboard row {first_orienting + 1}"))
    planned = _punctuated(planned, details)
    return [ShotDraft(id=f"s{i}", scale=scale, purpose=purpose, placement=at, detail=detail)
            for i, (scale, purpose, detail, at) in enumerate(planned, start=1)]


def _punctuated(planned: list[tuple[str, str, Detail | None, str]], details: list[Detail]) \
        -> list[tuple[str, str, Detail | None, str]]:
    """A storyboard with more ECUs than punctuation allows, made the better version: a medium frame between two
    ECUs in a row, and past the campaign's ECU count the least important detail row shot at medium."""
    planned = list(planned)
    rank = {d.name: k for k, d in enumerate(details)}
    while True:
        ecus = [k for k, (scale, *_rest) in enumerate(planned) if scale == "extreme_close_up"]
        if not ecus or (len(ecus) / len(planned) <= ECU_SHARE_LIMIT and len(ecus) <= MAX_ECUS):
            return planned
        pair = next((k for k in ecus if k + 1 in ecus), None)
        if pair is not None and len(ecus) <= MAX_ECUS:
            planned.insert(pair + 1, ("medium", "explain", None, f"inserted after {planned[pair][3]}"))
            continue
        weakest = max(ecus, key=lambda k: rank.get(planned[k][2].name, len(rank)))
        planned[weakest] = ("medium", "explain", None, planned[weakest][3])


def _alternate(details: list[Detail], lead_with_hook: bool) -> list[tuple[str, str, Detail | None]]:
    slots: list[tuple[str, str, Detail | None]] = []
    queue = list(details)
    hook = next((d for d in queue if d.category == "story_hook"), None)
    if lead_with_hook and hook is not None:
        queue.remove(hook)
        slots.append(("extreme_close_up", "hook", hook))
    slots.append(("wide", "establish", None))
    for n, detail in enumerate(queue):
        if n >= 1:
            slots.append(("medium", "explain", None))
        slots.append(("extreme_close_up", "punctuate", detail))
    if len(queue) <= 1 or len(details) >= 4:
        slots.append(("medium", "explain", None) if len(queue) <= 1 else ("wide", "resolve", None))
    return slots


def fit(slots: list[tuple[str, str, Detail | None]], frames: int) -> list[tuple[str, str, Detail | None]]:
    """The sequence with exactly the frames the brief asks for: orienting frames dropped from the end
    (never an ECU, never the establishing frame) or medium frames added to explain."""
    slots = list(slots)
    while len(slots) > frames:
        spare = next((k for k in range(len(slots) - 1, 0, -1) if slots[k][0] != "extreme_close_up"), None)
        if spare is None:
            break  # only ECUs left to drop: the detail count was already fitted to the frames
        del slots[spare]
    while len(slots) < frames:
        slots.append(("medium", "explain", None))
    return slots


# Where a shot sits in each channel: (name of the first frame, name of frame n).
_PLACEMENTS = {
    "instagram_carousel": ("carousel slide 1", "carousel slide {n}"),
    "landing_page_hero": ("landing page hero", "landing page section {m}"),
    "social_ad_opener": ("ad opener (first second)", "ad beat {n}"),
    "product_grid": ("grid hero tile", "grid tile {n}"),
    "print": ("print spread main image", "print inset {m}"),
    "out_of_home": ("out-of-home main visual", "out-of-home supporting panel {m}"),
}


# A video beat holds an ECU briefly and an orienting frame longer; with an asked length, beats scale to it.
ECU_BEAT_S = 1.5
ORIENTING_BEAT_S = 2.5


def placements(channel: str, scales: list[str], length_s: float | None = None) -> list[str]:
    """Where each shot of a sequence sits in the channel, in words a producer uses. Video beats are
    consecutive and, when the brief asks for a length, add up to it."""
    if channel != "short_video":
        return [placement(channel, index, scale, len(scales)) for index, scale in enumerate(scales, start=1)]
    beats = [ECU_BEAT_S if scale == "extreme_close_up" else ORIENTING_BEAT_S for scale in scales]
    factor = (length_s / sum(beats)) if length_s and beats else 1.0
    out, elapsed = [], 0.0
    for index, beat in enumerate(beats, start=1):
        start, elapsed = elapsed, elapsed + beat * factor
        out.append(f"video beat {index} ({round(start, 1):g}-{round(elapsed, 1):g}s)")
    return out


def placement(channel: str, index: int, scale: str, total: int) -> str:
    """Where one shot sits in a channel that is not a video (video beats need the whole sequence: placements)."""
    if channel == "short_video":
        return placements(channel, [scale])[0].replace("beat 1", f"beat {index}")
    first, later = _PLACEMENTS.get(channel, ("frame 1 of {total}", "frame {n} of {total}"))
    return (first if index == 1 else later).format(n=index, m=index - 1, total=total)
