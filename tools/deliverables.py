"""Deliverables per channel: which channel each shot is for, and the aspect ratio it is made at.

A campaign with a 4:5 Instagram carousel and 9:16 stories is one plan. The rhythm's sequence is split
into one run of consecutive shots per deliverable, the primary channel first (it keeps the opening
frame); each later run opens on an orienting frame where the sequence allows, so every deliverable
keeps its own establish-then-punctuate rhythm and no shot is added or lost. A ratio the brief writes
next to a channel belongs to that channel; a ratio written with no channel beside it is the whole
plan's; otherwise each channel's usual ratio applies. Placements, the prompt's channel and frame
wording, and the matrix's fixed ratio follow each shot's deliverable and ratio. A plan with a single deliverable
keeps the planner's own placements and prompts.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from agent.models import Shot, ShotPlan
from tools.brief import _ASPECT, _ASPECTS, BriefAnalysis, _aspect_ratio
from tools.lexicon import CHANNEL_ASPECT, CHANNELS
from tools.prompting import CHANNEL_WORDS, render
from tools.rhythm import HOOK_CHANNELS, placements
from tools.text import sentences

STORY = "instagram_story"
# Deliverables that are finer than the brief reader's channels: "stories" are short_video, but a story
# frame is not a video beat.
_FINER = {"short_video": (re.compile(r"\bstor(?:y|ies)\b", re.IGNORECASE), STORY)}
_WORDS = {**CHANNEL_WORDS, STORY: "Instagram stories"}
_CHANNEL_OF = {STORY: "short_video"}


class AssignDeliverablesArgs(BaseModel):
    analysis: BriefAnalysis
    plan: ShotPlan
    ratios: dict[str, str] = Field(default_factory=dict, description="deliverable -> ratio set in review")
    plan_ratio: str | None = Field(None, description="one ratio for every other shot, set in review ('make it 9:16')")
    keep: list[str] = Field(default_factory=list, description="each shot's deliverable from before an edit; "
                                                              "empty for a shot the edit added")
    only: list[str] = Field(default_factory=list, description="the channel review made the whole plan for")


def deliverable_for(channel: str, text: str) -> str:
    """The deliverable a channel stands for in this text ("stories" make short_video an Instagram story)."""
    finer = _FINER.get(channel)
    return finer[1] if finer and finer[0].search(text) else channel


def channel_of(deliverable: str) -> str:
    return _CHANNEL_OF.get(deliverable, deliverable)


def deliverables(analysis: BriefAnalysis) -> list[str]:
    """The brief's deliverables, primary first, each once."""
    return list(dict.fromkeys(deliverable_for(c, analysis.text) for c in analysis.summary.channels))


def _cue_pattern(deliverable: str) -> re.Pattern:
    cues = [c for c in CHANNELS.get(channel_of(deliverable), ()) if not _ASPECT.fullmatch(c)]
    if deliverable == STORY:
        cues.append("stories")
    return re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cues) + r")", re.IGNORECASE) if cues else None


def stated_ratios(text: str, names: list[str]) -> tuple[dict[str, str], str | None]:
    """Ratios the brief writes: those beside a deliverable's cue (nearest cue in the same sentence), and
    one written with no deliverable in its sentence, which is the whole plan's."""
    bound: dict[str, str] = {}
    loose: str | None = None
    patterns = {name: p for name in names if (p := _cue_pattern(name)) is not None}
    for sentence in sentences(text):
        cues = [(m.start(), m.end(), name) for name, p in patterns.items() for m in p.finditer(sentence)]
        for match in _ASPECT.finditer(sentence):
            ratio = f"{match.group(1)}:{match.group(2)}"
            if ratio not in _ASPECTS:
                continue
            if not cues:
                loose = loose or ratio
                continue
            distance = lambda cue: min(abs(match.start() - cue[1]), abs(cue[0] - match.end()))  # noqa: E731, B023 - used at once
            bound.setdefault(min(cues, key=distance)[2], ratio)
    return bound, loose


def ratio_for(deliverable: str, bound: dict[str, str], loose: str | None) -> str:
    return bound.get(deliverable) or loose or CHANNEL_ASPECT.get(channel_of(deliverable), "4:5")


def split_runs(shots: list[Shot], names: list[str]) -> list[list[Shot]]:
    """Consecutive runs of shots, one per deliverable (fewer when there are fewer shots than deliverables).

    Each later run starts near its proportional share, on the first orienting frame from there (a hook
    channel may open on an ECU), always leaving a shot for every run still to come.
    """
    n, k = len(shots), min(len(names), len(shots))
    starts = [0]
    for j in range(1, k):
        target = max(starts[-1] + 1, round(n * j / k))
        last = n - (k - j)  # later runs need a shot each
        opens = (i for i in range(target, last + 1)
                 if shots[i].scale != "extreme_close_up" or channel_of(names[j]) in HOOK_CHANNELS)
        starts.append(next(opens, min(target, last)))
    ends = starts[1:] + [n]
    return [shots[a:b] for a, b in zip(starts, ends)]


def _kept_runs(shots: list[Shot], names: list[str], keep: list[str]) -> list[list[Shot]] | None:
    """After a shot-level edit each shot stays with its deliverable; an added shot joins the one before it."""
    if len(keep) != len(shots) or not any(keep) or not set(filter(None, keep)) <= set(names):
        return None
    owners, current = [], next(filter(None, keep))
    for owner in keep:
        current = owner or current
        owners.append(current)
    return [[s for s, o in zip(shots, owners) if o == name] for name in names]


def orientation(ratio: str) -> str:
    match = _ASPECT.fullmatch(ratio.strip())
    if not match:
        return "frame"
    w, h = int(match.group(1)), int(match.group(2))
    return "vertical" if w < h else "horizontal" if w > h else "square"


def _retarget_prompt(shot: Shot, primary_channel: str, deliverable: str, ratio: str) -> None:
    """The intent names this shot's own deliverable and frame, and the text is rendered again from it."""
    fields = shot.prompt.fields
    frame = f"composed for a {ratio} {orientation(ratio)} frame"
    if frame in fields.intent:
        return
    own = f"for {_WORDS.get(deliverable, deliverable.replace('_', ' '))}"
    primary = f"for {CHANNEL_WORDS.get(primary_channel, 'the campaign')}"
    intent = fields.intent.replace(primary, own, 1) if primary in fields.intent else f"{fields.intent}, {own}"
    was_rendered = shot.prompt.text == render(fields)
    shot.prompt.fields = fields.model_copy(update={"intent": f"{intent}, {frame}"})
    if was_rendered:
        shot.prompt.text = render(shot.prompt.fields)


def assign_deliverables(args: AssignDeliverablesArgs) -> ShotPlan:
    """Give every shot its deliverable (the channel it is for) and aspect ratio; placements, prompts and
    the matrix follow each shot's ratio."""
    plan = args.plan.editable()
    names = deliverables(args.analysis)
    names = [n for n in names if channel_of(n) in args.only] or names
    if not names or not plan.shots:
        return plan
    bound, loose = stated_ratios(args.analysis.text, names)
    if len(names) == 1:
        bound.setdefault(names[0], plan.brief.aspect_ratio)  # the planner's own reading of a one-channel brief
    ratios = {name: args.ratios.get(name) or args.plan_ratio or ratio_for(name, bound, loose) for name in names}
    runs = _kept_runs(plan.shots, names, args.keep) or split_runs(plan.shots, names)
    runs += [[] for _ in names[len(runs):]]  # more deliverables than shots
    for name, run in zip(names, runs):
        where = placements(channel_of(name), [shot.scale for shot in run], args.analysis.video_seconds)
        for shot, at in zip(run, where):
            shot.deliverable, shot.aspect_ratio = name, ratios[name]
            if len(names) > 1:
                shot.placement = at
                _retarget_prompt(shot, plan.brief.channels[0], name, ratios[name])
    plan.brief.aspect_ratio = ratios[names[0]]
    for name in (n for n, run in zip(names, runs) if not run):
        plan.questions.append(f"The plan has no frame left for {_WORDS.get(name, name)}: add frames for it, "
                              "or is it dropped from this campaign?")
    _matrix_follows(plan)
    return plan


def _matrix_follows(plan: ShotPlan) -> None:
    """The matrix's fixed ratio is the one in use, or each ratio in use with its deliverable."""
    if plan.matrix is None:
        return
    plan.matrix.fixed.aspect_ratio = plan.aspect_summary()


_NAMES_A_RATIO = re.compile(r"\d+\s*[:x×]\s*\d+|\b(?:vertical|portrait|square|landscape|widescreen)\b", re.IGNORECASE)


def ratio_request(request: str, plan: ShotPlan) -> tuple[str, str] | None:
    """("instagram_story", "9:16") for "make the stories 9:16" when the plan has stories among other
    deliverables: a ratio for one deliverable only. None when the request is not one."""
    names = list(dict.fromkeys(s.deliverable for s in plan.shots if s.deliverable))
    if len(names) < 2:
        return None
    numbers = [f"{m.group(1)}:{m.group(2)}" for m in _ASPECT.finditer(request)]
    if not _NAMES_A_RATIO.search(request) or (numbers and not set(numbers) & _ASPECTS):
        return None  # no ratio, or one the planner does not know ("3:7")
    ratio = _aspect_ratio(request, [])  # the brief reader's own words for ratios ("vertical" is 9:16)
    named = [n for n in names if (p := _cue_pattern(n)) is not None and p.search(request)]
    return (named[0], ratio) if len(named) == 1 else None
