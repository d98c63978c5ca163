"""Plan renderings: a readable terminal table, Markdown and CSV shot lists, JSON."""

from __future__ import annotations

import csv
import io
import textwrap

from agent.models import ShotPlan, humanize

FORMATS = ("table", "json", "markdown", "csv")
_CSV_COLUMNS = ("id", "scale", "purpose", "placement", "detail", "category", "why", "lens", "aperture",
                "lighting", "prompt", "negative")


def render_plan(plan: ShotPlan, fmt: str) -> str:
    if fmt == "json":
        return plan.model_dump_json(indent=2)
    if fmt == "markdown":
        return to_markdown(plan)
    if fmt == "csv":
        return to_csv(plan)
    return to_table(plan)


def _row(shot) -> dict[str, str]:
    detail = shot.detail
    return {
        "id": shot.id, "scale": shot.scale, "purpose": shot.purpose, "placement": shot.placement,
        "detail": detail.name if detail else "", "category": detail.category if detail else "",
        "why": detail.why if detail else "", "lens": shot.camera.lens, "aperture": shot.camera.aperture,
        "lighting": shot.camera.lighting, "prompt": shot.prompt.text, "negative": shot.prompt.negative,
    }


def to_csv(plan: ShotPlan) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=_CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for shot in plan.shots:
        writer.writerow(_row(shot))
    return out.getvalue()


def _words(labels: list[str]) -> str:
    return ", ".join(humanize(label) for label in labels) or "-"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(plan: ShotPlan) -> str:
    brief = plan.brief
    lines = [
        f"# ECU shot plan: {brief.product}",
        "",
        f"- **Channels:** {_words(brief.channels)}  ",
        f"- **Aspect ratio:** {brief.aspect_ratio}  ",
        f"- **Goals:** {', '.join(brief.goals) or '-'}",
        *(f"- **Assumed:** {_md(assumption)}" for assumption in brief.assumptions),
        "",
        "## Shot list",
        "",
        "| # | Scale | Purpose | Placement | Detail | Job | Lens | Aperture |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for shot in plan.shots:
        r = _row(shot)
        lines.append(f"| {r['id']} | {r['scale']} | {r['purpose']} | {_md(r['placement'])} | {_md(r['detail'])} "
                     f"| {r['category']} | {_md(r['lens'])} | {r['aperture']} |")
    if plan.flags:
        lines += ["", "## Flags", ""]
        for flag in plan.flags:
            lines.append(f"- **{flag.kind}** ({flag.severity}): {_md(flag.message)} Fix: {_md(flag.fix)}")
    lines += ["", "## Prompts", ""]
    for shot in plan.shots:
        lines += [f"**{shot.id}** {shot.prompt.text}", "", f"*Negative:* {shot.prompt.negative}", ""]
    return "\n".join(lines)


def to_table(plan: ShotPlan, width: int = 100) -> str:
    """The default terminal view: brief summary, shots, flags, then the ECU prompts."""
    brief = plan.brief
    out = [f"Product: {brief.product}   Vertical: {humanize(brief.vertical) or '-'}   Aspect: {brief.aspect_ratio}",
           f"Channels: {_words(brief.channels)}   Goals: {', '.join(brief.goals) or '-'}"]
    out += [textwrap.fill(f"Assumed: {a}", width, subsequent_indent="    ") for a in brief.assumptions]
    out.append("")
    headers = ("ID", "SCALE", "PURPOSE", "PLACEMENT", "DETAIL", "JOB")
    rows = [(s.id, s.scale, s.purpose, s.placement, s.detail.name if s.detail else "-",
             s.detail.category if s.detail else "-") for s in plan.shots]
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
    out += ["", "PROMPTS"]
    for shot in plan.shots:
        out.append(textwrap.fill(f"{shot.id}: {shot.prompt.text}", width, subsequent_indent="    "))
    return "\n".join(out)
