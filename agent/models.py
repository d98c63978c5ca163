"""Domain types shared by every part of ecu-planner.

These models are the plan JSON contract of docs/contract.md: the field names, and the
vocabulary strings below, are read by evals, UIs and other tools. This module
imports nothing else from the project, so `tools/` may depend on it freely.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

Scale = Literal["wide", "medium", "close_up", "extreme_close_up"]
Category = Literal["craftsmanship", "emotion", "proof", "story_hook"]
FlagKind = Literal[
    "overuse", "over_abstraction", "pushed_performance", "soft_focus", "ambiguous_scale", "decorative"
]
Severity = Literal["info", "warning", "error"]
Criterion = Literal["identity_clarity", "texture_realism", "edge_integrity", "focus_logic", "artifact_risk"]
# How a shot's image is made: legible text and marks, real interfaces and real people are not generated.
Source = Literal["generate", "photograph", "screen_capture"]

SCALES: tuple[str, ...] = get_args(Scale)
CATEGORIES: tuple[str, ...] = get_args(Category)
FLAG_KINDS: tuple[str, ...] = get_args(FlagKind)
SEVERITIES: tuple[str, ...] = get_args(Severity)
QC_CRITERIA: tuple[str, ...] = get_args(Criterion)
SOURCES: tuple[str, ...] = get_args(Source)
# The prompt formula, in order: the order is part of the contract.
FORMULA_FIELDS: tuple[str, ...] = (
    "subject_detail", "shot_scale", "material_texture", "lighting", "focus", "background", "intent",
)
MAX_DETAIL_WORDS = 10
MAX_ECUS = 6
_LABEL_WORDS = {"extreme_close_up": "extreme close-up", "close_up": "close-up"}


def humanize(label: str) -> str:
    """A vocabulary label as words on screen ('social_ad_opener' -> 'social ad opener'); JSON keeps the label.

    Here because every face (terminal, TUI, Slack, eval report) and tools/export.py may import this module.
    """
    return _LABEL_WORDS.get(label, label.replace("_", " "))


class Model(BaseModel):
    """Base for every domain type: strip stray whitespace; keep unknown fields out."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")


class BriefSummary(Model):
    product: str = Field(description="The product or subject the campaign sells.")
    audience: str = ""
    channels: list[str] = Field(default_factory=list)
    goals: list[str] = Field(default_factory=list, description="Value propositions the visuals must carry.")
    vertical: str = ""
    tone: list[str] = Field(default_factory=list)
    colorways: list[str] = Field(default_factory=list)
    aspect_ratio: str = "4:5"
    assumptions: list[str] = Field(default_factory=list, description="What the planner had to assume.")


class Detail(Model):
    name: str = Field(description="What a photographer would shoot, at most 10 words.")
    category: Category
    why: str = Field(description="One line: what this detail proves or makes the viewer feel.")
    evidence: str = Field("", description="The brief's own words this detail rests on; empty when it gives none.")

    @field_validator("name")
    @classmethod
    def _short_concrete_name(cls, name: str) -> str:
        words = name.split()
        if not words:
            raise ValueError("detail name is empty")
        if len(words) > MAX_DETAIL_WORDS:
            raise ValueError(f"detail name has {len(words)} words; keep it to {MAX_DETAIL_WORDS}")
        return name


class PromptFields(Model):
    """The seven slots of the ECU prompt formula, in formula order."""

    subject_detail: str
    shot_scale: str
    material_texture: str
    lighting: str
    focus: str
    background: str
    intent: str

    def missing(self) -> list[str]:
        """Formula fields left empty (blank counts as empty)."""
        return [name for name in FORMULA_FIELDS if not (getattr(self, name) or "").strip()]


class Prompt(Model):
    text: str
    fields: PromptFields
    negative: str = ""


class Camera(Model):
    lens: str
    aperture: str
    lighting: str


class CriterionResult(Model):
    status: Literal["pass", "fail", "not_assessed"]
    score: float | None = None
    evidence: str = ""


class QCReport(Model):
    image: str
    passed: bool
    criteria: dict[str, CriterionResult]
    revisions: list[str] = Field(default_factory=list)


class Render(Model):
    path: str
    seed: int
    attempt: int
    qc: QCReport | None = None


class Shot(Model):
    id: str
    scale: Scale
    purpose: str = Field(description="establish, explain or punctuate (or hook / reveal).")
    placement: str
    detail: Detail | None = None
    note: str = Field("", description="Direction added in review, e.g. 'tighter crop'.")
    prompt: Prompt
    camera: Camera
    renders: list[Render] = Field(default_factory=list)
    deliverable: str = Field("", description="The channel this shot is for, e.g. instagram_story.")
    aspect_ratio: str = Field("", description="This shot's own ratio; empty means the plan's (brief.aspect_ratio).")
    source: Source = Field("generate", description="generate, photograph or screen_capture.")
    source_reason: str = Field("", description="Why a shot is photographed or screen-captured instead of generated.")


class Flag(Model):
    kind: FlagKind
    severity: Severity
    message: str
    shots: list[str] = Field(default_factory=list)
    fix: str = ""


class DismissedFlag(Model):
    """A flag raised from the brief's wording that the model or the user overruled, and why."""

    kind: FlagKind
    reason: str
    message: str = ""


class MatrixFixed(Model):
    shot_scale: str
    lighting: str
    aspect_ratio: str
    mood: str
    background: str


class MatrixRow(Model):
    detail: str
    material: str
    colorway: str
    angle: str
    theme: str


class PromptMatrix(Model):
    fixed: MatrixFixed
    varied: list[MatrixRow] = Field(default_factory=list)


class ShotPlan(Model):
    brief: BriefSummary
    shots: list[Shot]
    flags: list[Flag] = Field(default_factory=list)
    matrix: PromptMatrix | None = None
    questions: list[str] = Field(default_factory=list, description="What the marketer must decide.")
    dismissed_flags: list[DismissedFlag] = Field(default_factory=list)

    def ecu_shots(self) -> list[Shot]:
        return [shot for shot in self.shots if shot.scale == "extreme_close_up"]

    def shot(self, shot_id: str) -> Shot | None:
        return next((shot for shot in self.shots if shot.id == shot_id), None)

    def editable(self) -> ShotPlan:
        """A copy a planning step may change in place (brief, shots and their prompts, lists, matrix) without
        touching this plan; what steps only ever replace (prompt fields, renders, flags) is shared. A fraction
        of a deep copy's cost, which each of the review steps paid on every plan."""
        matrix = self.matrix
        if matrix is not None:
            matrix = matrix.model_copy(update={"fixed": matrix.fixed.model_copy(), "varied": list(matrix.varied)})
        return self.model_copy(update={
            "brief": self.brief.model_copy(update={"colorways": list(self.brief.colorways)}),
            "shots": [shot.model_copy(update={"prompt": shot.prompt.model_copy()}) for shot in self.shots],
            "flags": list(self.flags), "questions": list(self.questions),
            "dismissed_flags": list(self.dismissed_flags), "matrix": matrix})

    def shot_ratio(self, shot: Shot) -> str:
        """The aspect ratio a shot is made at: its own, else the plan's."""
        return shot.aspect_ratio or self.brief.aspect_ratio

    def aspect_summary(self) -> str:
        """"4:5" when every shot shares one ratio, else each ratio with its deliverable
        ("4:5 instagram_carousel, 9:16 instagram_story"): what a face shows as the plan's aspect."""
        in_use = dict.fromkeys((shot.deliverable, self.shot_ratio(shot)) for shot in self.shots)
        ratios = dict.fromkeys(ratio for _, ratio in in_use)
        if len(ratios) <= 1:
            return next(iter(ratios), self.brief.aspect_ratio)
        return ", ".join(f"{ratio} {name or 'plan'}" for name, ratio in in_use)

    def flag_kinds(self) -> set[str]:
        return {flag.kind for flag in self.flags}

    def summary(self) -> str:
        return f"{len(self.shots)} shots ({len(self.ecu_shots())} ECUs), {len(self.flags)} flags"
