"""Plan renderings: a readable terminal table, Markdown and CSV shot lists, JSON."""

from __future__ import annotations

import csv
import io
import textwrap

from agent.models import ShotPlan, humanize

_CSV_COLUMNS = ("id", "scale", "purpose", "deliverable", "aspect_ratio", "placement", "detail", "category", "why",
                "evidence", "source", "source_reason", "lens", "aperture", "lighting", "prompt", "negative")


def render_plan(plan: ShotPlan, fmt: str) -> str:
    if fmt == "json":
        return plan.model_dump_json(indent=2)
    if fmt == "markdown":
        return to_markdown(plan)
    if fmt == "csv":
        return to_csv(plan)
    return to_table(plan)


_SOURCE_WORDS = {"generate": "generate", "photograph": "photograph", "screen_capture": "screen capture"}


def _row(plan: ShotPlan, shot) -> dict[str, str]:
    detail = shot.detail
    return {
        "id": shot.id, "scale": shot.scale, "purpose": shot.purpose, "deliverable": shot.deliverable,
        "aspect_ratio": plan.shot_ratio(shot), "placement": shot.placement,
        "detail": detail.name if detail else "", "category": detail.category if detail else "",
        "why": detail.why if detail else "", "evidence": detail.evidence if detail else "",
        "source": shot.source, "source_reason": shot.source_reason, "lens": shot.camera.lens,
        "aperture": shot.camera.aperture, "lighting": shot.camera.lighting, "prompt": shot.prompt.text,
        "negative": shot.prompt.negative,
    }


def to_csv(plan: ShotPlan) -> str:
    """The shot list, one row per shot; the plan's questions follow as rows whose id is "question"."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=_CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for shot in plan.shots:
        writer.writerow(_row(plan, shot))
    for question in plan.questions:
        writer.writerow({"id": "question", "why": question})
    return out.getvalue()


def _words(labels: list[str]) -> str:
    return ", ".join(humanize(label) for label in labels) or "-"


def _to_be_shot(plan: ShotPlan) -> list[str]:
    return [f"{s.id} ({_SOURCE_WORDS[s.source]}): {s.source_reason or 'planned as a real ' + _SOURCE_WORDS[s.source]}"
            for s in plan.shots if s.source != "generate"]


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(plan: ShotPlan) -> str:
    brief = plan.brief
    lines = [
        f"# ECU shot plan: {brief.product}",
        "",
        f"- **Channels:** {_words(brief.channels)}  ",
        f"- **Aspect ratio:** {plan.aspect_summary()}  ",
        f"- **Goals:** {', '.join(brief.goals) or '-'}",
        *(f"- **Assumed:** {_md(assumption)}" for assumption in brief.assumptions),
        "",
        "## Shot list",
        "",
        "| # | Scale | Purpose | Deliverable | Aspect | Placement | Detail | Job | Source | Lens | Aperture |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for shot in plan.shots:
        r = _row(plan, shot)
        lines.append(f"| {r['id']} | {r['scale']} | {r['purpose']} | {_md(r['deliverable'] or '-')} "
                     f"| {r['aspect_ratio']} | {_md(r['placement'])} | {_md(r['detail'])} | {r['category']} "
                     f"| {_SOURCE_WORDS[shot.source]} | {_md(r['lens'])} | {r['aperture']} |")
    if real := _to_be_shot(plan):
        lines += ["", "## To be shot, not generated", ""] + [f"- {_md(line)}" for line in real]
    if plan.questions:
        lines += ["", "## Questions", ""] + [f"{n}. {_md(q)}" for n, q in enumerate(plan.questions, start=1)]
    if plan.flags:
        lines += ["", "## Flags", ""]
        for flag in plan.flags:
            lines.append(f"- **{flag.kind}** ({flag.severity}): {_md(flag.message)} Fix: {_md(flag.fix)}")
    if plan.dismissed_flags:
        lines += ["", "## Dismissed flags", ""]
        lines += [f"- **{d.kind}**: {_md(d.reason)}" for d in plan.dismissed_flags]
    lines += ["", "## Prompts", ""]
    for shot in plan.shots:
        lines += [f"**{shot.id}** {shot.prompt.text}", "", f"*Negative:* {shot.prompt.negative}", ""]
    return "\n".join(lines)


def to_table(plan: ShotPlan, width: int = 100) -> str:
    """The default terminal view: brief summary, shots, flags, then the ECU prompts."""
    brief = plan.brief
    out = [f"Product: {brief.product}   Vertical: {humanize(brief.vertical) or '-'}   Aspect: {plan.aspect_summary()}",
           f"Channels: {_words(brief.channels)}   Goals: {', '.join(brief.goals) or '-'}"]
    out += [textwrap.fill(f"Assumed: {a}", width, subsequent_indent="    ") for a in brief.assumptions]
    out.append("")
    headers = ("ID", "SCALE", "PURPOSE", "FOR", "ASPECT", "SOURCE", "PLACEMENT", "DETAIL", "JOB")
    rows = [(s.id, s.scale, s.purpose, s.deliverable.removeprefix("instagram_") or "-", plan.shot_ratio(s),
             _SOURCE_WORDS[s.source],
             s.placement, s.detail.name if s.detail else "-", s.detail.category if s.detail else "-")
            for s in plan.shots]
    widths = [min(max(len(str(r[i])) for r in rows + [headers]), 44) for i in range(len(headers))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    out.append(fmt.format(*headers))
    out.append(fmt.format(*("-" * w for w in widths)))
    for row in rows:
        out.append(fmt.format(*(textwrap.shorten(str(c), w, placeholder="…") for c, w in zip(row, widths))))
    out.append("")
    if plan.flags:
        out.append("FLAGS")
        for flag in plan.flags:
            out.append(textwrap.fill(f"[{flag.severity}] {flag.kind}: {flag.message}", width, subsequent_indent="    "))
            out.append(textwrap.fill(f"fix: {flag.fix}", width, initial_indent="    ", subsequent_indent="    "))
    else:
        out.append("FLAGS  none")
    for d in plan.dismissed_flags:
        out.append(textwrap.fill(f"dismissed {d.kind}: {d.reason}", width, subsequent_indent="    "))
    if real := _to_be_shot(plan):
        out += ["", "TO BE SHOT (not generated)"]
        out += [textwrap.fill(line, width, initial_indent="  ", subsequent_indent="    ") for line in real]
    if plan.questions:
        out += ["", "QUESTIONS"]
        out += [textwrap.fill(f"{n}. {q}", width, initial_indent="  ", subsequent_indent="     ")
                for n, q in enumerate(plan.questions, start=1)]
    out += ["", "PROMPTS"]
    for shot in plan.shots:
        out.append(textwrap.fill(f"{shot.id}: {shot.prompt.text}", width, subsequent_indent="    "))
    return "\n".join(out)
