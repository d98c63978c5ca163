"""Campaign rhythm: wide frames establish, medium frames explain, ECUs punctuate.

The sequence keeps the viewer oriented: an ECU is placed after a frame that
shows what it belongs to, never two in a row unless the brief insists. Ad and
short-video openers may lead with one ECU as the interruption, followed at once
by the frame that explains it.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from agent.models import Detail, Scale
from tools.brief import BriefAnalysis

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
