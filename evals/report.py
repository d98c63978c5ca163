"""Reports of a suite run: JSON, a terminal table, a self-contained HTML page, and baseline comparison."""

from __future__ import annotations

import html
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.errors import InputError
from agent.models import humanize
from agent.outputs import atomic_write_text
from evals.runner import FAIL, FIXED, KNOWN, PASS, CaseResult, SuiteResult, Trial

METRICS = ("pass_rate", "detail_recall", "category_accuracy", "flag_recall", "flag_false_positive_rate",
           "formula_completeness", "subject_first")
LOWER_IS_BETTER = {"flag_false_positive_rate"}
REPORT_VERSION = 1


# --- JSON -------------------------------------------------------------------------------------------

def _trial_dict(trial: Trial) -> dict[str, Any]:
    return {"index": trial.index, "passed": trial.passed, "failures": trial.failures,
            "seconds": round(trial.seconds, 4), "usage": trial.usage, "checks": trial.checks,
            "judge": trial.judge, "error": trial.error,
            "plan": trial.plan.model_dump(mode="json") if trial.plan is not None else None}


def case_dict(result: CaseResult) -> dict[str, Any]:
    shown = result.shown
    usage = dict(shown.usage)
    usage["wall_seconds"] = round(shown.seconds, 4)
    data: dict[str, Any] = {
        "id": result.case.id,
        "passed": result.passed,
        "status": result.status,
        "known_failure": result.case.known_failure,
        "failures": result.failures,
        "plan": shown.plan.model_dump(mode="json") if shown.plan is not None else None,
        "usage": usage,
        "path": result.case.path,
        "vertical": result.case.vertical,
        "expect": result.case.expect.model_dump(mode="json", by_alias=True, exclude_none=True),
        "checks": shown.checks,
        "runs": len(result.trials),
        "pass_count": result.pass_count,
    }
    if shown.judge is not None:
        data["judge"] = shown.judge
    if len(result.trials) > 1:
        data["trials"] = [_trial_dict(trial) for trial in result.trials]
    return data


def to_json(suite: SuiteResult, comparison: Comparison | None = None) -> dict[str, Any]:
    report: dict[str, Any] = {"version": REPORT_VERSION, "summary": suite.summary(),
                              "cases": [case_dict(result) for result in suite.results]}
    if comparison is not None:
        report["baseline"] = comparison.to_dict()
    return report


def write_json(path: str | Path, report: dict[str, Any]) -> None:
    atomic_write_text(path, json.dumps(report, indent=2, ensure_ascii=False) + "\n")


# --- baseline ----------------------------------------------------------------------------------------

@dataclass
class Comparison:
    path: str
    regressions: list[dict[str, Any]] = field(default_factory=list)   # passed before, fails now
    improvements: list[str] = field(default_factory=list)             # failed before, passes now
    new: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    metrics: dict[str, dict[str, float | None]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "regressions": self.regressions, "improvements": self.improvements,
                "new": self.new, "missing": self.missing, "metrics": self.metrics}


def load_baseline(path: str | Path) -> dict[str, Any]:
    """A previous JSON report; InputError (exit 2) when it is missing or not one."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: baseline report not found") from None
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot read baseline report: {err}") from None
    except json.JSONDecodeError as err:
        raise InputError(f"{path}: baseline is not JSON (line {err.lineno}: {err.msg})") from None
    cases = data.get("cases") if isinstance(data, dict) else None
    if not isinstance(cases, list) or not all(isinstance(c, dict) and "id" in c and "passed" in c for c in cases):
        raise InputError(f"{path}: not an `ecu eval --json` report (needs cases with id and passed)")
    return data


def compare(suite: SuiteResult, baseline: dict[str, Any], path: str = "") -> Comparison:
    before = {case["id"]: case for case in baseline["cases"]}
    comparison = Comparison(path=str(path))
    now_ids = set()
    for result in suite.results:
        now_ids.add(result.case.id)
        old = before.get(result.case.id)
        if old is None:
            comparison.new.append(result.case.id)
        elif old["passed"] and not result.passed:
            comparison.regressions.append({"id": result.case.id, "failures": result.failures})
        elif not old["passed"] and result.passed:
            comparison.improvements.append(result.case.id)
    comparison.missing = [case_id for case_id in before if case_id not in now_ids]
    old_summary = baseline.get("summary") or {}
    new_summary = suite.summary()
    for metric in METRICS:
        old, new = old_summary.get(metric), new_summary.get(metric)
        if isinstance(old, (int, float)) or isinstance(new, (int, float)):
            delta = round(new - old, 4) if isinstance(old, (int, float)) and isinstance(new, (int, float)) else None
            comparison.metrics[metric] = {"before": old, "after": new, "delta": delta}
    return comparison


def render_comparison(comparison: Comparison) -> str:
    lines = [f"Compared with baseline {comparison.path}:"]
    if comparison.regressions:
        lines.append(f"  {len(comparison.regressions)} regression(s):")
        for item in comparison.regressions:
            reason = item["failures"][0] if item["failures"] else "failed"
            lines.append(f"    REGRESSED  {item['id']}: {reason}")
    else:
        lines.append("  no regressions")
    if comparison.improvements:
        lines.append(f"  {len(comparison.improvements)} improvement(s):")
        lines.extend(f"    IMPROVED   {case_id}" for case_id in comparison.improvements)
    if comparison.new:
        lines.append(f"  new cases: {', '.join(comparison.new)}")
    if comparison.missing:
        lines.append(f"  not run now: {', '.join(comparison.missing)}")
    changed = [(m, d) for m, d in comparison.metrics.items() if d["delta"]]
    for metric, d in changed:
        better = (d["delta"] < 0) if metric in LOWER_IS_BETTER else (d["delta"] > 0)
        lines.append(f"  {metric}: {_num(d['before'])} -> {_num(d['after'])} "
                     f"({d['delta']:+.3f}, {'better' if better else 'worse'})")
    return "\n".join(lines)


# --- terminal -----------------------------------------------------------------------------------------

def _num(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    if width <= 1:
        return ""
    return text if len(text) <= width else text[: width - 1] + "…"


VERDICTS = {PASS: "PASS", FAIL: "FAIL", KNOWN: "KNOWN", FIXED: "FIXED"}


def render_table(suite: SuiteResult, width: int | None = None) -> str:
    """One row per case, then the reasons of new failures, known failures and fixed cases, each apart."""
    width = width or shutil.get_terminal_size((120, 24)).columns
    id_width = max([len("case")] + [len(r.case.id) for r in suite.results])
    repeat = suite.repeat > 1
    header = f"{'verdict':<8} {'case':<{id_width}} {'shots':>5} {'ecu':>3} {'secs':>6}  flags / first failure"
    rows = [header, "-" * min(width, max(len(header), 60))]
    for result in suite.results:
        shown = result.shown
        plan = shown.plan
        verdict = VERDICTS[result.status] + (f" {result.pass_count}/{len(result.trials)}" if repeat else "")
        shots = len(plan.shots) if plan else 0
        ecus = len(plan.ecu_shots()) if plan else 0
        if result.passed:
            note = ", ".join(sorted(plan.flag_kinds())) if plan and plan.flags else "no flags"
        else:
            note = result.failures[0] if result.failures else "failed"
        prefix = f"{verdict:<8} {result.case.id:<{id_width}} {shots:>5} {ecus:>3} {shown.seconds:>6.2f}  "
        rows.append(prefix + _clip(note, width - len(prefix)))
    sections = ((FAIL, "Failures:"), (KNOWN, "Known failures (marked known_failure in the case file):"),
                (FIXED, "Fixed (marked known_failure, now passing: the mark can go):"))
    for status, title in sections:
        results = suite.with_status(status)
        if not results:
            continue
        rows += ["", title]
        for result in results:
            rows.append(f"  {result.case.id}" + (f" ({result.case.path})" if result.case.path else ""))
            if result.case.known_failure:
                rows.append(f"    known failure: {result.case.known_failure}")
            rows.extend(f"    - {reason}" for reason in result.failures)
    return "\n".join(rows)


def _verdict_line(summary: dict[str, Any]) -> str:
    """Whether the run went as expected, with the known failures and fixed cases counted apart."""
    parts = []
    if summary.get("known_failures"):
        parts.append(f"{summary['known_failures']} known failure(s)")
    if summary.get("fixed"):
        parts.append(f"{len(summary['fixed'])} fixed ({', '.join(summary['fixed'])})")
    new = summary.get("new_failures", summary.get("failed", 0))
    parts.append(f"{new} new failure(s)" if new else "as expected")
    return "; ".join(parts)


def render_summary(summary: dict[str, Any]) -> str:
    lines = [f"{summary['passed']}/{summary['cases']} cases passed"
             + (f" ({summary['errors']} run errors)" if summary.get("errors") else "")
             + f" in {summary['wall_seconds']:.2f}s, model {summary['model']}, concurrency {summary['concurrency']}",
             f"  {_verdict_line(summary)}"]
    lines.extend(f"  {metric:<26} {_num(summary.get(metric))}" for metric in METRICS)
    if summary.get("repeat", 1) > 1:
        lines.append(f"  {'repeat (k)':<26} {summary['repeat']}")
        for key in ("pass@1", "pass@k", "pass^k"):
            lines.append(f"  {key:<26} {_num(summary.get(key))}")
    if latency := summary.get("latency_s"):
        lines.append(f"  {'latency per case (s)':<26} mean {latency['mean']:.3f}, p50 {latency['p50']:.3f}, "
                     f"p95 {latency['p95']:.3f}, max {latency['max']:.3f}")
    if "tokens_per_case" in summary:
        lines.append(f"  {'tokens per case':<26} {summary['tokens_per_case']:g} (total {summary['tokens_total']})")
        lines.append(f"  {'cost per case (USD)':<26} {summary['cost_usd_per_case']:.6f} "
                     f"(total {summary['cost_usd_total']:.6f})")
        lines.append(f"  {'model calls per case':<26} {summary['model_calls_per_case']:g}")
    if judge := summary.get("judge"):
        lines.append(f"  {'judge ' + judge['model']:<26} pass rate {_num(judge['pass_rate'])}, "
                     f"{judge['cached']} cached, {judge['errors']} errors")
    return "\n".join(lines)


# --- HTML ---------------------------------------------------------------------------------------------

_CSS = """
:root{--ok:#1a7f37;--bad:#cf222e;--ink:#1f2328;--mute:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--warn:#9a6700}
*{box-sizing:border-box}body{font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;
color:var(--ink);margin:0;background:#fff}main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}.mute{color:var(--mute)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:10px;margin:16px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 12px;background:var(--bg)}
.card b{display:block;font-size:20px}.card span{color:var(--mute);font-size:12px}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border-bottom:1px solid var(--line);padding:6px 8px;
text-align:left;vertical-align:top}th{background:var(--bg);font-weight:600;font-size:12px;color:var(--mute)}
.badge{display:inline-block;border-radius:12px;padding:0 9px;font-size:12px;font-weight:600;color:#fff;
white-space:nowrap}.badge.pass{background:var(--ok)}.badge.fail{background:var(--bad)}.badge.known{background:var(--warn)}
.badge.fixed{background:#0969da}td.case-id,td.vertical,.id{white-space:nowrap}
details.case{border:1px solid var(--line);border-radius:8px;margin:8px 0;background:#fff}
details.case>summary{cursor:pointer;padding:8px 12px;list-style:none;display:flex;gap:10px;align-items:center}
details.case>summary::-webkit-details-marker{display:none}
details.case[open]>summary{border-bottom:1px solid var(--line)}
details.case .body{padding:4px 14px 12px}.id{font-weight:600;font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
ul.reasons{color:var(--ink);background:#ffebe9;border-left:4px solid var(--bad);border-radius:4px;margin:6px 0;
padding:6px 10px 6px 28px}ul.reasons.known{background:#fff8c5;border-left-color:var(--warn)}
p.known{margin:6px 0}.prompt{font-size:13px}.neg{font-size:12px;color:var(--mute)}
.scale{font-family:ui-monospace,monospace;font-size:12px}.ecu{background:#fff8c5}
.sev-error{color:var(--bad);font-weight:600}.sev-warning{color:var(--warn);font-weight:600}.sev-info{color:var(--mute)}
pre.brief{white-space:pre-wrap;background:var(--bg);border-radius:6px;padding:10px;font-size:13px}
.chk{font-size:12px;margin-right:8px}.chk.ok{color:var(--ok)}.chk.no{color:var(--bad)}
.delta-good{color:var(--ok)}.delta-bad{color:var(--bad)}
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _card(label: str, value: Any) -> str:
    return f'<div class="card"><b>{_e(_num(value))}</b><span>{_e(label)}</span></div>'


def _expect_html(result: CaseResult) -> str:
    expect = result.case.expect
    items = [f"<li>{_e(d.describe())}</li>" for d in expect.details]
    if expect.flags:
        items.append(f"<li>flags raised: {_e(', '.join(expect.flags))}</li>")
    if expect.no_flags:
        items.append(f"<li>flags not raised: {_e(', '.join(expect.no_flags))}</li>")
    if expect.ecu_share:
        items.append(f"<li>ECU share within [{expect.ecu_share[0]:g}, {expect.ecu_share[1]:g}]</li>")
    items += [f"<li>detail matching {_e(term)} is {_e(source)}</li>" for term, source in expect.sources.items()]
    if expect.questions:
        items.append("<li>the plan asks the marketer something</li>")
    return f"<ul>{''.join(items)}</ul>" if items else '<p class="mute">no case-specific expectations</p>'


def _shots_html(trial: Trial) -> str:
    plan = trial.plan
    if plan is None:
        return '<p class="mute">no plan</p>'
    rows = []
    for shot in plan.shots:
        detail = ""
        if shot.detail is not None:
            detail = (f"<b>{_e(shot.detail.name)}</b><br><span class=\"mute\">{_e(shot.detail.category)}: "
                      f"{_e(shot.detail.why)}</span>")
        cls = ' class="ecu"' if shot.scale == "extreme_close_up" else ""
        source = _e(shot.source.replace("_", " ")) + (
            f"<br><span class=\"mute\">{_e(shot.source_reason)}</span>" if shot.source_reason else "")
        rows.append(
            f"<tr{cls}><td>{_e(shot.id)}</td><td class=\"scale\">{_e(shot.scale)}</td>"
            f"<td>{_e(shot.purpose)}<br><span class=\"mute\">{_e(shot.placement)}</span></td>"
            f"<td>{_e(shot.deliverable or '-')}<br><span class=\"mute\">{_e(plan.shot_ratio(shot))}</span></td>"
            f"<td>{detail}</td><td>{source}</td>"
            f"<td class=\"prompt\">{_e(shot.prompt.text)}"
            + (f"<div class=\"neg\">negative: {_e(shot.prompt.negative)}</div>" if shot.prompt.negative else "")
            + f"</td><td class=\"mute\">{_e(shot.camera.lens)}, {_e(shot.camera.aperture)}</td></tr>")
    table = ("<table><tr><th>shot</th><th>scale</th><th>purpose / placement</th><th>deliverable / aspect</th>"
             f"<th>detail</th><th>source</th><th>prompt</th><th>camera</th></tr>{''.join(rows)}</table>")
    if plan.questions:
        table += "<h4>Questions</h4><ol>" + "".join(f"<li>{_e(q)}</li>" for q in plan.questions) + "</ol>"
    if plan.dismissed_flags:
        table += "<h4>Dismissed flags</h4><ul>" + "".join(
            f"<li><b>{_e(d.kind)}</b>: {_e(d.reason)}</li>" for d in plan.dismissed_flags) + "</ul>"
    if plan.flags:
        flag_rows = "".join(
            f"<tr><td>{_e(f.kind)}</td><td class=\"sev-{_e(f.severity)}\">{_e(f.severity)}</td><td>{_e(f.message)}"
            f"</td><td>{_e(', '.join(f.shots))}</td><td>{_e(f.fix)}</td></tr>" for f in plan.flags)
        table += ("<h4>Flags</h4><table><tr><th>kind</th><th>severity</th><th>message</th><th>shots</th>"
                  f"<th>fix</th></tr>{flag_rows}</table>")
    else:
        table += '<p class="mute">No flags raised.</p>'
    return table


def _case_html(result: CaseResult, repeat: bool) -> str:
    shown = result.shown
    badge = result.status
    verdict = VERDICTS[badge] + (f" {result.pass_count}/{len(result.trials)}" if repeat else "")
    plan = shown.plan
    stats = f"{len(plan.shots)} shots, {len(plan.ecu_shots())} ECUs, {len(plan.flags)} flags" if plan else "no plan"
    checks = "".join(f'<span class="chk {"ok" if ok else "no"}">{"✓" if ok else "✗"} {_e(name)}</span>'
                     for name, ok in shown.checks.items())
    parts = [f'<details class="case" id="case-{_e(result.case.id)}"{"" if result.passed else " open"}>',
             f'<summary><span class="badge {badge}">{_e(verdict)}</span><span class="id">{_e(result.case.id)}</span>'
             f'<span class="mute">{_e(humanize(result.case.vertical or ""))} · {_e(stats)} · '
             f'{shown.seconds:.2f}s</span>'
             "</summary>", '<div class="body">']
    if result.case.known_failure:
        parts.append(f'<p class="known"><b>Known failure:</b> {_e(result.case.known_failure)}</p>')
    if result.failures:
        kind = "reasons known" if result.status == KNOWN else "reasons"
        parts.append(f'<ul class="{kind}">' + "".join(f"<li>{_e(r)}</li>" for r in result.failures) + "</ul>")
    parts.append(f"<div>{checks}</div>")
    if shown.judge:
        judge = shown.judge
        state = "error" if judge.get("error") else ("pass" if judge.get("passed") else "fail")
        parts.append(f"<p><b>Judge ({_e(judge.get('model'))}, {_e(state)}{', cached' if judge.get('cached') else ''}"
                     f"):</b> {_e(judge.get('error') or judge.get('critique'))}</p>")
    parts.append(f"<details><summary>Brief and expectations</summary><pre class=\"brief\">{_e(result.case.brief)}"
                 f"</pre>{_expect_html(result)}<p class=\"mute\">{_e(result.case.path)}</p></details>")
    parts.append(_shots_html(shown))
    parts.append("</div></details>")
    return "".join(parts)


def _comparison_html(comparison: Comparison) -> str:
    parts = [f"<h2>Compared with baseline</h2><p class=\"mute\">{_e(comparison.path)}</p>"]
    if comparison.regressions:
        parts.append("<p><b>Regressions</b></p><ul class=\"reasons\">" + "".join(
            f"<li><a href=\"#case-{_e(r['id'])}\">{_e(r['id'])}</a>: {_e(r['failures'][0] if r['failures'] else '')}"
            "</li>" for r in comparison.regressions) + "</ul>")
    else:
        parts.append("<p>No regressions.</p>")
    if comparison.improvements:
        parts.append("<p><b>Improvements</b>: " + ", ".join(
            f'<a href="#case-{_e(i)}">{_e(i)}</a>' for i in comparison.improvements) + "</p>")
    if comparison.new:
        parts.append(f"<p>New cases: {_e(', '.join(comparison.new))}</p>")
    if comparison.missing:
        parts.append(f"<p>Not run now: {_e(', '.join(comparison.missing))}</p>")
    rows = []
    for metric, d in comparison.metrics.items():
        delta = d["delta"]
        cls = ""
        if delta:
            better = delta < 0 if metric in LOWER_IS_BETTER else delta > 0
            cls = "delta-good" if better else "delta-bad"
        rows.append(f"<tr><td>{_e(metric)}</td><td>{_e(_num(d['before']))}</td><td>{_e(_num(d['after']))}</td>"
                    f"<td class=\"{cls}\">{_e('' if delta is None else f'{delta:+.3f}')}</td></tr>")
    if rows:
        parts.append("<table><tr><th>metric</th><th>before</th><th>after</th><th>change</th></tr>"
                     + "".join(rows) + "</table>")
    return "".join(parts)


def render_html(suite: SuiteResult, comparison: Comparison | None = None, title: str = "ecu eval") -> str:
    summary = suite.summary()
    repeat = suite.repeat > 1
    cards = [_card("cases passed", f"{summary['passed']}/{summary['cases']}"),
             _card("new failures", summary["new_failures"]), _card("known failures", summary["known_failures"])]
    if summary["fixed"]:
        cards.append(_card("fixed", len(summary["fixed"])))
    cards += [_card(humanize(metric), summary.get(metric)) for metric in METRICS]
    if repeat:
        cards += [_card(f"{key} (k={suite.repeat})", summary.get(key)) for key in ("pass@k", "pass^k")]
    if latency := summary.get("latency_s"):
        cards.append(_card("mean latency (s)", latency["mean"]))
    if "tokens_per_case" in summary:
        cards += [_card("tokens per case", summary["tokens_per_case"]),
                  _card("cost per case (USD)", summary["cost_usd_per_case"])]
    if judge := summary.get("judge"):
        cards.append(_card(f"judge pass rate ({judge['model']})", judge["pass_rate"]))
    index_rows = "".join(
        f"<tr><td><span class=\"badge {r.status}\">{VERDICTS[r.status]}</span></td>"
        f"<td class=\"case-id\"><a href=\"#case-{_e(r.case.id)}\">{_e(r.case.id)}</a></td>"
        f"<td class=\"vertical\">{_e(humanize(r.case.vertical or ''))}</td>"
        f"<td>{_e(r.failures[0] if r.failures else '')}</td></tr>"
        for r in suite.results)
    body = [
        f"<h1>{_e(title)}</h1>",
        f"<p class=\"mute\">model {_e(summary['model'])} · concurrency {summary['concurrency']} · "
        f"repeat {summary['repeat']} · wall time {summary['wall_seconds']:.2f}s · {_e(_verdict_line(summary))}</p>",
        f"<div class=\"cards\">{''.join(cards)}</div>",
    ]
    if comparison is not None:
        body.append(_comparison_html(comparison))
    body.append("<h2>Cases</h2><table><tr><th>verdict</th><th>case</th><th>vertical</th><th>first failure</th></tr>"
                f"{index_rows}</table>")
    for status, title in ((FAIL, "Failing cases"), (KNOWN, "Known failures"),
                          (FIXED, "Fixed (marked known_failure, now passing)"), (PASS, "Passing cases")):
        if results := suite.with_status(status):
            body.append(f"<h2>{title} ({len(results)})</h2>")
            body.extend(_case_html(r, repeat) for r in results)
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            f"<title>{_e(title)}</title><style>{_CSS}</style></head><body><main>{''.join(body)}</main></body></html>\n")


def write_html(path: str | Path, text: str) -> None:
    atomic_write_text(path, text)
