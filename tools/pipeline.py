"""The planning steps in order, shared by the offline policy and the `draft_plan` tool.

Each step names a tool, says how to build its arguments from what earlier
steps produced, and where to keep its result. The offline policy walks these
steps through the agent loop (so every call is visible as an event); the
`draft_plan` tool runs them directly so a model can get a complete first plan
in one call and spend its turns on judgment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from pydantic import BaseModel, Field

from agent.models import ShotPlan
from tools.brief import AnalyzeBriefArgs, analyze_brief
from tools.deliverables import AssignDeliverablesArgs, assign_deliverables
from tools.details import PickDetailsArgs, pick_details
from tools.flags import CheckMisuseArgs, check_misuse
from tools.prompting import BuildMatrixArgs, BuildPromptsArgs, build_matrix, build_prompts
from tools.questions import Answers, SettleQuestionsArgs, settle_questions
from tools.rhythm import PlanRhythmArgs, plan_rhythm
from tools.sources import ChooseSourcesArgs, choose_sources

Context = dict[str, Any]


@dataclass(frozen=True)
class Step:
    tool: str
    fn: Callable[[Any], BaseModel]
    args: Callable[[Context], BaseModel]
    store: str


def assemble(ctx: Context) -> ShotPlan:
    """The plan from the results so far (flags included once check_misuse has run)."""
    if "plan" in ctx:  # the steps after check_misuse each refine the whole plan
        return ctx["plan"]
    report = ctx.get("report")
    return ShotPlan(
        brief=ctx["analysis"].summary,
        shots=ctx["prompted"].shots,
        flags=report.flags if report else [],
        matrix=ctx.get("matrix"),
        questions=ctx["picks"].questions if "picks" in ctx else [],
    )


STEPS: tuple[Step, ...] = (
    Step("analyze_brief", analyze_brief, lambda c: AnalyzeBriefArgs(brief=c["brief"]), "analysis"),
    Step("pick_details", pick_details,
         lambda c: PickDetailsArgs(analysis=c["analysis"], emphasis=c.get("emphasis", []),
                                   max_details=c.get("max_details")), "picks"),
    Step("plan_rhythm", plan_rhythm,
         lambda c: PlanRhythmArgs(analysis=c["analysis"], details=c["picks"].chosen), "sequence"),
    Step("build_prompts", build_prompts,
         lambda c: BuildPromptsArgs(analysis=c["analysis"], shots=c["sequence"].shots, kinds=c["picks"].kinds),
         "prompted"),
    Step("build_matrix", build_matrix,
         lambda c: BuildMatrixArgs(analysis=c["analysis"], shots=c["prompted"].shots), "matrix"),
    Step("check_misuse", check_misuse, lambda c: CheckMisuseArgs(plan=assemble(c), brief=c["brief"]), "report"),
    # Review's choices (ratios per deliverable, answers, dismissed flags) come from an edit's settings.
    Step("assign_deliverables", assign_deliverables,
         lambda c: AssignDeliverablesArgs(analysis=c["analysis"], plan=assemble(c), ratios=c.get("ratios", {}),
                                          plan_ratio=c.get("plan_ratio"), keep=c.get("keep", []), only=c.get("only", [])),
         "plan"),
    Step("choose_sources", choose_sources, lambda c: ChooseSourcesArgs(analysis=c["analysis"], plan=assemble(c)),
         "plan"),
    Step("settle_questions", settle_questions,
         lambda c: SettleQuestionsArgs(analysis=c["analysis"], plan=assemble(c),
                                       answers=c.get("answers") or Answers()), "plan"),
)


class DraftPlanArgs(BaseModel):
    brief: str = Field(description="The brief exactly as written.")
    emphasis: list[str] = Field(default_factory=list, description="Goals to favour when picking details.")
    max_details: int | None = Field(None, ge=1, le=12, description="Cap on ECU details.")


def run_steps(ctx: Context, start: str = STEPS[0].tool) -> ShotPlan:
    """Run the steps from `start` on, each reading what the earlier ones stored, and assemble the plan."""
    first = next(i for i, step in enumerate(STEPS) if step.tool == start)
    for step in STEPS[first:]:
        ctx.pop(step.store, None)  # what a step re-run will store is stale: no earlier step may read it
    for step in STEPS[first:]:
        ctx[step.store] = step.fn(step.args(ctx))
    return assemble(ctx)


def draft_plan(args: DraftPlanArgs) -> ShotPlan:
    """Run every planning step on a brief and return a complete draft plan, flags included."""
    return run_steps({"brief": args.brief, "emphasis": args.emphasis, "max_details": args.max_details})


def submit_plan(plan: ShotPlan) -> ShotPlan:
    """Submit the final shot plan. The loop validates it and runs the misuse checks; errors come back for repair."""
    return plan
