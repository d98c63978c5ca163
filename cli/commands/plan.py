"""`ecu plan BRIEF`: plan a brief and print or save the shot plan."""

from __future__ import annotations

import argparse
import sys

from agent.config import Config

HELP = "plan a brief (file or - for stdin) and print the ECU shot plan"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("brief", help="brief file, or - to read standard input")
    parser.add_argument("--json", action="store_true", help="print only the plan JSON (same as --format json)")
    parser.add_argument("--format", choices=("table", "json", "markdown", "csv"), default=None,
                        help="output format (default: table)")
    parser.add_argument("--out", metavar="FILE", help="write the output to FILE (atomically) instead of stdout")
    parser.add_argument("--model", help="litellm model name (default: ECU_MODEL; none means offline)")
    parser.add_argument("--api-base", help="OpenAI-compatible API base URL (default: ECU_API_BASE)")
    parser.add_argument("--max-details", type=int, default=None, metavar="N",
                        help="cap the number of ECU details, 1 to 6 (default: decided by the brief)")
    add_model_options(parser)
    parser.add_argument("--verbose", action="store_true", help="show tool calls as they happen (on stderr)")
    parser.add_argument("--generate", action="store_true",
                        help="then render the shots, QC them and regenerate the failing ones (plan JSON gains renders)")
    parser.add_argument("--max-rounds", type=int, default=3,
                        help="with --generate: rounds of render + QC, the first included (default: 3)")
    from cli.commands.generate import add_generation_options

    add_generation_options(parser, out_flag="--image-dir")
    from agent.bulk import add_plan_options

    add_plan_options(parser)


def add_model_options(parser: argparse.ArgumentParser) -> None:
    """Request settings for the model path; each also has an ECU_* variable (agent.settings.Settings)."""
    parser.add_argument("--temperature", type=float, default=None,
                        help="sampling temperature (default: ECU_TEMPERATURE, else the provider's own; "
                             "left out for models that refuse one)")
    parser.add_argument("--request-timeout", type=float, default=None, metavar="SECONDS",
                        help="seconds to wait for one model reply (default: ECU_REQUEST_TIMEOUT or 60)")
    parser.add_argument("--retries", type=int, default=None,
                        help="retries after a transient model error (default: ECU_MAX_RETRIES or 5)")


def check_max_details(value: int | None) -> None:
    """--max-details is checked before any work: a campaign carries at most MAX_ECUS details (docs/contract.md)."""
    from agent.errors import InputError
    from agent.models import MAX_ECUS

    if value is not None and not 1 <= value <= MAX_ECUS:
        raise InputError(f"--max-details must be between 1 and {MAX_ECUS} (got {value})")


def run(args: argparse.Namespace, settings) -> int:
    from agent.briefs import read_brief
    from agent.errors import LimitExceeded, ModelError
    from agent.runner import plan_with_progress
    from tools.export import render_plan

    check_max_details(args.max_details)
    brief = read_brief(args.brief)
    config = Config.from_settings(settings)
    if args.catalog:  # a family of plans, one per SKU (agent/bulk.py)
        from agent.bulk import plan_catalog

        return plan_catalog(args, brief, config)
    if args.out:
        _check_out(args.out)  # before planning: a bad --out should not cost a plan
    fmt = "json" if args.json else (args.format or "table")
    try:
        plan = plan_with_progress(brief, config, verbose=args.verbose, max_details=args.max_details)
    except (LimitExceeded, ModelError) as err:
        if err.plan is None or fmt != "json":
            raise
        # A stopped run still hands over its best valid plan: machine readers get it, marked incomplete.
        _write(args, fmt, incomplete_json(err.plan, str(err)))
        print(f"ecu: warning: {err}; printed the best valid plan so far, marked incomplete", file=sys.stderr)
        return err.exit_code
    if args.generate:
        from cli.commands.generate import refine_from_args

        plan = refine_from_args(plan, args, settings, name="stdin" if args.brief == "-" else args.brief)
    _write(args, fmt, render_plan(plan, fmt))
    return 0


def incomplete_json(plan, warning: str) -> str:
    """The plan JSON with `incomplete: true` and the reason first, so nobody mistakes it for a finished plan."""
    import json

    return json.dumps({"incomplete": True, "warning": warning, **plan.model_dump(mode="json")}, indent=2,
                      ensure_ascii=False)


def _write(args: argparse.Namespace, fmt: str, output: str) -> None:
    if args.out:
        from tools.storage import atomic_write_text

        try:
            atomic_write_text(args.out, output + "\n")
        except OSError as err:
            raise _out_error(args.out, err) from None
        print(f"wrote {fmt} plan to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(output + "\n")


def _check_out(out: str) -> None:
    from tools.storage import write_target

    try:
        write_target(out)
    except OSError as err:
        raise _out_error(out, err) from None


def _out_error(out: str, err: OSError):
    """--out that cannot be written: one line, exit 2 (the path is the user's input)."""
    from agent.errors import InputError
    from tools.storage import UnwritablePath

    reason = str(err) if isinstance(err, UnwritablePath) else f"cannot write {out} ({err.strerror or err})"
    return InputError(f"--out: {reason}")
