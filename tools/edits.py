"""Follow-up edits to a plan, understood deterministically.

"drop shot 3", "make it vertical 9:16 for stories", "more about durability",
"swap the stitching for the buckle", "add an ECU of the zip pull",
"tighten shot 2", "only 2 ECUs". Settings that shape the whole plan (aspect
ratio, channel, emphasis, ECU count) persist across edits; shot-level edits
apply to the current plan and everything derived from it (ids, placements,
prompts, matrix, flags) is rebuilt so the plan stays consistent.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from agent.models import Detail, ShotPlan
from tools.brief import _ASPECT, AnalyzeBriefArgs, BriefAnalysis, _aspect_ratio, _channels, analyze_brief
from tools.deliverables import ratio_request
from tools.details import DetailPicks, PickDetailsArgs, brief_candidates, pick_details
from tools.lexicon import DETAIL_TERMS, GOALS
from tools.questions import Answers, read_answers
from tools.rhythm import PlanRhythmArgs, ShotDraft, ShotSequence, placement, plan_rhythm
from tools.text import count_value, singular

_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9, "tenth": 10}
_SHOT_REF = re.compile(r"\b(?:shot|frame|slide|s)\s*#?\s*(\d+)\b|\b(first|second|third|fourth|fifth|sixth|seventh|"
                       r"eighth|ninth|tenth|last)\s+(?:shot|frame|slide|ecu|one)\b", re.IGNORECASE)
_DROP = re.compile(r"\b(?:drop|remove|delete|cut|lose|kill|get rid of)\b", re.IGNORECASE)
_ADD = re.compile(r"\badd\b(?:\s+(?:an?|another|one more))?\s+(?P<scale>wide|medium|mid|establishing|ecu|extreme close[- ]?up|"
                  r"macro|detail)(?:\s+shot)?(?:\s+(?:of|on)\s+(?:the\s+)?(?P<what>[^.,;]+))?", re.IGNORECASE)
_SWAP = re.compile(r"\b(?:swap|replace|change)\s+(?P<old>[^.;]+?)\s+(?:for|with|to)\s+(?:the\s+|an?\s+)?(?P<new>[^.,;]+)",
                   re.IGNORECASE)
_EMPHASIS = re.compile(r"\b(?:more about|focus (?:more )?on|emphasi[sz]e|lean into|push|highlight|play up)\s+"
                       r"(?:the\s+)?(?P<goal>[\w -]{3,40})", re.IGNORECASE)
_COUNT = re.compile(r"\b(?:only|just|max(?:imum)?|at most|use|keep)\s+(?P<n>\d+|one|two|three|four|five|six)\s+"
                    r"(?:ecus?|extreme close[- ]?ups|details?|detail shots|macros?)\b", re.IGNORECASE)
_FEWER = re.compile(r"\bfewer\s+(?:ecus|extreme close[- ]?ups|details|detail shots|macros)\b", re.IGNORECASE)
_MORE = re.compile(r"\bmore\s+(?:ecus|extreme close[- ]?ups|details|detail shots|macros)\b", re.IGNORECASE)
_TIGHTEN = re.compile(r"\b(?:tighten|tighter|closer|crop in|punch in)\b", re.IGNORECASE)
_LOOSEN = re.compile(r"\b(?:loosen|looser|pull back|wider crop|back off)\b", re.IGNORECASE)
TIGHT_NOTE = "tighter crop, the detail filling the frame"
LOOSE_NOTE = "slightly looser crop so the product stays recognisable"


class EditSettings(BaseModel):
    """Whole-plan choices a conversation has made so far."""

    aspect_ratio: str | None = None
    channels: list[str] = Field(default_factory=list)
    emphasis: list[str] = Field(default_factory=list)
    max_details: int | None = None
    ratios: dict[str, str] = Field(default_factory=dict, description="deliverable -> ratio ('make the stories 9:16')")
    answers: Answers = Field(default_factory=Answers, description="answered questions and dismissed flags")


class EditPlanArgs(BaseModel):
    brief: str
    plan: ShotPlan
    request: str = Field(description="The follow-up in the user's words.")
    settings: EditSettings = Field(default_factory=EditSettings)


class EditResult(BaseModel):
    plan: ShotPlan
    settings: EditSettings
    applied: list[str] = Field(default_factory=list, description="What was changed, in words.")

    @property
    def understood(self) -> bool:
        return bool(self.applied)

    def summary(self) -> str:
        return "; ".join(self.applied) or "request not understood"


def analysis_with(brief: str, settings: EditSettings) -> BriefAnalysis:
    """The brief's analysis with the conversation's whole-plan settings applied."""
    analysis = analyze_brief(AnalyzeBriefArgs(brief=brief))
    summary = analysis.summary
    if settings.channels:
        summary.channels = settings.channels + [c for c in summary.channels if c not in settings.channels]
    if settings.aspect_ratio:
        summary.aspect_ratio = settings.aspect_ratio
    for goal in reversed(settings.emphasis):
        summary.goals = [goal] + [g for g in summary.goals if g != goal]
    return analysis


def edit_plan(args: EditPlanArgs) -> EditResult:
    """Apply a follow-up request (drop/add/swap a shot, aspect ratio, channel, emphasis, crop, ECU count)."""
    request, settings = args.request, args.settings.model_copy(deep=True)
    owners = {shot.id: shot.deliverable for shot in args.plan.shots}
    if applied := _review_answers(request, args, settings):  # answers, dismissals, one deliverable's ratio
        drafts = _drafts(args.plan)
        return EditResult(plan=rebuild(analysis_with(args.brief, settings), drafts, settings,
                                       keep=[owners[d.id] for d in drafts]), settings=settings, applied=applied)
    applied = []
    replan = _whole_plan_settings(request, settings, applied)
    analysis = analysis_with(args.brief, settings)
    drafts = _replanned(analysis, settings) if replan else _drafts(args.plan)
    drafts = _shot_edits(request, drafts, analysis, applied)
    keep = [] if replan or settings.channels else [owners.get(d.id, "") for d in drafts]  # added: no owner yet
    plan = rebuild(analysis, drafts, settings, keep=keep)
    return EditResult(plan=plan, settings=settings, applied=applied)


def _review_answers(request: str, args: EditPlanArgs, settings: EditSettings) -> list[str]:
    """A follow-up that answers the plan's questions, dismisses a flag or sets one deliverable's ratio."""
    applied = read_answers(request, args.brief, args.plan, settings.answers)
    if not applied and (target := ratio_request(request, args.plan)):
        settings.ratios[target[0]] = target[1]
        applied.append(f"{target[0]} shots set to {target[1]}")
    return applied


def _whole_plan_settings(request: str, settings: EditSettings, applied: list[str]) -> bool:
    """Update settings from the request; True when the details must be picked again."""
    replan = False
    channels = _channels(_ASPECT.sub(" ", request))  # "make it 9:16" sets the ratio, not the channel
    aspect = _aspect_ratio(request, channels) if (channels or re.search(
        r"\d+\s*:\s*\d+|vertical|portrait|square|landscape|widescreen", request, re.IGNORECASE)) else None
    if aspect and aspect != settings.aspect_ratio:
        settings.aspect_ratio = aspect
        settings.ratios.clear()  # a whole-plan ratio replaces the per-deliverable ones
        applied.append(f"aspect ratio set to {aspect}")
    if channels and channels[:1] != settings.channels[:1]:
        settings.channels = channels + [c for c in settings.channels if c not in channels]
        applied.append(f"primary channel set to {channels[0]}")
    if match := _EMPHASIS.search(request):
        goal = _canonical_goal(match.group("goal"))
        settings.emphasis = [goal] + [g for g in settings.emphasis if g != goal]
        applied.append(f"emphasis on {goal}")
        replan = True
    if match := _COUNT.search(request):
        settings.max_details = count_value(match.group("n"))
        applied.append(f"ECU count set to {settings.max_details}")
        replan = True
    elif _FEWER.search(request) or _MORE.search(request):
        current = settings.max_details or 3
        settings.max_details = max(1, current - 1) if _FEWER.search(request) else min(6, current + 1)
        applied.append(f"ECU count set to {settings.max_details}")
        replan = True
    return replan


def _canonical_goal(phrase: str) -> str:
    words = phrase.lower().strip().split()
    phrase = " ".join(w for w in words if w not in {"it", "the", "our", "please", "a", "bit", "little"})
    for stem, goal in GOALS.items():
        if phrase.startswith(stem) or stem in phrase.split():
            return goal
    return phrase


def _drafts(plan: ShotPlan) -> list[ShotDraft]:
    return [ShotDraft(id=s.id, scale=s.scale, purpose=s.purpose, placement=s.placement, detail=s.detail, note=s.note)
            for s in plan.shots]


def _replanned(analysis: BriefAnalysis, settings: EditSettings) -> list[ShotDraft]:
    picks = pick_details(PickDetailsArgs(analysis=analysis, emphasis=settings.emphasis,
                                         max_details=settings.max_details))
    return plan_rhythm(PlanRhythmArgs(analysis=analysis, details=picks.chosen)).shots


def _shot_edits(request: str, drafts: list[ShotDraft], analysis: BriefAnalysis, applied: list[str]) -> list[ShotDraft]:
    targets = _referenced(request, drafts)
    if _DROP.search(request) and targets:
        drafts = [d for d in drafts if d.id not in targets]
        applied.append(f"dropped {', '.join(targets)}")
        return drafts
    if match := _ADD.search(request):
        drafts = drafts + [_new_shot(match, analysis, len(drafts) + 1)]
        added = drafts[-1]
        applied.append(f"added an ECU of {added.detail.name}" if added.detail else f"added a {added.scale} shot")
    elif match := _SWAP.search(request):
        old = targets or _referenced(match.group("old"), drafts)
        ecus = [d for d in drafts if d.id in old and d.detail is not None]
        if ecus:
            ecus[0].detail = _detail_from(match.group("new"), analysis)
            applied.append(f"{ecus[0].id} now shows {ecus[0].detail.name}")
    for note, pattern in ((TIGHT_NOTE, _TIGHTEN), (LOOSE_NOTE, _LOOSEN)):
        if pattern.search(request):
            chosen = [d for d in drafts if d.detail is not None and (not targets or d.id in targets)]
            for draft in chosen:
                draft.note = note
            if chosen:
                applied.append(f"{'tightened' if note == TIGHT_NOTE else 'loosened'} {', '.join(d.id for d in chosen)}")
    return drafts


def _referenced(text: str, drafts: list[ShotDraft]) -> list[str]:
    ids = []
    for match in _SHOT_REF.finditer(text):
        if match.group(1):
            n = int(match.group(1))
        else:
            word = match.group(2).lower()
            ecus = [d for d in drafts if d.detail is not None]
            pool = ecus if "ecu" in match.group(0).lower() else drafts
            n = len(drafts) if word == "last" and pool is drafts else (
                drafts.index(pool[-1 if word == "last" else min(_ORDINALS[word], len(pool)) - 1]) + 1 if pool else 0)
        if 1 <= n <= len(drafts):
            ids.append(drafts[n - 1].id)
    if not ids:  # "the stitching": match a detail by its words
        words = {singular(w) for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3}
        ids = [d.id for d in drafts if d.detail and words & {singular(w) for w in d.detail.name.lower().split()}]
    return ids


def _new_shot(match: re.Match, analysis: BriefAnalysis, index: int) -> ShotDraft:
    scale = match.group("scale").lower()
    what = (match.group("what") or "").strip()
    if scale in {"wide", "establishing"}:
        return ShotDraft(id=f"s{index}", scale="wide", purpose="establish", placement="")
    if scale in {"medium", "mid"}:
        return ShotDraft(id=f"s{index}", scale="medium", purpose="explain", placement="")
    detail = _detail_from(what, analysis) if what else _next_unused_detail(analysis)
    return ShotDraft(id=f"s{index}", scale="extreme_close_up", purpose="punctuate", placement="", detail=detail)


def _detail_from(phrase: str, analysis: BriefAnalysis) -> Detail:
    """A detail for words the user typed, categorised like the brief's own details."""
    phrase = " ".join(phrase.split()[:8]).strip()
    known = [c for c in brief_candidates(analysis) if phrase.lower() in c.name.lower() or c.name.lower() in phrase.lower()]
    if known:
        c = known[0]
        return Detail(name=c.name, category=c.category, why=c.why)
    term = next((DETAIL_TERMS[singular(w)] for w in phrase.lower().split() if singular(w) in DETAIL_TERMS), None)
    category = term.category if term else "craftsmanship"
    goal = analysis.summary.goals[0] if analysis.summary.goals else "the product's quality"
    return Detail(name=phrase, category=category, why=f"asked for in review; supports {goal}")


def _next_unused_detail(analysis: BriefAnalysis) -> Detail:
    picks = pick_details(PickDetailsArgs(analysis=analysis, max_details=8))
    c = picks.chosen[-1]
    return Detail(name=c.name, category=c.category, why=c.why)


def rebuild(analysis: BriefAnalysis, drafts: list[ShotDraft], settings: EditSettings | None = None,
            keep: list[str] | None = None) -> ShotPlan:
    """Renumber, re-place, re-prompt and re-check a list of shots, with review's ratios and answers;
    `keep` is each shot's deliverable from before the edit."""
    settings = settings or EditSettings()
    channel = analysis.summary.channels[0]
    renumbered = []
    for index, draft in enumerate(drafts, start=1):
        renumbered.append(draft.model_copy(update={
            "id": f"s{index}", "placement": placement(channel, index, draft.scale, len(drafts))}))
    from tools.pipeline import run_steps  # the same prompts, matrix and checks a fresh plan gets

    kept = [d.detail for d in renumbered if d.detail is not None]
    return run_steps({"brief": analysis.text, "analysis": analysis,
                      "picks": DetailPicks(candidates=[], chosen=kept),
                      "sequence": ShotSequence(shots=renumbered), "ratios": settings.ratios,
                      "plan_ratio": settings.aspect_ratio, "answers": settings.answers, "keep": keep or [],
                      "only": settings.channels[:1]},
                     start="build_prompts")
