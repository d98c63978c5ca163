"""Misuse checks: from the brief's wording and from the plan itself.

Wording flags are warnings: the brief asked for something the doctrine warns
against, and the plan says so with a fix. Plan flags catch a plan (usually a
model's) that breaks the rules itself; those are errors the loop sends back
for repair, except where the brief explicitly insisted.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from agent.models import MAX_ECUS, Flag, Shot, ShotPlan
from tools.brief import _is_detail_phrase
from tools.signals import find_signals

ECU_SHARE_LIMIT = 0.6


def most_ecus(frames: int) -> int:
    """The most ECUs a plan of this many frames may carry before the review calls it overuse."""
    return int(frames * ECU_SHARE_LIMIT + 1e-9)  # the epsilon keeps 5 * 0.6 at 3, not 2.9999...


FIXES = {
    "overuse": "Keep ECUs for the commercial or emotional peaks (3-5), and pair them with a wide frame that "
               "establishes the product and a medium frame that explains it.",
    "over_abstraction": "Name the product in every ECU prompt and crop so its identity still reads in a second; "
                        "if the frame needs a caption to make sense, loosen it.",
    "pushed_performance": "Direct faces to restrained, natural expression: at ECU scale a slight squint already "
                          "reads as pain. Keep 'subtle, relaxed expression' in the prompt.",
    "soft_focus": "Pick the one detail that must be sharp and lock focus on it (manual focus, f/8 macro); "
                  "let only the falloff behind it go soft.",
    "ambiguous_scale": "Ask for an 'extreme close-up' (ECU) of the detail; a 'close-up' returns the whole face "
                       "or object and misses the point.",
    "decorative": "Give every ECU a job (craftsmanship, emotion, proof or story hook) tied to a goal of the "
                  "brief, or cut it.",
}
MESSAGES = {
    "overuse": "The brief asks for ECUs everywhere",
    "over_abstraction": "The brief asks for crops so abstract the product may not be recognised",
    "pushed_performance": "The brief asks faces for pushed, exaggerated expression in extreme close-up",
    "soft_focus": "The brief accepts soft focus without a clear focal plane",
    "ambiguous_scale": "The brief says 'close-up' for a detail-sized subject; an extreme close-up is meant",
    "decorative": "The brief wants ECUs for drama alone, with no meaning attached",
}
_GENERIC_NAME = re.compile(r"^(?:the\s+)?(?:abstract\s+)?(?:texture|surface|details?|pattern|material|colou?rs?|"
                           r"shapes?|light|abstract|close[- ]?up)s?$", re.IGNORECASE)
_SHARP = re.compile(r"\b(?:sharp|crisp|in focus|focus on|focal plane)\b", re.IGNORECASE)
_SOFT = re.compile(r"\b(?:soft[- ]focus|blurry|hazy|dreamy blur|out of focus)\b", re.IGNORECASE)
_PUSHED = re.compile(r"\b(?:exaggerated|screaming|grimac\w*|over[- ]the[- ]top|intense expression|crying)\b",
                     re.IGNORECASE)


class CheckMisuseArgs(BaseModel):
    plan: ShotPlan
    brief: str = Field("", description="The brief text, for flags raised by its wording.")


class FlagReport(BaseModel):
    flags: list[Flag]

    def summary(self) -> str:
        return ", ".join(f"{f.kind}({f.severity})" for f in self.flags) or "no misuse"

    def errors(self) -> list[Flag]:
        return [f for f in self.flags if f.severity == "error"]


def check_misuse(args: CheckMisuseArgs) -> FlagReport:
    """Flag ECU misuse (overuse, over-abstraction, pushed performance, soft focus, ambiguous scale, decorative)."""
    plan = args.plan
    flags: dict[str, Flag] = {}
    insisted = set()
    for signal in find_signals(args.brief.strip(), is_detail_phrase=_is_detail_phrase, product=plan.brief.product):
        insisted.add(signal.kind)
        if signal.kind not in flags:
            flags[signal.kind] = Flag(kind=signal.kind, severity="warning",
                                      message=f'{MESSAGES[signal.kind]}: "{_quote(signal.evidence)}"',
                                      shots=_affected(plan, signal.kind), fix=FIXES[signal.kind])
    for flag in plan_flags(plan, brief_insisted=insisted):
        if flag.kind in flags:
            if flag.severity == "error":
                flags[flag.kind] = flag
        else:
            flags[flag.kind] = flag
    return FlagReport(flags=list(flags.values()))


def plan_flags(plan: ShotPlan, brief_insisted: set[str] = frozenset()) -> list[Flag]:
    """Problems in the plan itself, whoever wrote it."""
    flags: list[Flag] = []
    ecus = plan.ecu_shots()
    ids = [s.id for s in ecus]
    orienting = [s for s in plan.shots if s.scale in ("wide", "medium")]
    share = len(ecus) / len(plan.shots) if plan.shots else 0.0
    if ecus and (not orienting or share > ECU_SHARE_LIMIT or len(ecus) > MAX_ECUS):
        severity = "warning" if "overuse" in brief_insisted else "error"
        why = "no wide or medium frame orients the viewer" if not orienting else (
            f"{len(ecus)} of {len(plan.shots)} shots are ECUs ({share:.0%})")
        flags.append(Flag(kind="overuse", severity=severity, message=f"ECU overuse: {why}", shots=ids,
                          fix=FIXES["overuse"]))
    product = plan.brief.product.lower()
    if ecus and any(a.startswith("no product is named") for a in plan.brief.assumptions):  # no ECU, no risk
        flags.append(Flag(kind="over_abstraction", severity="info", shots=ids, fix="Name the product in the brief.",
                          message="No product is named, so the plan assumed 'the product'; ECUs risk reading as"
                                  " anything"))
    vague = [s.id for s in ecus if s.detail and _GENERIC_NAME.match(s.detail.name)]
    unnamed = [s.id for s in ecus if product and not _names_product(s, product)]
    if vague or unnamed:
        flags.append(Flag(kind="over_abstraction", severity="error", shots=sorted(set(vague + unnamed)),
                          message="ECU detail could belong to anything: name a specific part and the product",
                          fix=FIXES["over_abstraction"]))
    meaningless = [s.id for s in ecus if s.detail is None or not s.detail.why.strip()]
    if meaningless:
        flags.append(Flag(kind="decorative", severity="error", shots=meaningless,
                          message="ECU without a detail job or a reason", fix=FIXES["decorative"]))
    close_details = [s.id for s in plan.shots if s.scale == "close_up" and s.detail is not None]
    if close_details:
        flags.append(Flag(kind="ambiguous_scale", severity="warning", shots=close_details,
                          message="A detail is planned at close-up scale; an extreme close-up is meant",
                          fix=FIXES["ambiguous_scale"]))
    unsharp = [s.id for s in ecus
               if not _SHARP.search(s.prompt.fields.focus) or _SOFT.search(_without(s.prompt.text, product))]
    if unsharp:
        flags.append(Flag(kind="soft_focus", severity="error", shots=unsharp,
                          message="ECU prompt has no clear focal plane", fix=FIXES["soft_focus"]))
    pushed = [s.id for s in ecus if _PUSHED.search(_without(s.prompt.text, product))]
    if pushed:
        flags.append(Flag(kind="pushed_performance", severity="error", shots=pushed,
                          message="ECU prompt asks for an exaggerated expression", fix=FIXES["pushed_performance"]))
    return flags


def _without(text: str, name: str) -> str:
    """The prompt with the product's own name taken out: a setting spray called "Soft Focus" asks for no blur."""
    return re.sub(re.escape(name), " ", text, flags=re.IGNORECASE) if name else text


def _names_product(shot: Shot, product: str) -> bool:
    text = shot.prompt.text.lower()
    words = re.findall(r"[\w'-]+", product)
    named = [w for w in words if len(w) > 2] + words[-1:]  # the head counts however short ("the ch" of a cut name)
    return not words or any(w in text for w in named)


def _affected(plan: ShotPlan, kind: str) -> list[str]:
    ecus = plan.ecu_shots()
    if kind == "pushed_performance":
        faces = [s.id for s in ecus if s.detail and s.detail.category == "emotion"]
        return faces or [s.id for s in ecus]
    return [s.id for s in ecus]


def _quote(evidence: str, limit: int = 120) -> str:
    return evidence if len(evidence) <= limit else evidence[: limit - 1].rstrip() + "…"
