"""The compact plan summary a model reads instead of the plan's JSON.

One line per shot (id, scale, purpose, placement, and for a detail its name,
job, why and the brief's evidence), then flags, dismissed flags, open
questions and the whole-plan settings. Prompt text is left out: code renders
it from the fields, and `show_shot` gives one shot's fields when a model
wants to change one.
"""

from __future__ import annotations

import re

from agent.models import ShotPlan

# The brief travels to the model between <brief> markers; brief text anywhere else in a message (a detail's
# evidence, a product name) must not be able to close or open that block.
_MARKER = re.compile(r"<(\s*/?\s*brief\b)", re.IGNORECASE)


def unmarked(text: str) -> str:
    """Brief text with its <brief> / </brief> lookalikes defused, so it reads as data wherever it is quoted."""
    return _MARKER.sub(r"&lt;\1", text)


SCALE_LABELS = {"wide": "wide", "medium": "medium", "close_up": "close-up", "extreme_close_up": "ECU"}


def summarize(plan: ShotPlan, max_details: int | None = None) -> str:
    """The plan in a few hundred tokens, the same shape after every edit."""
    brief = plan.brief
    head = [f"product: {brief.product}", f"vertical: {brief.vertical or '?'}",
            f"channels: {', '.join(brief.channels) or '?'}", f"aspect: {brief.aspect_ratio}"]
    if brief.goals:
        head.append(f"goals: {', '.join(brief.goals)}")
    if max_details:
        head.append(f"max ECUs: {max_details}")
    lines = [" | ".join(head), f"shots ({len(plan.shots)}, {len(plan.ecu_shots())} ECUs):"]
    lines += [_shot_line(plan, shot) for shot in plan.shots]
    if plan.flags:
        lines.append("flags:")
        lines += [f"- {f.kind} {f.severity}" + (f" on {','.join(f.shots)}" if f.shots else "") + f": {f.message}"
                  + (f" Fix: {f.fix}" if f.fix and f.severity == "error" else "") for f in plan.flags]
    else:
        lines.append("flags: none")
    if plan.dismissed_flags:
        lines.append("dismissed: " + "; ".join(f"{d.kind} ({d.reason})" for d in plan.dismissed_flags))
    if plan.questions:
        lines.append("questions:")
        lines += [f"- {q}" for q in plan.questions]
    return unmarked("\n".join(lines))


def _shot_line(plan: ShotPlan, shot) -> str:
    parts = [f"{shot.id} {SCALE_LABELS.get(shot.scale, shot.scale)} {shot.purpose} @ {shot.placement}"]
    if shot.detail is not None:
        d = shot.detail
        parts.append(f'detail "{d.name}" [{d.category}]: {d.why}' + (f' (brief: "{d.evidence}")' if d.evidence else ""))
    if shot.aspect_ratio and shot.aspect_ratio != plan.brief.aspect_ratio:
        parts.append(f"aspect {shot.aspect_ratio}")
    if shot.deliverable:
        parts.append(f"for {shot.deliverable}")
    if shot.source != "generate":
        parts.append(f"source {shot.source}" + (f" ({shot.source_reason})" if shot.source_reason else ""))
    if shot.note:
        parts.append(f"note: {shot.note}")
    return "  " + " | ".join(parts)
