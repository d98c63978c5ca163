"""`ecu qc IMAGE...`: check rendered images against the five QC criteria and propose prompt revisions."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HELP = ("check images or folders of them for focus, texture, crop and artifacts (exit 1 when any image fails, "
        "2 when one cannot be checked)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("images", nargs="+", metavar="IMAGE",
                        help="image files (PNG, JPEG, ...) or folders of them "
                             "(every image in it, contact sheets left out)")
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


IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff"})
CONTACT_SHEET_PREFIX = "contact-sheet-"  # tools.generate's per-run index of the images, not a shot to check


def image_paths(entries: list[str]) -> list[str]:
    """The images named, a folder standing for every image in it (sorted, not recursive, contact sheets left out)."""
    from agent.errors import InputError

    paths: list[str] = []
    for entry in entries:
        folder = Path(entry)
        if not folder.is_dir():
            paths.append(entry)
            continue
        found = sorted(str(p) for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
                       and not p.name.startswith(CONTACT_SHEET_PREFIX))
        if not found:
            raise InputError(f"no images in folder {entry}")
        paths.extend(found)
    return paths


def check_one(image: str, kwargs: dict):
    """One image's QC report; a one-line reason (str) when it cannot be checked. Pillow's size warning -> notice."""
    import warnings

    from PIL import Image

    from tools.qc import assess

    path = Path(image)
    if not path.is_file():
        return f"image {image} not found"
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", Image.DecompressionBombWarning)
            report = assess(path, name=image, **kwargs)
    except Image.DecompressionBombError:
        return f"{image}: too many pixels to check safely (Pillow's limit is {Image.MAX_IMAGE_PIXELS:,} pixels)"
    except ValueError as err:
        return f"{image}: {err}"
    except OSError as err:
        return f"cannot read image {image}: {getattr(err, 'strerror', None) or err}"
    if any(issubclass(w.category, Image.DecompressionBombWarning) for w in caught):
        print(f"ecu: notice: {image} is a very large image (over {Image.MAX_IMAGE_PIXELS:,} pixels); checked anyway",
              file=sys.stderr)
    return report


def run(args: argparse.Namespace, settings) -> int:
    from agent.errors import InputError
    from tools.qc import make_vision_judge, parse_region

    try:
        region = parse_region(args.focus)
    except ValueError as err:
        raise InputError(str(err)) from None
    images = image_paths(args.images)
    vision = None
    if settings.vision_model:
        from agent.llm_client import litellm_completion

        vision = make_vision_judge(settings.vision_model, completion=litellm_completion, api_base=settings.api_base)
    kwargs = {"region": region, "vision": vision}
    if args.subject:
        kwargs["subject"] = args.subject
    if args.scale:
        kwargs["scale"] = args.scale
    failed, unchecked = 0, []
    for image in images:  # one image that cannot be checked is reported and the rest still are
        report = check_one(image, kwargs)
        if isinstance(report, str):
            unchecked.append(report)
            line = json.dumps({"image": image, "passed": False, "error": report}, ensure_ascii=False) if args.json \
                else f"{image}: FAIL (not checked: {report})"
        else:
            failed += not report.passed
            line = json.dumps(report.model_dump(mode="json"), ensure_ascii=False) if args.json else describe(report)
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    if unchecked:
        raise InputError(unchecked[0] if len(images) == 1 else
                         f"{len(unchecked)} of {len(images)} images could not be checked (first: {unchecked[0]})")
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
