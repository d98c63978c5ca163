"""`ecu qc IMAGE...`: check rendered images against the five QC criteria and propose prompt revisions."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

HELP = "check images for focus, texture, crop and artifacts (exit 1 when any image fails)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("images", nargs="+", metavar="IMAGE", help="image files (PNG, JPEG, ...)")
    parser.add_argument("--focus", metavar="X,Y,W,H",
                        help="intended sharp region, as fractions (0.3,0.3,0.4,0.4) or pixels (default: the centre)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per image (JSON Lines)")
    parser.add_argument("--subject", help="the detail that should be sharp, used in revisions "
                                          "(default: from the PNG's ecu parameters)")
    parser.add_argument("--scale", choices=("wide", "medium", "close_up", "extreme_close_up"), default=None,
                        help="shot scale; wider shots skip the ECU-only checks (default: from the PNG, else ECU)")
    parser.add_argument("--vision-model", metavar="M",
                        help="vision-capable litellm model for identity_clarity (default: ECU_VISION_MODEL; "
                             "none means not assessed)")
    parser.add_argument("--api-base", help="OpenAI-compatible API base for the vision model (default: ECU_API_BASE)")


def run(args: argparse.Namespace) -> int:
    from agent.errors import InputError
    from tools.qc import assess, make_vision_judge, parse_region

    try:
        region = parse_region(args.focus)
    except ValueError as err:
        raise InputError(str(err)) from None
    vision_model = args.vision_model or os.environ.get("ECU_VISION_MODEL") or None
    vision = None
    if vision_model:
        from agent.llm import litellm_completion

        vision = make_vision_judge(vision_model, completion=litellm_completion,
                                   api_base=args.api_base or os.environ.get("ECU_API_BASE") or None)
    failed = 0
    for image in args.images:
        path = Path(image)
        if not path.is_file():
            raise InputError(f"image {image} not found")
        kwargs = {"region": region, "vision": vision, "name": image}
        if args.subject:
            kwargs["subject"] = args.subject
        if args.scale:
            kwargs["scale"] = args.scale
        try:
            report = assess(path, **kwargs)
        except ValueError as err:
            raise InputError(f"{image}: {err}") from None
        except OSError as err:
            raise InputError(f"cannot read image {image}: {getattr(err, 'strerror', None) or err}") from None
        failed += not report.passed
        if args.json:
            sys.stdout.write(json.dumps(report.model_dump(mode="json"), ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(describe(report) + "\n")
        sys.stdout.flush()
    return 1 if failed else 0


def describe(report) -> str:
    lines = [f"{report.image}: {'PASS' if report.passed else 'FAIL'}"]
    for name, result in report.criteria.items():
        score = "  -  " if result.score is None else f"{result.score:.2f}"
        lines.append(f"  {name:<17} {result.status:<13} {score}  {result.evidence}")
    if report.revisions:
        lines.append("  revisions:")
        lines += [f"    - {revision}" for revision in report.revisions]
    return "\n".join(lines)
