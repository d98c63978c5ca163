"""Generate, check, revise: the regenerate-on-failure loop.

Round 1 renders every `generate` shot (or the named ones; photographed and
screen-captured shots are not rendered); each image is checked by QC;
shots whose image failed get their prompt revised (each QC finding maps to a
concrete prompt change, see `tools.qc`) and a new seed (the next attempt),
and only they are rendered again, for at most `max_rounds` rounds in all. Every
render lands in `Shot.renders` with its path, seed, attempt and QC report.
Events go out through `emit`: Progress, ImageSaved, QCReported and, after each
round, PlanUpdated.

The renderer and the checker are parameters, so tests drive the loop with
prepared images; `revise` decides the revisions (default: the QC report's own
offline mapping), which is where a model-driven policy plugs in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from agent.errors import GenerationError, generation_error
from agent.events import ImageSaved, PlanUpdated, Progress, QCReported
from agent.models import Prompt, PromptFields, QCReport, Render, Shot, ShotPlan

Emit = Callable[[Any], None]
Reviser = Callable[[Shot, QCReport], list[str]]


def offline_revisions(shot: Shot, report: QCReport) -> list[str]:
    """The QC report's own mapping of findings to prompt changes."""
    return list(report.revisions)


def revise_prompt(prompt: Prompt, revisions: Sequence[str]) -> Prompt:
    """Apply `"field: text"` (replace), `"field: + text"` (append) revisions to a prompt.

    The text is re-rendered from the fields when it was the fields' rendering; a hand-edited text keeps
    its wording and gains the new phrases at the end. Unknown lines and "new seed" leave the prompt alone.
    """
    from tools.prompting import render
    from tools.qc import parse_revision

    values = prompt.fields.model_dump()
    negative = prompt.negative
    added: list[str] = []
    for line in revisions:
        revision = parse_revision(line)
        if revision is None or revision.field == "seed":
            continue
        current = negative if revision.field == "negative" else values[revision.field]
        if revision.append:
            if revision.text.lower() in current.lower():
                continue
            updated = f"{current}, {revision.text}" if current else revision.text
        else:
            if current == revision.text:
                continue
            updated = revision.text
        if revision.field == "negative":
            negative = updated
        else:
            values[revision.field] = updated
            added.append(revision.text)
    fields = PromptFields(**values)
    if fields == prompt.fields:
        text = prompt.text
    elif prompt.text == render(prompt.fields):
        text = render(fields)
    else:
        text = ", ".join([prompt.text.rstrip(", "), *added])
    return Prompt(text=text, fields=fields, negative=negative)


def refine(
    plan: ShotPlan,
    *,
    render: Callable[..., list],
    check: Callable[..., QCReport] | None = None,
    max_rounds: int = 3,
    shots: Sequence[str] | None = None,
    seed_base: str | int | None = None,
    width: int | None = None,
    height: int | None = None,
    focus=None,
    revise: Reviser = offline_revisions,
    emit: Emit = lambda event: None,
    cancel=None,
    contact_sheet: str | Path | None = None,
    vision=None,
) -> ShotPlan:
    """Run the loop on a copy of `plan` and return it with revised prompts and per-shot renders.

    `render(jobs, progress=, on_saved=, cancel=)` is a `tools.generate.Renderer` (or a fake);
    `check(path, region=, subject=, scale=[, vision=])` defaults to `tools.qc.assess`; `vision` is an
    optional identity judge (`tools.qc.make_vision_judge`).
    """
    if check is None:
        from tools.qc import assess as check
    if max_rounds < 1:
        raise GenerationError("--max-rounds must be at least 1")
    plan = plan.model_copy(deep=True)
    wanted = list(dict.fromkeys(shots)) if shots else [shot.id for shot in plan.shots]
    # QC and revision are for generated images: photographed and screen-captured shots are not rendered.
    pending = [i for i in wanted if (shot := plan.shot(i)) is None or shot.source == "generate"]
    attempts = {shot.id: max((r.attempt for r in shot.renders), default=0) for shot in plan.shots}
    latest: dict[str, tuple[str, str]] = {}
    options = {"vision": vision} if vision is not None else {}
    for round_no in range(1, max_rounds + 1):
        if not pending:
            break
        for shot_id in pending:
            attempts[shot_id] += 1
        images = _render_round(plan, pending, attempts, render, emit=emit, cancel=cancel,
                               sizes={"seed_base": seed_base, "width": width, "height": height})
        pending = _check_round(plan, images, lambda path, job: check(
            path, region=focus, subject=job.detail or plan.brief.product, scale=job.scale, **options),
            emit=emit, latest=latest, revise=revise if round_no < max_rounds else None)
        emit(PlanUpdated(plan=plan.model_copy(deep=True)))
    if contact_sheet is not None and latest:
        _write_sheet(latest.values(), contact_sheet)
    return plan


def _render_round(plan: ShotPlan, pending: list[str], attempts: dict[str, int], render, *, emit: Emit, cancel,
                  sizes: dict[str, Any]) -> list:
    """Render the pending shots at their next attempt; progress and each saved image go out as events."""
    from tools.generate import GenerateError, jobs_for_plan

    try:
        jobs = jobs_for_plan(plan, shots=pending, attempt=attempts, **sizes)
    except ValueError as err:
        raise GenerationError(str(err)) from None

    def progress(stage: str, done: int, total: int) -> None:
        emit(Progress(stage=stage, done=done, total=total))

    def saved(item) -> None:
        emit(ImageSaved(shot_id=item.job.shot_id, path=str(item.path), seed=item.job.seed))

    try:
        return render(jobs, progress=progress, on_saved=saved, cancel=cancel)
    except GenerateError as err:
        raise generation_error(err) from None


def _check_round(plan: ShotPlan, images: list, check: Callable[[str, Any], QCReport], *, emit: Emit,
                 latest: dict[str, tuple[str, str]], revise: Reviser | None) -> list[str]:
    """QC every image, record it on its shot, revise the prompts of those that failed; the failing shot ids."""
    failing = []
    for index, item in enumerate(images, start=1):
        shot = plan.shot(item.job.shot_id)
        emit(Progress(stage="qc", done=index - 1, total=len(images)))
        report = check(str(item.path), item.job)
        emit(Progress(stage="qc", done=index, total=len(images)))
        emit(QCReported(shot_id=shot.id, report=report))
        shot.renders.append(Render(path=str(item.path), seed=item.job.seed, attempt=item.job.attempt, qc=report))
        latest[shot.id] = (f"{shot.id} a{item.job.attempt} {'ok' if report.passed else 'fail'}", str(item.path))
        if not report.passed:
            failing.append(shot.id)
            if revise is not None:  # the last round's failures keep their prompt: nothing renders it again
                shot.prompt = revise_prompt(shot.prompt, revise(shot, report))
    return failing


def _write_sheet(entries, contact_sheet: str | Path) -> None:
    from tools.generate import write_contact_sheet

    try:
        write_contact_sheet(entries, contact_sheet)
    except OSError as err:
        raise generation_error(err, doing=f"write the contact sheet {contact_sheet}") from None


def summarize(plan: ShotPlan) -> str:
    """One line per rendered shot: attempts and the final verdict."""
    lines = []
    for shot in plan.shots:
        if not shot.renders:
            continue
        last = shot.renders[-1]
        verdict = "pass" if last.qc and last.qc.passed else "fail"
        failed = [name for name, c in (last.qc.criteria.items() if last.qc else []) if c.status == "fail"]
        lines.append(f"{shot.id}: {len(shot.renders)} render(s), last {verdict}"
                     + (f" ({', '.join(failed)})" if failed else "") + f" -> {last.path}")
    return "\n".join(lines)


def reviser_for(config) -> Reviser:
    """With a model configured it decides the revisions through a tool; offline, QC's own mapping does."""
    if config.offline:
        return offline_revisions
    from agent.reviser import ModelReviser

    return ModelReviser(config)
