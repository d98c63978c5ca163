"""Consistency and review: code's job, for every plan however it was made.

The agent loop checks every submitted plan here (`judge`), whatever the policy; the decision tools
(tools.decisions) check each edit with `check_consistency`. Kept apart from those tools so a run that
makes no edits (the offline draft) imports none of them.
"""

from __future__ import annotations

import math
import re

from agent.models import ShotPlan

_ECU_WORDS = re.compile(r"\bextreme[- ]close[- ]?up\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
MATRIX_ROW_CAP = 24  # build_matrix keeps at most this many rows: past it, later ECU details may be absent


def render_text(fields) -> str:
    """A shot's prompt text from its fields, as build_prompts renders it."""
    from tools.prompting import render

    return render(fields)


def check_consistency(plan: ShotPlan) -> list[str]:
    """What makes a plan say one thing in one place and another elsewhere; empty when it holds together."""
    if not plan.shots:
        return ["the plan has no shots"]
    problems = []
    ids = [s.id for s in plan.shots]
    if ids != [f"s{i}" for i in range(1, len(ids) + 1)]:
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        problems.append(f"shot ids must run s1..s{len(ids)} in order, got {', '.join(ids)}"
                        + (f" (duplicated: {', '.join(dupes)})" if dupes else ""))
    for shot in plan.shots:
        problems += _shot_problems(shot)
    problems += _matrix_problems(plan)
    return problems


def _shot_problems(shot) -> list[str]:
    fields, problems = shot.prompt.fields, []
    if _norm(shot.prompt.text) != _norm(render_text(fields)):
        problems.append(f"{shot.id}: prompt text does not match its fields (the text is rendered from the fields)")
    if shot.scale != "extreme_close_up":
        return problems
    if shot.detail is None:
        return problems + [f"{shot.id}: an extreme close-up without a detail"]
    if not _ECU_WORDS.search(fields.shot_scale) or not _ECU_WORDS.search(shot.prompt.text):
        problems.append(f'{shot.id}: an ECU whose prompt says "{fields.shot_scale}", not extreme close-up')
    words = content_words(shot.detail.name)
    if words and not _names(fields.subject_detail, words, need=math.ceil(len(words) / 2)):
        problems.append(f'{shot.id}: detail is "{shot.detail.name}" but subject_detail says "{fields.subject_detail}"')
    if words and not _names(fields.focus, words, need=1):
        problems.append(f'{shot.id}: detail is "{shot.detail.name}" but focus says "{fields.focus}"')
    return problems


def _matrix_problems(plan: ShotPlan) -> list[str]:
    wanted = {s.detail.name for s in plan.ecu_shots() if s.detail is not None}
    if plan.matrix is None:
        return ["the plan has ECUs but no matrix"] if wanted else []
    listed = {row.detail for row in plan.matrix.varied}
    problems = []
    if extra := sorted(listed - wanted):
        problems.append(f"matrix lists details no ECU shows: {', '.join(extra)}")
    if (missing := sorted(wanted - listed)) and len(plan.matrix.varied) < MATRIX_ROW_CAP:
        problems.append(f"matrix misses ECU details: {', '.join(missing)}")
    return problems


def content_words(text: str) -> set[str]:
    """The words that carry a detail's meaning, singular, without articles and prepositions."""
    from tools.text import DETERMINERS, PREPOSITIONS, singular

    skip = DETERMINERS | PREPOSITIONS | {"and", "or", "with"}
    return {singular(w) for w in _WORD.findall(text.lower()) if w not in skip}


def _names(text: str, words: set[str], need: int) -> bool:
    from tools.text import singular

    present = {singular(w) for w in _WORD.findall(text.lower())}
    present |= {singular(part) for w in list(present) for part in w.split("-")}
    return len(words & present) >= need


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def apply_dismissals(plan: ShotPlan) -> ShotPlan:
    """Drop the flags the plan dismissed; errors stay, they are structural and cannot be overruled."""
    dismissed = {d.kind for d in plan.dismissed_flags}
    kept = [f for f in plan.flags if f.severity == "error" or f.kind not in dismissed]
    return plan if len(kept) == len(plan.flags) else plan.model_copy(update={"flags": kept})


def review(plan: ShotPlan, brief: str) -> ShotPlan:
    """Run the misuse checks; their flags replace the plan's own of the same kind, minus dismissed ones."""
    from tools.flags import CheckMisuseArgs, check_misuse

    report = check_misuse(CheckMisuseArgs(plan=plan, brief=brief))
    checked = {f.kind for f in report.flags}
    flags = report.flags + [f for f in plan.flags if f.kind not in checked]
    return apply_dismissals(plan.model_copy(update={"flags": flags}))


def judge(plan: ShotPlan, brief: str) -> tuple[ShotPlan, list[str]]:
    """The reviewed plan and why it cannot be accepted (error flags, inconsistencies); no reasons: accept."""
    plan = review(plan, brief)
    reasons = [f"{f.kind} on {', '.join(f.shots) or 'plan'}: {f.message}. Fix: {f.fix}"
               for f in plan.flags if f.severity == "error"]
    return plan, reasons + check_consistency(plan)
