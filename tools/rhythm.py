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
    if analysis.forbids_orienting:
        slots = [("extreme_close_up", "punctuate", d) for d in details]
    elif analysis.ecu_everywhere:
        slots = [("wide", "establish", None)] + [("extreme_close_up", "punctuate", d) for d in details]
    else:
        slots = _alternate(details, lead_with_hook=analysis.summary.channels[0] in HOOK_CHANNELS)
    channel = analysis.summary.channels[0]
    shots = []
    for index, (scale, purpose, detail) in enumerate(slots, start=1):
        shots.append(ShotDraft(id=f"s{index}", scale=scale, purpose=purpose,
                               placement=placement(channel, index, scale, len(slots)), detail=detail))
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


def placement(channel: str, index: int, scale: str, total: int) -> str:
    """Where a shot sits in the channel, in words a producer uses."""
    if channel == "instagram_carousel":
        return f"carousel slide {index}"
    if channel == "landing_page_hero":
        return "landing page hero" if index == 1 else f"landing page section {index - 1}"
    if channel == "social_ad_opener":
        return "ad opener (first second)" if index == 1 else f"ad beat {index}"
    if channel == "short_video":
        start = sum(1.5 if i % 2 else 2.5 for i in range(index - 1))
        length = 1.5 if scale == "extreme_close_up" else 2.5
        return f"video beat {index} ({start:g}-{start + length:g}s)"
    if channel == "product_grid":
        return "grid hero tile" if index == 1 else f"grid tile {index}"
    if channel == "print":
        return "print spread main image" if index == 1 else f"print inset {index - 1}"
    if channel == "out_of_home":
        return "out-of-home main visual" if index == 1 else f"out-of-home supporting panel {index - 1}"
    return f"frame {index} of {total}"
