"""`ecu eval [PATH ...]`: run the brief suite, grade the plans, report and compare."""

from __future__ import annotations

import argparse
import sys

from agent.config import Config

HELP = ("grade plans against the eval suite (default: evals/briefs); exit 0 as expected (every case passes or is "
        "a marked known failure), 1 on a new failure, 2 on errors")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="case files or folders of them (default: the shipped evals/briefs suite)")
    parser.add_argument("--json", metavar="OUT", help="write the JSON report to OUT (atomically)")
    parser.add_argument("--html", metavar="OUT", help="write a self-contained HTML report to OUT")
    parser.add_argument("--model", help="litellm model name (default: ECU_MODEL; none means offline)")
    parser.add_argument("--api-base", help="OpenAI-compatible API base URL (default: ECU_API_BASE)")
    parser.add_argument("--concurrency", type=_positive, default=4, metavar="N",
                        help="cases planned at once (default: 4)")
    parser.add_argument("--repeat", type=_positive, default=1, metavar="K",
                        help="run each case K times and report pass@k and pass^k (default: 1)")
    parser.add_argument("--baseline", metavar="PREV.json", help="a previous --json report: print regressions "
                        "and improvements per case")
    parser.add_argument("--filter", action="append", metavar="PATTERN",
                        help="only cases whose id contains PATTERN, matches it as a glob ('skin*'), or whose "
                        "vertical is PATTERN; repeatable")
    parser.add_argument("--judge", metavar="MODEL", help="also grade each plan with a model rubric (litellm model; "
                        "verdicts cached under $ECU_HOME/judge-cache)")
    parser.add_argument("--judge-api-base", metavar="URL", help="API base URL for the judge model")
    parser.add_argument("--quiet", action="store_true", help="no progress and no per-case table; summary only")


class _ProgressLine:
    """A progress bar on a terminal; a few plain lines when stderr is a file or a pipe."""

    def __init__(self, stream=None, enabled: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.failed = 0
        self.next_mark = 0.25
        self.drawn = False
        self.width = 0

    def __call__(self, done: int, total: int, case, trial) -> None:
        self.failed += not trial.passed
        if not self.enabled:
            return
        if self.tty:
            width = 24
            filled = int(width * done / total)
            import shutil

            columns = shutil.get_terminal_size((100, 24)).columns - 1
            line = (f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}  "
                    f"{done - self.failed} pass, {self.failed} fail  {case.id}")
            self.width = min(max(self.width, len(line)), columns)
            self.stream.write("\r" + line[:columns].ljust(self.width))
            self.stream.flush()
            self.drawn = True
        elif done / total >= self.next_mark or done == total:
            while self.next_mark <= done / total:
                self.next_mark += 0.25
            self.stream.write(f"eval: {done}/{total} runs done, {self.failed} failing\n")
            self.stream.flush()

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()


def run(args: argparse.Namespace, settings) -> int:
    import asyncio

    from agent.errors import InputError
    from evals.cases import load_cases
    from evals.report import (
        compare,
        load_baseline,
        render_comparison,
        render_html,
        render_summary,
        render_table,
        to_json,
        write_html,
        write_json,
    )
    from evals.runner import agent_planner, run_suite

    cases = load_cases(args.paths or None, args.filter)
    baseline = load_baseline(args.baseline) if args.baseline else None
    config = Config.from_settings(settings)
    planner = agent_planner(config)
    judge = None
    if args.judge:
        from evals.judge import Judge

        judge = Judge(args.judge, api_base=args.judge_api_base, cache_dir=config.home / "judge-cache")

    progress = _ProgressLine(enabled=not args.quiet)
    try:
        suite = asyncio.run(run_suite(cases, planner, concurrency=args.concurrency, repeat=args.repeat,
                                      judge=judge, model=config.model, on_progress=progress))
    finally:
        progress.close()

    comparison = compare(suite, baseline, args.baseline) if baseline is not None else None
    out = sys.stdout
    if not args.quiet:
        out.write(render_table(suite) + "\n\n")
    out.write(render_summary(suite.summary()) + "\n")
    if comparison is not None:
        out.write("\n" + render_comparison(comparison) + "\n")
    out.flush()

    for path, write, payload in ((args.json, write_json, lambda: to_json(suite, comparison)),
                                 (args.html, write_html, lambda: render_html(suite, comparison))):
        if not path:
            continue
        try:
            write(path, payload())
        except OSError as err:
            raise InputError(f"cannot write report {path}: {err.strerror or err}") from None
        print(f"wrote {path}", file=sys.stderr)
    return 0 if suite.as_expected else 1
