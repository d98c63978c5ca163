"""The bulk faces of `ecu plan` and `ecu generate`: a catalogue of SKUs in, a folder of plans and renders out.

`ecu plan BRIEF --catalog SKUS.csv --out DIR` plans the brief once and each SKU from it (tools.catalog);
`ecu generate DIR [--ray [ADDRESS]]` renders the whole family (tools.bulk_generate, tools.ray_backend).
The command modules only add the options and call these.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from agent.errors import InputError


def add_plan_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--catalog", metavar="SKUS",
                        help="a CSV or YAML catalogue (column sku, and any of product, colorway, material, detail, "
                             "angle, theme, reference): with --out DIR, one plan per SKU as a family, plus "
                             "DIR/catalog.json and DIR/shot-list.csv")


def add_generate_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reference-strength", type=float, default=None, metavar="S",
                        help="for a catalogue's SKUs with a reference photo: how far each image may move from "
                             "the photo, above 0 up to 1 (default: 0.6)")
    parser.add_argument("--ray", nargs="?", const="", default=None, metavar="ADDRESS",
                        help="for a catalogue folder: render on a Ray cluster at ADDRESS (none: a local Ray), "
                             "one pipeline per actor; needs the scale extra")
    parser.add_argument("--actors", type=int, default=None, metavar="N",
                        help="with --ray: actors in the pool (default: the cluster's GPUs, else 1)")


# -- ecu plan --catalog -----------------------------------------------------------------------------------


def plan_catalog(args: argparse.Namespace, brief: str, config) -> int:
    """Plan every SKU of the catalogue into the --out folder (the brief once, with `config`'s policy); bad rows
    are reported by line and skipped."""
    from agent.runner import plan_with_progress
    from tools.catalog import plan_family, write_family

    out = _catalog_out(args)
    rows, skipped = _catalog_rows(args.catalog)
    base = plan_with_progress(brief, config, verbose=args.verbose, max_details=args.max_details)
    family, plans = plan_family(brief, base, rows, source=str(Path(args.catalog).resolve()), skipped=skipped)
    try:
        written = write_family(out, family, plans)
    except OSError as err:
        raise InputError(f"--out: cannot write to {out} ({err.strerror or err})") from None
    for path in written:
        print(path, flush=True)
    skipped_note = f", {len(skipped)} row(s) skipped" if skipped else ""
    print(f"planned {len(plans)} SKU(s){skipped_note}: {len(family.shots)} shots each, "
          f"catalog.json and shot-list.csv in {out}", file=sys.stderr)
    return 0


def _catalog_out(args: argparse.Namespace) -> Path:
    if not args.out:
        raise InputError("--catalog needs --out DIR (the folder for the plans, catalog.json and shot-list.csv)")
    if args.generate:
        raise InputError("--catalog plans only; render the folder with `ecu generate DIR`")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out: {out} is a file; with --catalog it is a folder")
    return out


def _catalog_rows(catalog: str):
    """The catalogue's good rows and its skipped ones (each reported by line); at least one good row."""
    from tools.catalog import CatalogError, read_catalog

    try:
        rows, skipped = read_catalog(catalog)
    except CatalogError as err:
        raise InputError(str(err)) from None
    for bad in skipped:
        print(f"ecu: warning: {catalog} line {bad.line}: {bad.reason}; row skipped", file=sys.stderr)
    if not rows:
        raise InputError(f"no SKU in {catalog} could be planned ({len(skipped)} bad row(s))")
    return rows, skipped


# -- ecu generate DIR -------------------------------------------------------------------------------------


def is_catalog_folder(path: str) -> bool:
    return path != "-" and Path(path).is_dir()


def reject_bulk_options(args: argparse.Namespace) -> None:
    """--ray, --actors and --reference-strength are for a catalogue folder: on one plan file they would do nothing."""
    options = (("--ray", args.ray), ("--actors", args.actors), ("--reference-strength", args.reference_strength))
    for flag, value in options:
        if value is not None:
            raise InputError(f"{flag} is for a catalogue folder (from `ecu plan BRIEF --catalog`), not one plan file")


def generate_folder(args: argparse.Namespace, *, compile: bool, model: str | None = None) -> int:
    """Render every SKU of a planned catalogue folder, resumable, with one progress line for the whole job
    (the command has checked the shared generation options; `compile` is its --compile decision)."""
    from tools.bulk_generate import family_work, find_kept, new_run_id, not_generated
    from tools.catalog import CatalogError, read_family

    strength = _checked_folder_options(args)
    try:
        family, plans = read_family(args.plan)
    except CatalogError as err:
        raise InputError(str(err)) from None
    out_root = Path(args.image_dir) if args.image_dir else Path("out") / Path(args.plan).resolve().name
    work = family_work(family, plans, out_root, strength=strength, seed_base=args.seed_base, width=args.width,
                       height=args.height, attempt=args.attempt)
    for sku, shot_id, source, reason in not_generated(family, plans):
        print(f"to be shot: {sku} {shot_id} ({source.replace('_', ' ')}): {reason}", file=sys.stderr)
    model = model or args.image_model
    options = dict(model=model, device=args.device, steps=args.steps, guidance=args.guidance,
                   batch_size=args.batch, compile=compile, fuse_qkv=args.fuse_qkv)
    kept = find_kept(work, model=model, steps=args.steps, guidance=args.guidance) if args.resume else 0
    ray = None if args.ray is None else {"address": args.ray or None, "actors": args.actors}
    outcome = _render(work, options, out_root, ray, new_run_id())
    if outcome is None:
        return 130
    made, sheets, family_sheet = outcome
    where = "on Ray" if ray is not None else "locally"
    again = f"; kept {kept} already there" if kept else ""
    sheet_note = f"; family sheet {family_sheet.name}" if family_sheet else ""
    print(f"rendered {made} image(s) {where} for {len(work)} SKU(s){again}; {len(sheets)} contact sheet(s)"
          f"{sheet_note} in {out_root}", file=sys.stderr)
    return 0


def _checked_folder_options(args: argparse.Namespace) -> float:
    """The options only a catalogue folder takes, checked before any work; the reference strength to use."""
    from tools.bulk_generate import DEFAULT_STRENGTH

    if args.shots:
        raise InputError("--shots names one plan's shots; a catalogue folder renders every SKU")
    strength = DEFAULT_STRENGTH if args.reference_strength is None else args.reference_strength
    if not 0 < strength <= 1:
        raise InputError(f"--reference-strength must be above 0 and at most 1 (got {strength})")
    if args.actors is not None and args.actors < 1:
        raise InputError("--actors must be at least 1")
    if args.attempt < 1:
        raise InputError("--attempt must be at least 1")
    return strength


def _render(work, options: dict, out_root: Path, ray: dict | None, run_id: str):
    """Render the family and its contact sheets: (images made, SKU sheets, family sheet), or None when the
    user interrupted. Failures become the project's one-line errors (agent.errors.generation_error)."""
    from agent.errors import generation_error
    from tools.bulk_generate import render_family, write_sheets

    bar = _Bar()
    try:
        made = render_family(work, options, run_id=run_id, ray=ray, progress=bar,
                             on_saved=lambda sku, image: bar.line(str(image.path)))
        sheets, family_sheet = write_sheets(work, out_root, run_id)
    except KeyboardInterrupt:
        bar.close()
        print(f"ecu: interrupted; {sum(len(i.saved) for i in work)} image(s) written under {out_root}",
              file=sys.stderr)
        return None
    except Exception as err:
        bar.close()
        written = sum(len(item.saved) for item in work)
        raise generation_error(err, written=f"{written} image(s) written to {out_root}",
                               doing=f"write to {out_root}") from None
    bar.close()
    return made, sheets, family_sheet


class _Bar:
    """One progress line for the whole job on a terminal ("generating: 14/60 images"); saved paths on stdout."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.live = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.open = False

    def __call__(self, done: float, total: int) -> None:
        if self.live and total:
            self.stream.write(f"\rgenerating: {int(done)}/{total} images ({100 * done / total:.0f}%)")
            self.stream.flush()
            self.open = True

    def line(self, text: str) -> None:
        if self.open:
            self.stream.write("\r\033[K")
            self.open = False
            self.stream.flush()
        print(text, flush=True)

    def close(self) -> None:
        if self.open:
            self.stream.write("\n")
            self.open = False
