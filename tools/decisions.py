"""The model decides, the code builds: small decision tools over a working plan.

A `Workbench` holds the run's working plan (the offline draft to begin with)
and the shots it was built from. A model acts through small tools bound to
it (`set_detail`, `dismiss_flag`, shot and settings edits, `submit_plan`);
each edit rebuilds prompts, cameras, the matrix and flags in code, checks the
result with `check_consistency` (tools.review, where the loop's own checks of
every plan live), and answers with the compact summary. The
plan is never round-tripped through the model, so it cannot go stale.

`build_shots` is the one place this module calls the planner's prompt
building; keep it that way so the planner can change underneath.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field, PrivateAttr, ValidationError, model_validator

from agent.models import Category, Detail, DismissedFlag, FlagKind, Scale, ShotPlan
from tools.registry import ToolError, ToolRegistry, format_validation_error
from tools.review import apply_dismissals, check_consistency, render_text, review
from tools.summary import summarize

_RATIO = re.compile(r"^\d{1,2}:\d{1,2}$")
PURPOSES = {"wide": "establish", "medium": "explain", "close_up": "explain", "extreme_close_up": "punctuate"}
FieldName = Literal["subject_detail", "shot_scale", "material_texture", "lighting", "focus", "background", "intent"]


# --------------------------------------------------------------------------------------------
# Building: the one seam to the planner


def build_shots(analysis, drafts: list, kinds: dict[str, str], overrides: list[dict[str, str]] | None = None,
                settings=None) -> ShotPlan:
    """Prompts, cameras, matrix and flags for these shot drafts, with any per-shot field overrides applied;
    `settings` (tools.edits.EditSettings) carries the conversation's ratios and answers."""
    from tools.details import DetailPicks
    from tools.edits import EditSettings, review_context
    from tools.pipeline import PlanningContext, run_steps
    from tools.rhythm import ShotSequence

    chosen = [d.detail for d in drafts if d.detail is not None]
    ctx = PlanningContext(brief=analysis.text, analysis=analysis,
                          picks=DetailPicks(candidates=[], chosen=chosen, kinds=kinds),
                          sequence=ShotSequence(shots=drafts), review=review_context(settings or EditSettings()))
    plan = run_steps(ctx, start="build_prompts")
    if overrides and any(overrides):
        prompted = ctx.required("prompted")
        shots = [with_fields(shot, extra) for shot, extra in zip(prompted.shots, overrides)]
        ctx.prompted = prompted.model_copy(update={"shots": shots})
        plan = run_steps(ctx, start="build_matrix")  # the matrix reads the overridden fields
    return plan


def with_fields(shot, extra: dict[str, str]):
    """The shot with some prompt fields replaced and its text rendered again."""
    if not extra:
        return shot
    fields = shot.prompt.fields.model_copy(update=extra)
    prompt = shot.prompt.model_copy(update={"fields": fields, "text": render_text(fields)})
    return shot.model_copy(update={"prompt": prompt})


# --------------------------------------------------------------------------------------------
# Tool arguments and answers


class SetDetailArgs(BaseModel):
    shot_id: str = Field(description="e.g. s2; a shot that is not an ECU becomes one")
    name: str = Field(description="what the lens points at, at most 10 words")
    category: Category
    why: str = Field(description="what it proves or makes the viewer feel, one line")
    evidence: str = Field("", description="the brief's own words it rests on")


class DismissFlagArgs(BaseModel):
    kind: FlagKind
    reason: str = Field(description="why the flag is wrong for this brief")


class ShotArgs(BaseModel):
    shot_id: str


class AddShotArgs(BaseModel):
    scale: Scale
    position: int | None = Field(None, ge=1, description="1-based place; default the end")
    name: str | None = Field(None, description="ECU only: the detail, as in set_detail")
    category: Category | None = None
    why: str | None = None


class MoveShotArgs(BaseModel):
    shot_id: str
    position: int = Field(ge=1, description="1-based new place")


class SetScaleArgs(BaseModel):
    shot_id: str
    scale: Scale


class SetFieldArgs(BaseModel):
    shot_id: str
    field: FieldName
    text: str


class SetSettingsArgs(BaseModel):
    product: str | None = Field(None, description="the product's name as prompts should say it")
    vertical: str | None = Field(None, description="prompt template: apparel, beauty, education, food_beverage, "
                                                   "general, luxury_goods, packaging, skincare, tech")
    aspect_ratio: str | None = Field(None, description="e.g. 9:16")
    channels: list[str] | None = Field(None, description="first is primary, e.g. instagram_story")
    max_details: int | None = Field(None, ge=1, le=12, description="cap on ECUs; extra ECUs are dropped")


class SubmitPlanArgs(BaseModel):
    plan: dict[str, Any] | None = Field(
        None, description="only to replace the working plan: a full plan in the contract's JSON shape")

    @model_validator(mode="before")
    @classmethod
    def _bare_plan(cls, data: Any) -> Any:
        """A full plan sent without the wrapper is still a plan."""
        if isinstance(data, dict) and "plan" not in data and "shots" in data:
            return {"plan": data}
        return data


class Answer(BaseModel):
    """What an edit did, plus the updated summary (sent to the model as plain text, not JSON)."""

    done: str
    summary: str
    _plan: ShotPlan | None = PrivateAttr(default=None)

    @property
    def working_plan(self) -> ShotPlan | None:
        return self._plan

    def tool_content(self) -> str:
        return f"{self.done}\n{self.summary}"

    def describe(self) -> str:
        return self.done


@dataclass
class Entry:
    """One shot as the workbench keeps it: its draft and any fields set by hand."""

    draft: Any  # tools.rhythm.ShotDraft
    overrides: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# The workbench


@dataclass
class Workbench:
    brief: str
    analysis: Any  # tools.brief.BriefAnalysis with the settings applied
    settings: Any  # tools.edits.EditSettings
    entries: list[Entry]
    kinds: dict[str, str]
    plan: ShotPlan
    questions: list[str] = field(default_factory=list)

    @classmethod
    def from_brief(cls, brief: str, max_details: int | None = None, emphasis: list[str] | None = None) -> Workbench:
        """The offline draft, planned as the offline policy plans it."""
        from tools.edits import EditSettings, analysis_with
        from tools.pipeline import PlanningContext, run_steps

        settings = EditSettings(max_details=max_details, emphasis=list(emphasis or []))
        analysis = analysis_with(brief, settings)
        ctx = PlanningContext(brief=brief, emphasis=settings.emphasis, max_details=max_details, analysis=analysis)
        plan = review(run_steps(ctx, start="pick_details"), brief)
        return cls(brief, analysis, settings, [Entry(d) for d in ctx.required("sequence").shots],
                   dict(ctx.required("picks").kinds), plan, list(plan.questions))

    @classmethod
    def from_plan(cls, brief: str, plan: ShotPlan, settings: dict[str, Any] | None = None) -> Workbench:
        """A saved plan to keep editing: its product name is kept, and fields that differ from a fresh build
        are kept as overrides."""
        from tools.edits import EditSettings, _drafts, analysis_with

        edit_settings = EditSettings.model_validate(settings or {})
        analysis = _as_planned(analysis_with(brief, edit_settings), plan.brief.product, plan.brief.vertical)
        drafts = _drafts(plan)
        fresh = build_shots(analysis, drafts, {}, settings=edit_settings)
        entries = []
        for draft, mine, built in zip(drafts, plan.shots, fresh.shots):
            ours, theirs = mine.prompt.fields.model_dump(), built.prompt.fields.model_dump()
            entries.append(Entry(draft, {k: v for k, v in ours.items() if v != theirs[k]}))
        return cls(brief, analysis, edit_settings, entries, {}, plan, list(plan.questions))

    # -- answers and commits -------------------------------------------------------------------
    def summary(self) -> str:
        return summarize(self.plan, self.settings.max_details)

    def answer(self, done: str) -> Answer:
        reply = Answer(done=done, summary=self.summary())
        reply._plan = self.plan
        return reply

    def _commit(self, entries: list[Entry], done: str, *, renumber: bool = False) -> Answer:
        """Build the plan from these entries; keep it only if it holds together."""
        if not entries:
            raise ToolError("a plan needs at least one shot")
        if renumber:
            entries = self._renumbered(entries)
        plan = build_shots(self.analysis, [e.draft for e in entries], self.kinds, [e.overrides for e in entries],
                           self.settings)
        plan = plan.model_copy(update={"dismissed_flags": list(self.plan.dismissed_flags),
                                       "questions": plan.questions or self.questions})
        plan = apply_dismissals(plan)
        if problems := check_consistency(plan):
            raise ToolError("edit not applied, it would leave the plan inconsistent: " + "; ".join(problems))
        self.entries, self.plan = entries, plan
        return self.answer(done)

    def _renumbered(self, entries: list[Entry]) -> list[Entry]:
        from tools.rhythm import placements

        where = placements(self.analysis.summary.channels[0], [e.draft.scale for e in entries],
                           self.analysis.video_seconds)
        return [Entry(e.draft.model_copy(update={"id": f"s{i}", "placement": at}), dict(e.overrides))
                for i, (e, at) in enumerate(zip(entries, where), start=1)]

    def _index(self, shot_id: str) -> int:
        for i, entry in enumerate(self.entries):
            if entry.draft.id == shot_id:
                return i
        raise ToolError(f"no shot {shot_id!r}; shots are {', '.join(e.draft.id for e in self.entries)}")

    def _copy(self) -> list[Entry]:
        return [Entry(e.draft.model_copy(deep=True), dict(e.overrides)) for e in self.entries]

    def _ecu_count(self, entries: list[Entry]) -> int:
        return sum(e.draft.scale == "extreme_close_up" for e in entries)

    def _check_cap(self, entries: list[Entry]) -> None:
        cap = self.settings.max_details
        if cap and self._ecu_count(entries) > cap:
            raise ToolError(f"at most {cap} ECUs (max_details); drop or rescale one first")

    @staticmethod
    def _detail(name: str, category: str, why: str, evidence: str = "") -> Detail:
        try:
            return Detail(name=name, category=category, why=why, evidence=evidence)
        except ValidationError as err:
            raise ToolError("detail " + format_validation_error(err)) from None

    # -- the tools -------------------------------------------------------------------------------
    def set_detail(self, args: SetDetailArgs) -> Answer:
        """Set a shot's ECU detail (code rewrites its prompt, camera and the matrix); a non-ECU becomes an ECU."""
        entries = self._copy()
        entry = entries[self._index(args.shot_id)]
        old = entry.draft.detail.name if entry.draft.detail else None
        entry.draft.detail = self._detail(args.name, args.category, args.why, args.evidence)
        entry.draft.scale, entry.draft.purpose = "extreme_close_up", PURPOSES["extreme_close_up"]
        entry.overrides = {}  # hand-set fields described the old detail
        self._check_cap(entries)
        return self._commit(entries, f'{args.shot_id} now shows "{args.name}"' + (f' (was "{old}")' if old else ""))

    def dismiss_flag(self, args: DismissFlagArgs) -> Answer:
        """Overrule a flag raised from the brief's wording, with the reason; it stays dismissed. Errors cannot be."""
        present = [f for f in self.plan.flags if f.kind == args.kind]
        if not present:
            raise ToolError(f"no {args.kind} flag on the plan; flags: {', '.join(self.plan.flag_kinds()) or 'none'}")
        if all(f.severity == "error" for f in present):
            raise ToolError(f"{args.kind} is a structural error and cannot be dismissed: fix the plan instead "
                            f"({present[0].fix or present[0].message})")
        message = next(f.message for f in present if f.severity != "error")
        dismissed = [d for d in self.plan.dismissed_flags if d.kind != args.kind]
        dismissed.append(DismissedFlag(kind=args.kind, reason=args.reason, message=message))
        self.plan = apply_dismissals(self.plan.model_copy(update={"dismissed_flags": dismissed}))
        return self.answer(f"dismissed {args.kind}: {args.reason}")

    def add_shot(self, args: AddShotArgs) -> Answer:
        """Insert a shot; an ECU needs name, category and why."""
        from tools.rhythm import ShotDraft

        detail = None
        if args.scale == "extreme_close_up":
            if not (args.name and args.category and args.why):
                raise ToolError("an ECU needs name, category and why")
            detail = self._detail(args.name, args.category, args.why)
        entries = self._copy()
        position = min(args.position or len(entries) + 1, len(entries) + 1)
        draft = ShotDraft(id="new", scale=args.scale, purpose=PURPOSES[args.scale], placement="", detail=detail)
        entries.insert(position - 1, Entry(draft))
        self._check_cap(entries)
        return self._commit(entries, f"added a {args.scale} shot at s{position}", renumber=True)

    def drop_shot(self, args: ShotArgs) -> Answer:
        """Remove a shot; the rest are renumbered."""
        entries = self._copy()
        del entries[self._index(args.shot_id)]
        return self._commit(entries, f"dropped {args.shot_id}; shots renumbered", renumber=True)

    def move_shot(self, args: MoveShotArgs) -> Answer:
        """Move a shot to a new place in the sequence; shots are renumbered."""
        entries = self._copy()
        entry = entries.pop(self._index(args.shot_id))
        entries.insert(min(args.position, len(entries) + 1) - 1, entry)
        return self._commit(entries, f"moved {args.shot_id} to s{min(args.position, len(entries))}", renumber=True)

    def set_scale(self, args: SetScaleArgs) -> Answer:
        """Change a shot's scale (to make an ECU, use set_detail)."""
        entries = self._copy()
        entry = entries[self._index(args.shot_id)]
        if args.scale == "extreme_close_up" and entry.draft.detail is None:
            raise ToolError(f"{args.shot_id} has no detail: use set_detail to make it an ECU")
        entry.draft.scale, entry.draft.purpose = args.scale, PURPOSES[args.scale]
        if args.scale in {"wide", "medium"}:
            entry.draft.detail = None
        entry.overrides.pop("shot_scale", None)
        self._check_cap(entries)
        return self._commit(entries, f"{args.shot_id} is now {args.scale}", renumber=True)

    def set_prompt_field(self, args: SetFieldArgs) -> Answer:
        """Replace one prompt field of a shot; the text is rendered again.

        An ECU's subject and focus must name its detail."""
        entries = self._copy()
        entries[self._index(args.shot_id)].overrides[args.field] = args.text
        return self._commit(entries, f"{args.shot_id} {args.field} set")

    def set_settings(self, args: SetSettingsArgs) -> Answer:
        """Set the product's name, vertical, aspect ratio, channels (first is primary) or ECU cap.

        The plan is rebuilt."""
        from tools.edits import analysis_with

        settings, done = self.settings.model_copy(deep=True), []
        product = (args.product or "").strip() or self.analysis.summary.product
        if product != self.analysis.summary.product:
            done.append(f"product {product!r}")
        vertical = (args.vertical or "").strip() or self.analysis.summary.vertical
        if vertical != self.analysis.summary.vertical:
            from tools.templates import templates

            if vertical not in templates():
                raise ToolError(f"no vertical {vertical!r}; choose one of {', '.join(templates())}")
            done.append(f"vertical {vertical}")
        if args.aspect_ratio is not None:
            if not _RATIO.match(args.aspect_ratio.strip()):
                raise ToolError(f"aspect_ratio must look like 9:16, got {args.aspect_ratio!r}")
            settings.aspect_ratio = args.aspect_ratio.strip()
            done.append(f"aspect ratio {settings.aspect_ratio}")
        if args.channels:
            settings.channels = [c.strip() for c in args.channels if c.strip()]
            done.append(f"channels {', '.join(settings.channels)}")
        entries = self._copy()
        if args.max_details is not None:
            settings.max_details = args.max_details
            while self._ecu_count(entries) > args.max_details:  # the last ECUs go first: the draft ranks them
                last = max(i for i, e in enumerate(entries) if e.draft.scale == "extreme_close_up")
                done.append(f"dropped {entries.pop(last).draft.id}")
            done.insert(0, f"at most {args.max_details} ECUs")
        if not done:
            raise ToolError("nothing to set: give product, vertical, aspect_ratio, channels or max_details")
        previous = (self.settings, self.analysis)
        self.settings, self.analysis = settings, _as_planned(analysis_with(self.brief, settings), product, vertical)
        try:
            return self._commit(entries, "; ".join(done), renumber=True)
        except ToolError:
            self.settings, self.analysis = previous
            raise

    def show_shot(self, args: ShotArgs) -> Answer:
        """One shot's prompt fields, negative prompt and camera, to decide an edit."""
        shot = self.plan.shots[self._index(args.shot_id)]
        lines = [f"{name}: {value}" for name, value in shot.prompt.fields.model_dump().items()]
        lines += [f"negative: {shot.prompt.negative}", f"camera: {shot.camera.lens}, {shot.camera.aperture}"]
        reply = Answer(done=f"{shot.id} prompt", summary="\n".join(lines))
        reply._plan = self.plan
        return reply

    def submit_plan(self, args: SubmitPlanArgs) -> ShotPlan:
        """Finish. {} accepts the working plan; {"plan": {...}} replaces it with a full plan, checked like any edit."""
        if args.plan is None:
            return self.plan
        try:
            plan = ShotPlan.model_validate(args.plan)
        except ValidationError as err:
            raise ToolError("the plan does not match the contract: " + format_validation_error(err)) from None
        kinds = {d.kind for d in plan.dismissed_flags}
        dismissed = plan.dismissed_flags + [d for d in self.plan.dismissed_flags if d.kind not in kinds]
        return plan.model_copy(update={"dismissed_flags": dismissed})

    def tools(self) -> tuple:
        return (self.set_detail, self.dismiss_flag, self.add_shot, self.drop_shot, self.move_shot, self.set_scale,
                self.set_prompt_field, self.set_settings, self.show_shot, self.submit_plan)


def _as_planned(analysis, product: str, vertical: str):
    """The analysis with the product's name and vertical as the plan says them (a model may have corrected the
    reading of the brief)."""
    analysis.summary.product = product or analysis.summary.product
    analysis.summary.vertical = vertical or analysis.summary.vertical
    return analysis


def decision_registry(work: Workbench) -> ToolRegistry:
    """The model's tools, bound to one run's workbench."""
    registry = ToolRegistry()
    for tool in work.tools():
        registry.register(tool)
    return registry


def schema_registry() -> ToolRegistry:
    """The same tools unbound to any plan: enough to read their schemas without planning anything."""
    return decision_registry(Workbench.__new__(Workbench))
