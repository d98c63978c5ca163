"""The planning steps in order, shared by the offline policy and the `draft_plan` tool.

Each step names a tool, says how to build its arguments from what earlier
steps produced, and which store of the `PlanningContext` keeps its result. The
offline policy walks these steps through the agent loop (so every call is
visible as an event); the `draft_plan` tool runs them directly so a model can
get a complete first plan in one call and spend its turns on judgment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field

from agent.models import PromptMatrix, ShotPlan
from tools.brief import AnalyzeBriefArgs, BriefAnalysis, analyze_brief
from tools.deliverables import AssignDeliverablesArgs, assign_deliverables
from tools.details import DetailPicks, PickDetailsArgs, pick_details
from tools.flags import CheckMisuseArgs, FlagReport, check_misuse
from tools.prompting import BuildMatrixArgs, BuildPromptsArgs, PromptedShots, build_matrix, build_prompts
from tools.questions import Answers, SettleQuestionsArgs, settle_questions
from tools.rhythm import PlanRhythmArgs, ShotSequence, plan_rhythm
from tools.sources import ChooseSourcesArgs, choose_sources

Store = Literal["analysis", "picks", "sequence", "prompted", "matrix", "report", "plan"]


@dataclass(frozen=True)
class ReviewChoices:
    """What review has decided in a conversation (tools.edits.review_context); a fresh plan has none."""

    ratios: dict[str, str] = field(default_factory=dict)
    """Deliverable -> aspect ratio set in review ("make the stories 9:16")."""
    plan_ratio: str | None = None
    """One ratio for every other shot, set in review ("make it 9:16")."""
    answers: Answers = field(default_factory=Answers)
    """Answered questions and dismissed flags."""
    keep: list[str] = field(default_factory=list)
    """Each shot's deliverable from before an edit; empty for a shot the edit added."""
    only: list[str] = field(default_factory=list)
    """The channel review made the whole plan for."""


@dataclass
class PlanningContext:
    """What the planning steps read and write: the brief and the choices going in, then one store per step
    (None until that step has run; steps after check_misuse each refine the whole `plan`)."""

    brief: str
    """The brief exactly as written."""
    emphasis: list[str] = field(default_factory=list)
    """Goals to favour when picking details."""
    max_details: int | None = None
    """Cap on ECU details; None lets the brief decide."""
    review: ReviewChoices = field(default_factory=ReviewChoices)
    """Review's choices (ratios, answers, kept deliverables), read by the steps after check_misuse."""
    analysis: BriefAnalysis | None = None
    """analyze_brief: product, audience, channels, goals and misuse signals read from the brief."""
    picks: DetailPicks | None = None
    """pick_details: the candidate ECU details, the chosen few, their kinds and the questions to ask."""
    sequence: ShotSequence | None = None
    """plan_rhythm: the shot drafts in campaign order, each with its scale and placement."""
    prompted: PromptedShots | None = None
    """build_prompts: the shots with their seven-field prompts, negatives and cameras."""
    matrix: PromptMatrix | None = None
    """build_matrix: the fixed and varied fields across the ECU details."""
    report: FlagReport | None = None
    """check_misuse: the misuse flags raised on the assembled plan."""
    plan: ShotPlan | None = None
    """assign_deliverables, choose_sources, settle_questions: the whole plan as the latest of them left it."""

    def required(self, store: Store) -> Any:
        """A store an earlier step must have filled; a clear error when it has not run."""
        value = getattr(self, store)
        if value is None:
            raise LookupError(f"planning context has no {store!r} yet: run the step that stores it first")
        return value

    def put(self, store: Store, value: BaseModel) -> None:
        setattr(self, store, value)

    def clear(self, steps: Iterable[Step]) -> None:
        """Forget what these steps stored: a step about to run again makes it stale for every earlier reader."""
        for step in steps:
            setattr(self, step.store, None)


@dataclass(frozen=True)
class Step:
    tool: str
    fn: Callable[[Any], BaseModel]
    args: Callable[[PlanningContext], BaseModel]
    store: Store


def assemble(ctx: PlanningContext) -> ShotPlan:
    """The plan from the results so far (flags included once check_misuse has run)."""
    if ctx.plan is not None:  # the steps after check_misuse each refine the whole plan
        return ctx.plan
    return ShotPlan(
        brief=ctx.required("analysis").summary,
        shots=ctx.required("prompted").shots,
        flags=ctx.report.flags if ctx.report else [],
        matrix=ctx.matrix,
        questions=ctx.picks.questions if ctx.picks else [],
    )


def _deliverables_args(c: PlanningContext) -> AssignDeliverablesArgs:
    return AssignDeliverablesArgs(analysis=c.required("analysis"), plan=assemble(c), ratios=c.review.ratios,
                                  plan_ratio=c.review.plan_ratio, keep=c.review.keep, only=c.review.only)


STEPS: tuple[Step, ...] = (
    Step("analyze_brief", analyze_brief, lambda c: AnalyzeBriefArgs(brief=c.brief), "analysis"),
    Step("pick_details", pick_details,
         lambda c: PickDetailsArgs(analysis=c.required("analysis"), emphasis=c.emphasis, max_details=c.max_details),
         "picks"),
    Step("plan_rhythm", plan_rhythm,
         lambda c: PlanRhythmArgs(analysis=c.required("analysis"), details=c.required("picks").chosen), "sequence"),
    Step("build_prompts", build_prompts,
         lambda c: BuildPromptsArgs(analysis=c.required("analysis"), shots=c.required("sequence").shots,
                                    kinds=c.required("picks").kinds), "prompted"),
    Step("build_matrix", build_matrix,
         lambda c: BuildMatrixArgs(analysis=c.required("analysis"), shots=c.required("prompted").shots), "matrix"),
    Step("check_misuse", check_misuse, lambda c: CheckMisuseArgs(plan=assemble(c), brief=c.brief), "report"),
    # Review's choices (ratios per deliverable, answers, dismissed flags) come from an edit's settings.
    Step("assign_deliverables", assign_deliverables, _deliverables_args, "plan"),
    Step("choose_sources", choose_sources,
         lambda c: ChooseSourcesArgs(analysis=c.required("analysis"), plan=assemble(c)), "plan"),
    Step("settle_questions", settle_questions,
         lambda c: SettleQuestionsArgs(analysis=c.required("analysis"), plan=assemble(c), answers=c.review.answers),
         "plan"),
)


class DraftPlanArgs(BaseModel):
    brief: str = Field(description="The brief exactly as written.")
    emphasis: list[str] = Field(default_factory=list, description="Goals to favour when picking details.")
    max_details: int | None = Field(None, ge=1, le=12, description="Cap on ECU details.")


def run_steps(ctx: PlanningContext, start: str = STEPS[0].tool) -> ShotPlan:
    """Run the steps from `start` on, each reading what the earlier ones stored, and assemble the plan."""
    first = next(i for i, step in enumerate(STEPS) if step.tool == start)
    ctx.clear(STEPS[first:])
    for step in STEPS[first:]:
        ctx.put(step.store, step.fn(step.args(ctx)))
    return assemble(ctx)


def draft_plan(args: DraftPlanArgs) -> ShotPlan:
    """Run every planning step on a brief and return a complete draft plan, flags included."""
    return run_steps(PlanningContext(brief=args.brief, emphasis=args.emphasis, max_details=args.max_details))


def submit_plan(plan: ShotPlan) -> ShotPlan:
    """Submit the final shot plan. The loop validates it and runs the misuse checks; errors come back for repair."""
    return plan
