"""Follow-up edits to a plan, understood deterministically.

"drop shot 3", "make it vertical 9:16 for stories", "more about durability",
"swap the stitching for the buckle", "add an ECU of the zip pull",
"tighten shot 2", "only 2 ECUs". Settings that shape the whole plan (aspect
ratio, channel, emphasis, ECU count) persist across edits; shot-level edits
apply to the current plan and everything derived from it (ids, placements,
prompts, matrix, flags) is rebuilt so the plan stays consistent.

An emphasis change ("more about durability") keeps the plan's shots as the
earlier edits left them and moves its ECUs to the candidate details that best
prove the goal; details the user dropped stay out, details they asked for stay in.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from agent.models import Detail, ShotPlan, humanize
from tools.brief import _ASPECT, AnalyzeBriefArgs, BriefAnalysis, _aspect_ratio, _channels, analyze_brief
from tools.deliverables import ratio_request
from tools.details import Candidate, DetailPicks, PickDetailsArgs, brief_candidates, pick_details
from tools.lexicon import DETAIL_TERMS, GOALS
from tools.questions import Answers, read_answers
from tools.rhythm import PlanRhythmArgs, ShotDraft, ShotSequence, placements, plan_rhythm
from tools.text import count_value, sentences, singular

if TYPE_CHECKING:
    from tools.pipeline import ReviewChoices

_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9, "tenth": 10}
_SHOT_REF = re.compile(r"\b(?:shot|frame|slide|s)\s*#?\s*(\d+)\b|\b(first|second|third|fourth|fifth|sixth|seventh|"
                       r"eighth|ninth|tenth|last)\s+(?:shot|frame|slide|ecu|one)\b", re.IGNORECASE)
_DROP = re.compile(r"\b(?:drop|remove|delete|cut|lose|kill|get rid of)\b", re.IGNORECASE)
_ADD = re.compile(r"\badd\b(?:\s+(?:an?|another|one more))?\s+"
                  r"(?P<scale>wide|medium|mid|establishing|ecu|extreme close[- ]?up|macro|detail)(?:\s+shot)?"
                  r"(?:\s+(?:of|on)\s+(?:the\s+)?(?P<what>[^.,;]+))?", re.IGNORECASE)
_SWAP = re.compile(r"\b(?:swap|replace|change)\s+(?P<old>[^.;]+?)\s+(?:for|with|to)\s+"
                   r"(?:the\s+|an?\s+)?(?P<new>[^.,;]+)",
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
    dropped: list[str] = Field(default_factory=list, description="Details the user removed (lower case): never "
                                                                  "picked again.")
    pinned: list[str] = Field(default_factory=list, description="Details the user asked for (lower case): kept.")
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
    warnings: list[str] = Field(default_factory=list, description="Done as asked, but worth a second look.")

    @property
    def understood(self) -> bool:
        return bool(self.applied)

    def summary(self) -> str:
        return "; ".join(self.applied + [f"note: {w}" for w in self.warnings]) or "request not understood"


# The ratios a channel's format shows without cropping or bars; channels not listed take any ratio.
CHANNEL_RATIOS: dict[str, tuple[str, ...]] = {
    "instagram_carousel": ("4:5", "1:1"),
    "social_ad_opener": ("4:5", "1:1", "9:16"),
    "short_video": ("9:16",),
    "product_grid": ("1:1", "4:5"),
    "landing_page_hero": ("16:9", "21:9", "3:2"),
}


def ratio_warning(ratio: str, channel: str) -> str | None:
    """A one-line warning when `ratio` does not suit `channel`, else None."""
    suits = CHANNEL_RATIOS.get(channel)
    if not suits or ratio in suits:
        return None
    return (f"{ratio} does not suit {humanize(channel)}, which is made for {' or '.join(suits)}; "
            "kept as asked")


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
    if replan == "count":
        drafts = _replanned(analysis, settings, _drafts(args.plan))
    elif replan == "emphasis":  # the shots as earlier edits left them, the ECUs moved towards the goal
        drafts = _toward_goal(analysis, settings, _drafts(args.plan))
    else:
        drafts = _drafts(args.plan)
    drafts = _shot_edits(request, drafts, analysis, applied, settings)
    keep = [] if replan or settings.channels else [owners.get(d.id, "") for d in drafts]  # added: no owner yet
    plan = rebuild(analysis, drafts, settings, keep=keep)
    warnings = []
    format_changed = (settings.aspect_ratio, settings.channels[:1]) != (args.settings.aspect_ratio,
                                                                        args.settings.channels[:1])
    if format_changed and plan.brief.channels:
        warnings = [w for w in [ratio_warning(plan.brief.aspect_ratio, plan.brief.channels[0])] if w]
    return EditResult(plan=plan, settings=settings, applied=applied, warnings=warnings)


def _review_answers(request: str, args: EditPlanArgs, settings: EditSettings) -> list[str]:
    """A follow-up that answers the plan's questions, dismisses a flag or sets one deliverable's ratio."""
    applied = read_answers(request, args.brief, args.plan, settings.answers)
    if not applied and (target := ratio_request(request, args.plan)):
        settings.ratios[target[0]] = target[1]
        applied.append(f"{target[0]} shots set to {target[1]}")
    return applied


def _whole_plan_settings(request: str, settings: EditSettings, applied: list[str]) -> str | None:
    """Update settings from the request; "count" when the details must be picked again, "emphasis" when the
    plan's ECUs must be re-ranked for a goal, else None."""
    replan = None
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
        replan = "emphasis"
    if match := _COUNT.search(request):
        settings.max_details = count_value(match.group("n"))
        applied.append(f"ECU count set to {settings.max_details}")
        replan = "count"
    elif _FEWER.search(request) or _MORE.search(request):
        current = settings.max_details or 3
        settings.max_details = max(1, current - 1) if _FEWER.search(request) else min(6, current + 1)
        applied.append(f"ECU count set to {settings.max_details}")
        replan = "count"
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


def _replanned(analysis: BriefAnalysis, settings: EditSettings, current: list[ShotDraft]) -> list[ShotDraft]:
    """A new rhythm for a new ECU count: the details the user asked for first, then the best of the rest."""
    count = settings.max_details
    picks = pick_details(PickDetailsArgs(analysis=analysis, emphasis=settings.emphasis, max_details=count))
    pinned = [d.detail for d in current if d.detail is not None and d.detail.name.lower() in settings.pinned]
    taken = {d.name.lower() for d in pinned} | set(settings.dropped)
    rest = [d for d in picks.chosen if d.name.lower() not in taken]
    if len(pinned) + len(rest) < (count or 0):  # dropped ones left a gap: fill it from the other candidates
        more = pick_details(PickDetailsArgs(analysis=analysis, emphasis=settings.emphasis, max_details=12)).chosen
        rest += [d for d in more if d.name.lower() not in taken and d not in rest]
    chosen = (pinned + rest)[:count] if count else pinned + rest
    return plan_rhythm(PlanRhythmArgs(analysis=analysis, details=chosen or picks.chosen)).shots


# What a macro must show to prove a goal, beyond the goal's own words (lexicon GOALS): the parts that take the
# wear, keep the weather out or show the making. Stems, matched inside the detail's name.
GOAL_EVIDENCE: dict[str, tuple[str, ...]] = {
    "durability": ("stitch", "seam", "weld", "rivet", "bar tack", "sole", "lug", "tread", "rubber", "hardware",
                   "buckle", "zip", "hinge", "clasp", "reinforc", "thread", "abrasion", "scuff", "wear", "patina",
                   "steel", "brass", "titanium", "toe cap", "welt", "gusset", "ripstop", "cordura", "edge"),
    "weather protection": ("seam", "tape", "membrane", "bead", "droplet", "water", "coating", "zip", "flap",
                           "hood", "cuff", "seal", "gasket"),
    "craftsmanship": ("stitch", "seam", "hand", "edge", "burnish", "engrav", "inlay", "joint", "dovetail",
                      "weave", "knit", "embroider", "finish", "grain"),
    "precision": ("machin", "engrav", "bezel", "dial", "tick", "knurl", "gear", "thread", "edge", "scale"),
}
# How much each sign that a detail proves the goal weighs (the detail's own score breaks ties).
NAMES_EVIDENCE = 2.0  # the detail is itself the proof (a stitched welt for durability)
BRIEF_TIES_IT = 1.5  # the brief names the goal in the same sentence as the detail
PROOF_JOB = 0.5  # a proof detail shows a claim rather than a mood


def goal_relevance(candidate: Candidate, goal: str, brief: str) -> float:
    """How well a candidate detail proves a goal: what it is, what the brief says around it, and its job."""
    stems = (goal.lower(), *(stem for stem, named in GOALS.items() if named == goal))
    name = candidate.name.lower()
    score = NAMES_EVIDENCE * any(stem in name for stem in (*stems, *GOAL_EVIDENCE.get(goal, ())))
    around = [s.lower() for s in sentences(brief) if candidate.head in s.lower()]
    score += BRIEF_TIES_IT * any(stem in s for s in around for stem in stems)
    return score + PROOF_JOB * (candidate.category == "proof")


def _toward_goal(analysis: BriefAnalysis, settings: EditSettings, drafts: list[ShotDraft]) -> list[ShotDraft]:
    """The same shots with their ECU details re-chosen, best proof of the newest goal first; pinned ones stay."""
    goal = settings.emphasis[0]
    slots = [d for d in drafts if d.detail is not None and d.detail.name.lower() not in settings.pinned]
    kept = {d.detail.name.lower() for d in drafts if d.detail is not None and d not in slots}
    picks = pick_details(PickDetailsArgs(analysis=analysis, emphasis=settings.emphasis, max_details=12))
    pool = [c for c in picks.candidates if c.name.lower() not in settings.dropped and c.name.lower() not in kept]
    pool.sort(key=lambda c: (-goal_relevance(c, goal, analysis.text), -c.score))
    ranked = [Detail(name=c.name, category=c.category, why=c.why) for c in pool]
    named = {d.name.lower() for d in ranked}
    ranked += [d.detail for d in slots if d.detail.name.lower() not in named]  # too few candidates: keep these
    for slot, detail in zip(slots, ranked):
        slot.detail = detail
    return drafts


def _shot_edits(request: str, drafts: list[ShotDraft], analysis: BriefAnalysis, applied: list[str],
                settings: EditSettings) -> list[ShotDraft]:
    """Drop, add, swap, tighten or loosen shots; what the user removed or asked for is remembered in `settings`."""
    targets = _referenced(request, drafts)
    if _DROP.search(request) and targets:
        for draft in drafts:
            if draft.id in targets and draft.detail is not None:
                _remember(settings.dropped, draft.detail.name, settings.pinned)
        drafts = [d for d in drafts if d.id not in targets]
        applied.append(f"dropped {', '.join(targets)}")
        return drafts
    if match := _ADD.search(request):
        drafts = drafts + [_new_shot(match, analysis, len(drafts) + 1)]
        added = drafts[-1]
        if added.detail is not None:
            _remember(settings.pinned, added.detail.name, settings.dropped)
        applied.append(f"added an ECU of {added.detail.name}" if added.detail else f"added a {added.scale} shot")
    elif match := _SWAP.search(request):
        old = targets or _referenced(match.group("old"), drafts)
        ecus = [d for d in drafts if d.id in old and d.detail is not None]
        if ecus:
            _remember(settings.dropped, ecus[0].detail.name, settings.pinned)
            ecus[0].detail = _detail_from(match.group("new"), analysis)
            _remember(settings.pinned, ecus[0].detail.name, settings.dropped)
            applied.append(f"{ecus[0].id} now shows {ecus[0].detail.name}")
    for note, pattern in ((TIGHT_NOTE, _TIGHTEN), (LOOSE_NOTE, _LOOSEN)):
        if pattern.search(request):
            chosen = [d for d in drafts if d.detail is not None and (not targets or d.id in targets)]
            for draft in chosen:
                draft.note = note
            if chosen:
                applied.append(f"{'tightened' if note == TIGHT_NOTE else 'loosened'} {', '.join(d.id for d in chosen)}")
    return drafts


def _remember(names: list[str], name: str, opposite: list[str]) -> None:
    """Add a detail name to `names` (dropped or pinned) and take it off the other list."""
    key = name.lower()
    if key not in names:
        names.append(key)
    if key in opposite:
        opposite.remove(key)


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
    wanted = phrase.lower()
    known = [c for c in brief_candidates(analysis) if wanted in c.name.lower() or c.name.lower() in wanted]
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
    where = placements(analysis.summary.channels[0], [d.scale for d in drafts], analysis.video_seconds)
    renumbered = [draft.model_copy(update={"id": f"s{index}", "placement": at})
                  for index, (draft, at) in enumerate(zip(drafts, where), start=1)]
    from tools.pipeline import PlanningContext, run_steps  # the same prompts, matrix and checks a fresh plan gets

    kept = [d.detail for d in renumbered if d.detail is not None]
    return run_steps(PlanningContext(brief=analysis.text, analysis=analysis,
                                     picks=DetailPicks(candidates=[], chosen=kept),
                                     sequence=ShotSequence(shots=renumbered), review=review_context(settings, keep)),
                     start="build_prompts")


def review_context(settings: EditSettings, keep: list[str] | None = None) -> ReviewChoices:
    """What the review steps (deliverables, sources, questions) read from a conversation's settings;
    `keep` is each shot's deliverable from before an edit."""
    from tools.pipeline import ReviewChoices

    return ReviewChoices(ratios=settings.ratios, plan_ratio=settings.aspect_ratio, answers=settings.answers,
                         keep=keep or [], only=settings.channels[:1])
