"""Open questions the marketer must decide, their answers, and flags the marketer overrules.

The plan asks which colourway is the hero when the brief names two or more and calls none the hero,
and whether a real, named person has agreed to appear. A follow-up answers a question ("the hero
colourway is ocean blue", "Maria Okafor has agreed to appear") or dismisses a flag raised from the
brief's wording ("ignore the soft focus warning: the haze is the brand look"); the answers are kept
with the conversation's settings, so they hold across later edits.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from agent.models import FLAG_KINDS, DismissedFlag, ShotPlan
from tools.brief import BriefAnalysis
from tools.sources import named_people
from tools.text import sentences

_HERO = re.compile(r"\b(?:hero|lead(?:s|ing)? with|flagship|main colou?rway|primary colou?rway|star)\b", re.IGNORECASE)
# How people name each flag kind in a sentence (the kind's own words always count).
_FLAG_WORDS = {
    "overuse": r"overuse|too many (?:ecus|close[- ]?ups|macros)",
    "over_abstraction": r"over[- ]?abstraction|abstract",
    "pushed_performance": r"pushed performance|performance|expression",
    "soft_focus": r"soft[- ]focus|softness|blur",
    "ambiguous_scale": r"ambiguous scale|ambiguous|scale",
    "decorative": r"decorative|decoration",
}
_DISMISS = re.compile(r"\b(?:ignore|dismiss|disregard|overrule|never mind|keep)\b", re.IGNORECASE)
_REASON = re.compile(r"(?::|\bbecause\b|\bsince\b|\s[—–-]\s|;)\s*(?P<reason>.+)$", re.IGNORECASE | re.DOTALL)
_AGREED = re.compile(r"\b(?:has|have|had|is|are)?\s*(?:agreed|consented|signed (?:the |a )?(?:model )?release|"
                     r"given (?:her |his |their )?consent|happy to appear|ok(?:ay)? to appear)\b|\bconsent (?:is )?"
                     r"(?:given|confirmed|signed)\b|\brelease (?:is )?signed\b", re.IGNORECASE)
_DECLINED = re.compile(r"\b(?:has|have|had|did|does)\s*(?:not|n't)\s+(?:agreed|consented|signed)|\bno consent\b|"
                       r"\b(?:declined|refused|won't appear|will not appear|doesn't want to appear)\b", re.IGNORECASE)


class Answers(BaseModel):
    """What review has decided so far (kept in the conversation's settings)."""

    hero_colorway: str | None = None
    consented: list[str] = Field(default_factory=list)
    declined: list[str] = Field(default_factory=list)
    dismissed: list[DismissedFlag] = Field(default_factory=list)


class SettleQuestionsArgs(BaseModel):
    analysis: BriefAnalysis
    plan: ShotPlan
    answers: Answers = Field(default_factory=Answers)


def hero_in_brief(text: str, colorways: list[str]) -> str | None:
    """The colourway the brief itself calls the hero ("forest green is the hero", "lead with ocean blue")."""
    for sentence in sentences(text):
        hero = _HERO.search(sentence)
        lower = sentence.lower()
        named = [(abs(lower.find(c) - hero.start()), c) for c in colorways if hero and c in lower]
        if named:
            return min(named)[1]
    return None


def settle_questions(args: SettleQuestionsArgs) -> ShotPlan:
    """Ask what the marketer must decide (hero colourway, consent of a named person) and apply the
    answers and flag dismissals review has given."""
    plan = args.plan.editable()
    answers = args.answers
    _hero(plan, args.analysis, answers.hero_colorway)
    _consent(plan, args.analysis, answers)
    _dismiss(plan, answers.dismissed)
    plan.questions = list(dict.fromkeys(plan.questions))
    return plan


def _hero(plan: ShotPlan, analysis: BriefAnalysis, answered: str | None) -> None:
    colorways = plan.brief.colorways
    hero = answered or hero_in_brief(analysis.text, colorways)
    if hero:
        plan.brief.colorways = [hero] + [c for c in colorways if c != hero]
        if plan.matrix is not None:  # the hero's rows first; a stable sort keeps the rest in order
            plan.matrix.varied.sort(key=lambda row: row.colorway != hero)
    elif len(colorways) >= 2:
        plan.questions.append(f"Which colourway is the hero: {', '.join(colorways[:-1])} or {colorways[-1]}? "
                              "The ECUs and the first frames are shot on it.")


def _consent(plan: ShotPlan, analysis: BriefAnalysis, answers: Answers) -> None:
    for person in named_people(analysis.text, analysis.summary.product):
        theirs = [s for s in plan.shots if person in s.source_reason]
        if person in answers.consented:
            note = "consent confirmed in review"
        elif person in answers.declined:
            note = "has not agreed to appear: recast with a hand model or drop the shot"
        else:
            where = f" (shots {', '.join(s.id for s in theirs)})" if theirs else ""
            plan.questions.append(f"Has {person} agreed to appear in the campaign{where}? A real person is "
                                  "photographed with a signed release, never generated.")
            continue
        for shot in theirs:
            if note not in shot.source_reason:
                shot.source_reason = f"{shot.source_reason}; {note}"


def _dismiss(plan: ShotPlan, dismissed: list[DismissedFlag]) -> None:
    """Flags of a dismissed kind move to dismissed_flags with the reason; structural errors stay."""
    reasons = {d.kind: d.reason for d in dismissed}
    kept = []
    for flag in plan.flags:
        if flag.kind in reasons and flag.severity != "error":
            if all(d.kind != flag.kind for d in plan.dismissed_flags):
                plan.dismissed_flags.append(DismissedFlag(kind=flag.kind, reason=reasons[flag.kind],
                                                          message=flag.message))
        else:
            kept.append(flag)
    plan.flags = kept


# -- follow-ups ----------------------------------------------------------------------------------------


def read_answers(request: str, brief: str, plan: ShotPlan, answers: Answers) -> list[str]:
    """Update `answers` from a follow-up that answers a question or dismisses a flag; what changed, in words."""
    applied = []
    if hero := _hero_answer(request, plan.brief.colorways):
        answers.hero_colorway = hero
        applied.append(f"hero colourway set to {hero}")
    for person in named_people(brief, plan.brief.product):
        if not any(part.lower() in request.lower() for part in person.split()) and len(named_people(brief)) > 1:
            continue
        if _DECLINED.search(request):
            _move(person, answers.declined, answers.consented)
            applied.append(f"{person} has not agreed to appear")
        elif _AGREED.search(request):
            _move(person, answers.consented, answers.declined)
            applied.append(f"{person} has agreed to appear")
    if (kind := _dismissed_kind(request, plan)) is not None:
        reason = _REASON.search(request)
        text = reason.group("reason").strip().rstrip(".") if reason else "dismissed in review"
        answers.dismissed = [d for d in answers.dismissed if d.kind != kind] + [
            DismissedFlag(kind=kind, reason=text, message=next(f.message for f in plan.flags if f.kind == kind))]
        applied.append(f"{kind} flag dismissed ({text})")
    return applied


def _move(person: str, into: list[str], out_of: list[str]) -> None:
    if person in out_of:
        out_of.remove(person)
    if person not in into:
        into.append(person)


def _hero_answer(request: str, colorways: list[str]) -> str | None:
    if not _HERO.search(request):
        return None
    if named := hero_in_brief(request, colorways):
        return named
    match = re.search(r"\bhero(?: colou?rway)? (?:is|should be|will be)\s+(?:the\s+)?(?P<c>[a-z]+(?: [a-z]+)?)",
                      request, re.IGNORECASE)
    return match.group("c").lower() if match else None


def _dismissed_kind(request: str, plan: ShotPlan) -> str | None:
    """The kind of a raised, dismissable flag the request overrules, if it overrules one."""
    if not _DISMISS.search(request):
        return None
    raised = {f.kind for f in plan.flags if f.severity != "error"}
    for kind in FLAG_KINDS:
        words = rf"{kind.replace('_', ' ')}|{_FLAG_WORDS[kind]}"
        if kind in raised and re.search(rf"\b(?:{words})", request, re.IGNORECASE):
            return kind
    return None
