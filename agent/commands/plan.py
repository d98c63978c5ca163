"""`ecu plan BRIEF`: plan a brief and print or save the shot plan."""

from __future__ import annotations

import argparse
import sys

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
    parser.add_argument("--verbose", action="store_true", help="show tool calls as they happen (on stderr)")
    parser.add_argument("--generate", action="store_true",
                        help="then render the shots, QC them and regenerate the failing ones (plan JSON gains renders)")
    parser.add_argument("--max-rounds", type=int, default=3,
                        help="with --generate: rounds of render + QC, the first included (default: 3)")
    from agent.commands.generate import add_generation_options

    add_generation_options(parser, out_flag="--image-dir")


def check_max_details(value: int | None) -> None:
    """--max-details is checked before any work: a campaign carries at most MAX_ECUS details (docs/contract.md)."""
    from agent.errors import InputError
    from agent.models import MAX_ECUS

    if value is not None and not 1 <= value <= MAX_ECUS:
        raise InputError(f"--max-details must be between 1 and {MAX_ECUS} (got {value})")


def run(args: argparse.Namespace) -> int:
    from agent.briefs import read_brief
    from agent.config import Config
    from agent.runner import plan_with_progress
    from tools.export import render_plan

    check_max_details(args.max_details)
    brief = read_brief(args.brief)
    config = Config.from_env(model=args.model, api_base=args.api_base)
    plan = plan_with_progress(brief, config, verbose=args.verbose, max_details=args.max_details)
    if args.generate:
        from agent.iterate import refine_from_args

        plan = refine_from_args(plan, args, name="stdin" if args.brief == "-" else args.brief)
    fmt = "json" if args.json else (args.format or "table")
    output = render_plan(plan, fmt)
    if args.out:
        from tools.storage import atomic_write_text

        atomic_write_text(args.out, output + "\n")
        print(f"wrote {fmt} plan to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(output + "\n")
    return 0
