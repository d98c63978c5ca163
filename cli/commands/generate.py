"""`ecu generate PLAN.json`: render every shot of a plan (or the named ones) with a local diffusion model."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from agent.config import Config

if TYPE_CHECKING:
    from agent.models import ShotPlan

HELP = ("render a plan's `generate` shots with a local diffusion model, each at its own aspect ratio (PNGs with "
        "parameters, manifest, contact sheet); shots to be photographed or screen-captured are listed, not rendered")


def add_generation_options(parser: argparse.ArgumentParser, *, out_flag: str = "--out") -> None:
    """The options `ecu generate` and `ecu plan --generate` share (the output folder flag may differ)."""
    parser.add_argument("--image-model", metavar="M",
                        help="diffusers model id or local folder (default: ECU_IMAGE_MODEL, "
                             "else black-forest-labs/FLUX.1-schnell)")
    parser.add_argument(out_flag, dest="image_dir", metavar="DIR",
                        help="folder for the PNGs, manifest.jsonl and contact sheet (default: out/<name>)")
    parser.add_argument("--steps", type=int, help="denoising steps (default: the model's, e.g. 4 for FLUX.1-schnell)")
    parser.add_argument("--guidance", type=float, help="guidance scale (default: the model's)")
    parser.add_argument("--batch", type=int, default=4, help="images per batch (halved on GPU out-of-memory)")
    parser.add_argument("--width", type=int, help="image width in pixels (default: from the plan's aspect ratio)")
    parser.add_argument("--height", type=int, help="image height in pixels (default: from the aspect ratio)")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto",
                        help="where to run (default: cuda when present, else cpu)")
    parser.add_argument("--seed-base", metavar="S",
                        help="seed base instead of the brief's hash; seeds derive from (base, shot, attempt)")
    parser.add_argument("--compile", action="store_true",
                        help="torch.compile the denoiser (CUDA only, slow first batch; skipped on CPU)")
    parser.add_argument("--fuse-qkv", action="store_true",
                        help="fuse attention Q/K/V projections (GPU recipe; faster on CUDA)")
    parser.add_argument("--resume", action=argparse.BooleanOptionalAction, default=True,
                        help="keep images already in the output folder with their manifest record, render only "
                             "the rest (default: on)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan", help="plan JSON file (from `ecu plan BRIEF --json`), or a catalogue folder "
                                     "(from `ecu plan BRIEF --catalog SKUS.csv --out DIR`): every SKU's plan")
    parser.add_argument("--shots", metavar="IDS", help="comma-separated shot ids to render, e.g. s2,s4 (default: all)")
    parser.add_argument("--attempt", type=int, default=1, help="attempt number, part of each seed (default: 1)")
    add_generation_options(parser)
    from agent.bulk import add_generate_options

    add_generate_options(parser)


def check_generation_options(args: argparse.Namespace) -> None:
    from agent.errors import InputError

    for name in ("steps", "batch"):
        value = getattr(args, name, None)
        if value is not None and value < 1:
            raise InputError(f"--{name} must be at least 1")
    for name in ("width", "height"):
        value = getattr(args, name, None)
        if value is not None and (value < 8 or value % 8):
            raise InputError(f"--{name} must be a positive multiple of 8 (got {value})")


def read_plan(path: str):
    from pydantic import ValidationError

    from agent.errors import InputError
    from agent.models import ShotPlan

    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"plan file {path} not found") from None
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read plan file {path}: {getattr(err, 'strerror', None) or err}") from None
    try:
        return ShotPlan.model_validate_json(text)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "plan"
        raise InputError(f"{path} is not a valid plan JSON ({where}: {first['msg']})") from None


class ProgressPrinter:
    """Events to stderr: a live step counter on a terminal, one line per saved image and QC verdict."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.live = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._open = False

    def __call__(self, event) -> None:
        from agent.events import ImageSaved, Progress, QCReported

        if isinstance(event, Progress) and event.stage == "generate":
            if self.live:
                self.stream.write(f"\rgenerating: {event.done}/{event.total} steps")
                self.stream.flush()
                self._open = True
        elif isinstance(event, ImageSaved):
            self._line(f"saved {event.path} (shot {event.shot_id}, seed {event.seed})")
        elif isinstance(event, QCReported):
            failed = [name for name, c in event.report.criteria.items() if c.status == "fail"]
            verdict = "pass" if event.report.passed else f"fail: {', '.join(failed)}"
            self._line(f"qc {event.shot_id}: {verdict}")

    def _line(self, text: str) -> None:
        if self._open:
            self.stream.write("\r\033[K")
            self._open = False
        print(text, file=self.stream, flush=True)

    def close(self) -> None:
        if self._open:
            self.stream.write("\n")
            self._open = False


def _compile_wanted(args: argparse.Namespace) -> bool:
    """--compile is for CUDA: on CPU it compiles for many minutes and gains nothing, so it is skipped, with a notice."""
    if not args.compile or args.device == "cuda":
        return bool(args.compile)
    from tools.generate import GenerateError, resolve_device

    try:
        on_cpu = resolve_device(args.device) == "cpu"
    except GenerateError:  # an unusable device is reported when generation starts
        return True
    if on_cpu:
        print("ecu: --compile is meant for CUDA; skipped on CPU", file=sys.stderr)
    return not on_cpu


def renderer_from_args(args: argparse.Namespace, out_dir: Path, *, model: str | None = None):
    """The renderer for the generation flags; `model` is the image_model setting (flag or ECU_IMAGE_MODEL)."""
    from tools.generate import Renderer

    return Renderer(out_dir, model=model, device=args.device, steps=args.steps,
                    guidance=args.guidance, batch_size=args.batch, compile=_compile_wanted(args),
                    fuse_qkv=args.fuse_qkv, resume=getattr(args, "resume", True))


def print_to_be_shot(plan, shots=None, stream=None) -> int:
    """List the shots that are photographed or screen-captured rather than generated; how many."""
    from tools.generate import to_be_shot

    stream = stream or sys.stderr
    listed = to_be_shot(plan, shots)
    for shot_id, source, reason in listed:
        print(f"to be shot: {shot_id} ({source.replace('_', ' ')}): {reason}", file=stream)
    return len(listed)


def run(args: argparse.Namespace, settings) -> int:
    from agent.errors import generation_error
    from agent.events import ImageSaved, Progress
    from agent.outputs import quiet_libraries

    check_generation_options(args)
    from agent.bulk import generate_folder, is_catalog_folder, reject_bulk_options

    if is_catalog_folder(args.plan):  # a planned catalogue: every SKU, one job (agent/bulk.py)
        quiet_libraries()
        return generate_folder(args, compile=_compile_wanted(args), model=settings.image_model)
    reject_bulk_options(args)
    plan, shots, jobs = _plan_jobs(args)
    quiet_libraries()
    from tools.generate import GenerateError, write_contact_sheet

    skipped = print_to_be_shot(plan, shots)
    if not jobs:
        print(f"nothing to render: {skipped} shot(s) are photographed or screen-captured", file=sys.stderr)
        return 0
    out_dir = Path(args.image_dir) if args.image_dir else Path("out") / (
        "stdin" if args.plan == "-" else Path(args.plan).stem)
    renderer = renderer_from_args(args, out_dir, model=settings.image_model)
    printer = ProgressPrinter()
    saved = []

    def on_saved(item) -> None:
        saved.append(item)
        printer(ImageSaved(shot_id=item.job.shot_id, path=str(item.path), seed=item.job.seed))
        print(item.path, flush=True)

    try:
        made = renderer(jobs, progress=lambda stage, done, total: printer(Progress(stage, done, total)),
                        on_saved=on_saved)
    except GenerateError as err:
        printer.close()
        raise generation_error(err) from None
    except KeyboardInterrupt:
        printer.close()
        print(f"ecu: interrupted; {len(saved)} image(s) written to {out_dir}", file=sys.stderr)
        return 130
    except Exception as err:  # a library failure mid-run: one line, the images written so far stay
        printer.close()
        raise generation_error(err, written=f"{len(saved)} image(s) written to {out_dir}") from None
    printer.close()
    kept = [item for item in made if item.resumed]
    for item in kept:
        print(item.path, flush=True)
    sheet = renderer.sheet_path
    try:
        write_contact_sheet([(f"{s.job.shot_id} a{s.job.attempt}", s.path) for s in made], sheet)
    except OSError as err:
        raise generation_error(err, doing=f"write the contact sheet {sheet}") from None
    again = f"; kept {len(kept)} already there (--no-resume renders them again)" if kept else ""
    print(f"wrote {len(saved)} image(s){again}, manifest.jsonl and {sheet.name} to {out_dir}", file=sys.stderr)
    return 0


def _plan_jobs(args: argparse.Namespace):
    """The plan file, the shots asked for (None: all) and the image jobs for them."""
    from agent.errors import InputError
    from tools.generate import jobs_for_plan

    plan = read_plan(args.plan)
    shots = [s.strip() for s in args.shots.split(",") if s.strip()] if args.shots else None
    if args.attempt < 1:
        raise InputError("--attempt must be at least 1")
    try:
        jobs = jobs_for_plan(plan, shots=shots, attempt=args.attempt, seed_base=args.seed_base,
                             width=args.width, height=args.height)
    except ValueError as err:
        raise InputError(str(err)) from None
    return plan, shots, jobs


def refine_from_args(plan: ShotPlan, args, settings, *, name: str) -> ShotPlan:
    """`ecu plan --generate`: the loop with the command's generation options, progress on stderr.

    identity_clarity is judged when ECU_VISION_MODEL names a vision-capable model (API base: ECU_API_BASE).
    """
    import sys

    from agent.errors import EcuError, GenerationError, generation_error
    from agent.iterate import refine, reviser_for, summarize
    from agent.outputs import quiet_libraries

    check_generation_options(args)
    if args.max_rounds < 1:
        raise GenerationError("--max-rounds must be at least 1")
    quiet_libraries()
    out_dir = Path(args.image_dir) if args.image_dir else Path("out") / Path(name).stem
    renderer = renderer_from_args(args, out_dir, model=settings.image_model)
    printer = ProgressPrinter()
    sheet = renderer.sheet_path
    vision = None
    if settings.vision_model:
        from agent.llm_client import litellm_completion
        from tools.qc import make_vision_judge

        vision = make_vision_judge(settings.vision_model, completion=litellm_completion, api_base=settings.api_base)
    revise = reviser_for(Config.from_settings(settings))
    print_to_be_shot(plan)
    try:
        plan = refine(plan, render=renderer, max_rounds=args.max_rounds, seed_base=args.seed_base,
                      width=args.width, height=args.height, emit=printer, contact_sheet=sheet, vision=vision,
                      revise=revise)
    except EcuError:
        printer.close()
        raise
    except Exception as err:  # a library failure mid-run: one line, the images written so far stay
        printer.close()
        raise generation_error(err, written=f"images written so far stay in {out_dir}") from None
    printer.close()
    print(summarize(plan), file=sys.stderr)
    print(f"images, manifest.jsonl and {sheet.name} in {out_dir}", file=sys.stderr)
    return plan
