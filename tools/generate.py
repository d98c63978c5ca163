"""Local image generation with diffusers: load once, batch, seed per image, write PNGs with their parameters.

- `load_pipeline` wraps `DiffusionPipeline.from_pretrained(model_id_or_local_path)` and caches the
  pipeline per process by (model, dtype, device, compile, fuse_qkv). CUDA: bf16, SDPA attention,
  channels_last; CPU: float32, SDPA. On either, when asked for: fused Q/K/V attention projections, then
  `torch.compile` of the denoiser. A hub id is looked up in the local cache first (`local_files_only=True`);
  it is downloaded only when the hub is not switched off (HF_HUB_OFFLINE).
- `generate` runs jobs in batches with one `torch.Generator` per image, so every image has its own
  seed, derived from (brief, shot, attempt) by `derive_seed`: any image can be made again alone. On
  CUDA out-of-memory the batch is halved and the chunk retried. Progress goes out per denoising step
  through `callback_on_step_end`; a cancel flag is checked between steps.
- Only `generate` shots get a job, each at its own aspect ratio (`ShotPlan.shot_ratio`); photographed
  and screen-captured shots are listed by `to_be_shot`.
- Each PNG is written atomically (temp file beside it, then rename) with its parameters as JSON in a
  PNG text chunk (`ecu`), one JSON line per image is appended to `manifest.jsonl` as a whole line or
  not at all (a torn last line from a full disk is cut off before the next append), and a contact
  sheet (a PNG grid labelled with shot ids) is written per run.
- A run into a folder that already holds a job's image and its record keeps it (`resume`); the folder
  is proved writable before the model loads.

torch and diffusers are imported inside the functions that need them. Failures a user can cause
(missing model, no GPU, disk full) raise `GenerateError` with a one-line message; the CLI turns it
into `agent.errors.GenerationError`.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import inspect
import io
import json
import math
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from agent.models import ShotPlan
from tools.messages import ref, told
from tools.storage import atomic_write_bytes

DEFAULT_IMAGE_MODEL = "black-forest-labs/FLUX.1-schnell"
PARAMS_KEY = "ecu"  # PNG text chunk with the JSON parameters (tools.qc.read_params reads it)
MANIFEST_NAME = "manifest.jsonl"
DEFAULT_PIXELS = 1024 * 1024
SEED_SPACE = 2**32

ProgressFn = Callable[[str, int, int], None]  # (stage, done, total), like agent.events.Progress
Cancel = Any  # a threading.Event, a callable returning True to stop, or None


class GenerateError(RuntimeError):
    """A one-line, user-facing generation failure (missing model, no GPU, out of memory, disk full).

    The message names settings and options as `{name}` references (tools.messages): each face writes its
    own flag or variable there; `str()` writes the bare name.
    """

    is_setting = False  # True: the user's settings are wrong (the CLI exits 2), not the run

    def __init__(self, template: str) -> None:
        super().__init__(template)
        self.template = template

    def __str__(self) -> str:
        return told(self.template)


class ImageModelNotFound(GenerateError):
    """A settings problem: the image model named is not there or is not a diffusers pipeline (exit 2)."""

    is_setting = True


class GenerationCancelled(GenerateError):
    """Generation stopped on request between two denoising steps; images already written stay."""


# -- models, sizes, seeds ----------------------------------------------------------------------------------


def image_model(explicit: str | None = None) -> str:
    """The image model named (the image_model setting), else FLUX.1-schnell."""
    return explicit or DEFAULT_IMAGE_MODEL


def brief_seed_base(plan: ShotPlan) -> str:
    """A stable hash of the plan's brief: the default seed base, so `ecu generate` repeats `ecu plan --generate`."""
    canonical = json.dumps(plan.brief.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def derive_seed(seed_base: str | int, shot_id: str, attempt: int) -> int:
    """The seed of one image, from (brief hash or --seed-base, shot id, attempt): reproducible alone."""
    digest = hashlib.sha256(f"{seed_base}|{shot_id}|{attempt}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % SEED_SPACE


def size_for_aspect(aspect_ratio: str | None, pixels: int = DEFAULT_PIXELS, multiple: int = 64) -> tuple[int, int]:
    """Width and height near `pixels` for "4:5", "16:9", ... (multiples of `multiple`); square if unreadable."""
    ratio = 1.0
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*[:x/]\s*(\d+(?:\.\d+)?)\s*", aspect_ratio or "")
    if match and float(match[2]) > 0 and float(match[1]) > 0:
        ratio = float(match[1]) / float(match[2])
    width = math.sqrt(pixels * ratio)
    height = width / ratio
    return (max(multiple, int(round(width / multiple)) * multiple),
            max(multiple, int(round(height / multiple)) * multiple))


@dataclass(frozen=True)
class ImageJob:
    """One image to make: a shot's prompt at one attempt, with its seed and size."""

    shot_id: str
    prompt: str
    negative: str = ""
    seed: int = 0
    attempt: int = 1
    width: int = 1024
    height: int = 1024
    detail: str | None = None
    scale: str | None = None
    reference: str | None = None  # a photo of the real product: image-to-image from it (tools.catalog)
    strength: float | None = None  # with a reference: how far from the photo the image may go (0-1]


def jobs_for_plan(plan: ShotPlan, *, shots: Sequence[str] | None = None, attempt: int | dict[str, int] = 1,
                  seed_base: str | int | None = None, width: int | None = None,
                  height: int | None = None) -> list[ImageJob]:
    """One job per `generate` shot (or per named one), each at its own aspect ratio, with seeds derived from
    the brief, the shot and the attempt. Shots to be photographed or screen-captured get no job
    (`to_be_shot` lists them). `width` and `height` together fix every size; one of them alone fixes that
    side and each shot's ratio gives the other."""
    base = seed_base if seed_base not in (None, "") else brief_seed_base(plan)
    jobs = []
    for shot in _wanted(plan, shots):
        if shot.source != "generate":
            continue
        n = attempt.get(shot.id, 1) if isinstance(attempt, dict) else attempt
        w, h = _shot_size(plan.shot_ratio(shot), width, height)
        jobs.append(ImageJob(
            shot_id=shot.id, prompt=shot.prompt.text, negative=shot.prompt.negative,
            seed=derive_seed(base, shot.id, n), attempt=n, width=w, height=h,
            detail=shot.detail.name if shot.detail else None, scale=shot.scale,
        ))
    return jobs


def to_be_shot(plan: ShotPlan, shots: Sequence[str] | None = None) -> list[tuple[str, str, str]]:
    """(shot id, source, reason) for each wanted shot that is photographed or screen-captured, not generated."""
    return [(shot.id, shot.source, shot.source_reason or "planned as a real " + shot.source.replace("_", " "))
            for shot in _wanted(plan, shots) if shot.source != "generate"]


def _wanted(plan: ShotPlan, shots: Sequence[str] | None):
    wanted = list(dict.fromkeys(shots)) if shots else [shot.id for shot in plan.shots]
    for shot_id in wanted:
        shot = plan.shot(shot_id)
        if shot is None:
            raise ValueError(f"no shot {shot_id!r} in the plan (shots: {', '.join(s.id for s in plan.shots)})")
        yield shot


def _shot_size(ratio: str, width: int | None, height: int | None) -> tuple[int, int]:
    default_w, default_h = size_for_aspect(ratio)
    if width and not height:
        height = max(8, int(round(width / (default_w / default_h) / 8)) * 8)
    if height and not width:
        width = max(8, int(round(height * (default_w / default_h) / 8)) * 8)
    return width or default_w, height or default_h


# -- loading -----------------------------------------------------------------------------------------------

_PIPELINES: dict[tuple, Any] = {}
_PIPELINE_LOCK = threading.Lock()


def clear_pipeline_cache() -> None:
    with _PIPELINE_LOCK:
        _PIPELINES.clear()


def resolve_device(device: str | None = "auto") -> str:
    """"auto" picks CUDA when present; "cuda" without a GPU is a one-line error."""
    import torch

    device = (device or "auto").lower()
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda"):
        if not torch.cuda.is_available():
            raise GenerateError(f"{ref('device')} {device} asked for, but no CUDA GPU is available "
                                f"(torch {torch.__version__}); use {ref('device')} cpu")
        return device
    if device == "cpu":
        return "cpu"
    raise GenerateError(f"unknown device {device!r}; use cpu, cuda or auto")


def _dtype_for(device: str):
    import torch

    if device.startswith("cuda"):
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return torch.float32


def _local_model_path(model: str) -> Path | None:
    """The folder for a local model, None for a hub id; an explicit path that does not exist is an error."""
    path = Path(model).expanduser()
    if path.exists():
        if not path.is_dir() or not (path / "model_index.json").exists():
            raise ImageModelNotFound(f"image model {model} is not a diffusers pipeline folder (no model_index.json)")
        return path.resolve()
    hub_id = re.fullmatch(r"[A-Za-z0-9][\w.\-]*/[\w.\-]+", model) is not None
    if not hub_id or model.startswith((".", "/", "~")) or "\\" in model:
        raise ImageModelNotFound(_not_found(model))
    return None


def _not_found(model: str) -> str:
    return f"image model {model} not found locally; download it or pass {ref('image_model')} PATH"


def _hub_offline() -> bool:
    return any(os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")
               for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "DIFFUSERS_OFFLINE"))


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return (text[0] if text else type(err).__name__)[:200]


def _from_pretrained(model: str, local: Path | None, dtype):
    from diffusers import DiffusionPipeline

    missing = _not_found(model)
    if local is not None:
        try:
            return DiffusionPipeline.from_pretrained(str(local), dtype=dtype)
        except Exception as err:  # a broken folder: name it, no traceback
            raise GenerateError(f"cannot load image model {model}: {_first_line(err)}") from None
    try:
        return DiffusionPipeline.from_pretrained(model, dtype=dtype, local_files_only=True)
    except Exception:  # not in the local cache (or a broken cache)
        if _hub_offline():
            raise ImageModelNotFound(missing) from None
    try:
        return DiffusionPipeline.from_pretrained(model, dtype=dtype)
    except Exception as err:
        if isinstance(err, OSError) and err.errno in (errno.ENOSPC, errno.EDQUOT):
            raise GenerateError(f"disk full while downloading image model {model}") from None
        reason = _first_line(err)
        if any(word in reason.lower() for word in ("gated", "401", "403", "authenticat", "access to model")):
            raise GenerateError(f"image model {model} could not be downloaded ({reason}); log in to the hub "
                                f"or pass {ref('image_model')} PATH") from None
        raise ImageModelNotFound(missing) from None  # no network, or no such model


def _processor_names(module) -> str:
    """The attention processor classes in use, e.g. "AttnProcessor2_0"; "n/a" for a module without any."""
    processors = getattr(module, "attn_processors", None) or {}
    return ",".join(sorted({type(p).__name__ for p in processors.values()})) or "n/a"


def _ensure_sdpa(module) -> None:
    """Use torch's scaled_dot_product_attention: the classic, non-SDPA processor becomes its SDPA twin."""
    if _processor_names(module) == "AttnProcessor":
        from diffusers.models.attention_processor import AttnProcessor2_0

        module.set_attn_processor(AttnProcessor2_0())


def _fuse_qkv(module) -> str:
    """Fuse the Q/K/V projections (K/V for cross-attention) into one matmul; "fused" or "not fused: why".

    The same weights, concatenated: the output does not change. Architectures diffusers cannot fuse
    (added KV projections, no support) are reported, never a failure.
    """
    fuse = getattr(module, "fuse_qkv_projections", None)
    if not callable(fuse):
        return f"not fused: {type(module).__name__} has no fuse_qkv_projections"
    try:
        fuse()
    except (ValueError, NotImplementedError, AttributeError) as err:
        return f"not fused: {_first_line(err)}"
    return "fused"


def configure_pipeline(pipe, *, channels_last: bool, compile: bool = False, fuse_qkv: bool = False) -> dict[str, str]:
    """SDPA attention everywhere, channels_last for conv nets, optional fused Q/K/V and torch.compile."""
    import torch

    info: dict[str, str] = {}
    for name in ("unet", "transformer", "vae"):
        module = getattr(pipe, name, None)
        if module is None or not hasattr(module, "parameters"):
            continue
        _ensure_sdpa(module)
        if fuse_qkv:  # after SDPA: fusion installs FusedAttnProcessor2_0 and keeps the SDPA ones for unfusing
            info[f"{name}_qkv"] = _fuse_qkv(module)
        info[f"{name}_attention"] = _processor_names(module)
        if channels_last and name in ("unet", "vae"):
            module.to(memory_format=torch.channels_last)
            info[f"{name}_memory_format"] = "channels_last"
        if compile and name in ("unet", "transformer"):
            module.compile(fullgraph=False)
            info[f"{name}_compiled"] = "yes"
    if hasattr(pipe, "set_progress_bar_config"):
        pipe.set_progress_bar_config(disable=True)
    return info


def load_pipeline(model: str | None = None, device: str | None = "auto", *, compile: bool = False,
                  fuse_qkv: bool = False):
    """The pipeline for `model` on `device`, loaded once per process and cached by its whole recipe."""
    model = image_model(model)
    device = resolve_device(device)
    local = _local_model_path(model)
    dtype = _dtype_for(device)
    key = (str(local or model), str(dtype), device, bool(compile), bool(fuse_qkv))
    with _PIPELINE_LOCK:
        cached = _PIPELINES.get(key)
        if cached is not None:
            return cached
        pipe = _from_pretrained(model, local, dtype)
        pipe._ecu_model = model
        if device != "cpu":
            _to_device(pipe, device, model)
        pipe._ecu_info = configure_pipeline(pipe, channels_last=device != "cpu", compile=compile,
                                            fuse_qkv=fuse_qkv)
        _PIPELINES[key] = pipe
        return pipe


def _to_device(pipe, device: str, model: str) -> None:
    import importlib.util

    try:
        pipe.to(device)
    except Exception as err:
        if not _is_oom(err):
            raise GenerateError(f"cannot move image model {model} to {device}: {_first_line(err)}") from None
        _empty_cuda_cache()
        if importlib.util.find_spec("accelerate") is None:
            raise GenerateError(f"image model {model} does not fit in GPU memory; install accelerate for CPU "
                                f"offload or pick a smaller {ref('image_model')}") from None
        pipe.enable_model_cpu_offload()


def _is_oom(err: BaseException) -> bool:
    import torch

    return isinstance(err, torch.OutOfMemoryError) or (
        isinstance(err, RuntimeError) and "out of memory" in str(err).lower())


def _empty_cuda_cache() -> None:
    import torch

    if torch.cuda.is_available():
        torch.cuda.empty_cache()


# -- generating --------------------------------------------------------------------------------------------


def _defaults(pipe, model: str) -> tuple[int, float]:
    """(steps, guidance) for the pipeline family: FLUX.1-schnell 4 steps without guidance."""
    family = type(pipe).__name__.lower() + " " + model.lower()
    if "schnell" in family:
        return 4, 0.0
    if "flux" in family:
        return 28, 3.5
    return 30, 7.0


def _cancelled(cancel: Cancel) -> bool:
    if cancel is None:
        return False
    if hasattr(cancel, "is_set"):
        return bool(cancel.is_set())
    return bool(cancel())


def _call_parameters(pipe) -> set[str] | None:
    try:
        params = inspect.signature(pipe.__call__).parameters
    except (TypeError, ValueError):
        return None
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return None  # accepts anything
    return set(params)


@dataclass(frozen=True)
class SavedImage:
    job: ImageJob
    path: Path
    params: dict[str, Any] = field(default_factory=dict)
    resumed: bool = False  # already in the folder from an earlier run: kept, not rendered again


def job_dict(job: ImageJob) -> dict[str, Any]:
    """A job as plain data (what a Ray actor is sent; ImageJob(**job_dict(job)) makes it again)."""
    return asdict(job)


def params_for(job: ImageJob, *, model: str, steps: int, guidance: float) -> dict[str, Any]:
    """What goes in the PNG text chunk and the manifest: everything needed to make the image again."""
    return {
        "prompt": job.prompt, "negative": job.negative, "seed": job.seed, "model": model, "steps": steps,
        "guidance": guidance, "width": job.width, "height": job.height, "shot_id": job.shot_id,
        "attempt": job.attempt, "detail": job.detail, "scale": job.scale,
        **({"reference": job.reference, "reference_strength": job.strength} if job.reference else {}),
    }


def image_filename(job: ImageJob) -> str:
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", job.shot_id) or "shot"
    return f"{safe}-a{job.attempt}-{job.seed}.png"


def generate(
    jobs: Sequence[ImageJob],
    out_dir: str | Path,
    *,
    model: str | None = None,
    device: str | None = "auto",
    steps: int | None = None,
    guidance: float | None = None,
    batch_size: int = 4,
    compile: bool = False,
    fuse_qkv: bool = False,
    pipeline=None,
    progress: ProgressFn | None = None,
    on_saved: Callable[[SavedImage], None] | None = None,
    cancel: Cancel = None,
    contact_sheet: bool = True,
    run_id: str | None = None,
    resume: bool = True,
) -> list[SavedImage]:
    """Make every job's image; returns the saved images (job order within each image size), those kept
    from an earlier run into the same folder first (`resume`: image and manifest record both there).

    Raises GenerateError (one line); images written before a failure or a cancel stay, each in the manifest.
    """
    jobs = list(jobs)
    out = Path(out_dir)
    with _output_folder(out):
        return _generate(jobs, out, model=model, device=device, steps=steps, guidance=guidance,
                         batch_size=batch_size, compile=compile, fuse_qkv=fuse_qkv, pipeline=pipeline,
                         progress=progress, on_saved=on_saved, cancel=cancel, contact_sheet=contact_sheet,
                         run_id=run_id, resume=resume)


@contextlib.contextmanager
def _output_folder(out: Path):
    """Create `out` and its missing parents; when the run fails, remove those it created that are still empty.

    Folders that were there before, and folders holding images written before the failure, stay.
    """
    created = [folder for folder in (out, *out.parents) if not folder.exists()]  # deepest first
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise GenerateError(f"cannot create output folder {out}: {err.strerror or err}") from None
    try:
        yield
    except BaseException:
        for folder in created:
            try:
                folder.rmdir()
            except OSError:  # not empty (or already gone): keep it and everything above it
                break
        raise


@dataclass
class _Run:
    """One generation run after loading: the pipeline and what every chunk of it shares."""

    pipe: Any
    model: str
    steps: int
    guidance: float
    accepted: Any  # the pipeline call's parameter names (None: pass everything)
    out: Path
    run_id: str
    total: int  # denoising steps of the whole run, for progress
    progress: ProgressFn | None
    on_saved: Callable[[SavedImage], None] | None
    cancel: Cancel
    finished: int = 0  # steps done so far


def _generate(jobs: list[ImageJob], out: Path, *, model, device, steps, guidance, batch_size, compile, fuse_qkv,
              pipeline, progress, on_saved, cancel, contact_sheet, run_id, resume) -> list[SavedImage]:
    prepare_output(out)
    model_name = getattr(pipeline, "_ecu_model", None) or image_model(model)  # what the records will name
    kept = already_made(out, jobs, model=model_name, steps=steps, guidance=guidance) if resume else []
    jobs = [job for job in jobs if job not in {k.job for k in kept}]
    run_id = run_id or time.strftime("%Y%m%d-%H%M%S")
    saved: list[SavedImage] = list(kept)
    if jobs:  # else everything is there already: no model to load
        run = _load_run(jobs, out, model_name, device=device, steps=steps, guidance=guidance, compile=compile,
                        fuse_qkv=fuse_qkv, pipeline=pipeline, progress=progress, on_saved=on_saved, cancel=cancel,
                        run_id=run_id)
        # Images of one size (and one reference strength) batch together; order stays the jobs' order within one.
        groups: dict[tuple[int, int, float | None], list[ImageJob]] = {}
        for job in jobs:
            groups.setdefault((job.width, job.height, job.strength if job.reference else None), []).append(job)
        batch = max(1, int(batch_size))
        for (width, height, _strength), group in groups.items():
            batch = _render_group(run, group, width, height, batch, saved)
    if contact_sheet and saved:
        _write_sheet(saved, contact_sheet_path(out, run_id), out)
    return saved


def _load_run(jobs: list[ImageJob], out: Path, model_name: str, *, device, steps, guidance, compile, fuse_qkv,
              pipeline, progress, on_saved, cancel, run_id) -> _Run:
    """Load the pipeline (unless one was given) and settle the steps and guidance the model defaults to."""
    pipe = pipeline if pipeline is not None else load_pipeline(model_name, device, compile=compile, fuse_qkv=fuse_qkv)
    model_name = getattr(pipe, "_ecu_model", model_name)
    default_steps, default_guidance = _defaults(pipe, model_name)
    steps = steps or default_steps
    return _Run(pipe=pipe, model=model_name, steps=steps, guidance=default_guidance if guidance is None else guidance,
                accepted=_call_parameters(pipe), out=out, run_id=run_id, total=len(jobs) * steps, progress=progress,
                on_saved=on_saved, cancel=cancel)


def _render_group(run: _Run, group: list[ImageJob], width: int, height: int, batch: int,
                  saved: list[SavedImage]) -> int:
    """Render one image size in batches, halving the batch on GPU out-of-memory; the batch size that worked."""
    out = run.out
    start = 0
    while start < len(group):
        if _cancelled(run.cancel):
            raise GenerationCancelled(f"generation cancelled; {images_on_disk(out)} image(s) written to {out}")
        chunk = group[start:start + batch]
        try:
            images = _run_chunk(run.pipe, chunk, width=width, height=height, steps=run.steps, guidance=run.guidance,
                                accepted=run.accepted, model=run.model, progress=run.progress, cancel=run.cancel,
                                done_before=run.finished, total=run.total)
        except GenerationCancelled:
            raise GenerationCancelled(f"generation cancelled; {images_on_disk(out)} image(s) written to "
                                      f"{out}") from None
        except GenerateError:
            raise
        except Exception as err:
            if not _is_oom(err):
                raise
            _empty_cuda_cache()
            if batch == 1:
                raise GenerateError(f"out of GPU memory even with batch 1 at {width}x{height}; lower "
                                    f"{ref('width')}/{ref('height')} ({images_on_disk(out)} image(s) already "
                                    "written)") from None
            batch = max(1, batch // 2)
            continue  # retry the same chunk, halved
        _write_chunk(run, chunk, images, saved)
        start += len(chunk)
    return batch


def _write_chunk(run: _Run, chunk: list[ImageJob], images, saved: list[SavedImage]) -> None:
    """Save each image of a chunk with its parameters and manifest record, then report progress."""
    for job, image in zip(chunk, images):
        params = params_for(job, model=run.model, steps=run.steps, guidance=run.guidance)
        path = run.out / image_filename(job)
        _save(image, path, params, out=run.out, run_id=run.run_id)
        item = SavedImage(job=job, path=path, params=params)
        saved.append(item)
        if run.on_saved is not None:
            run.on_saved(item)
    run.finished += len(chunk) * run.steps
    if run.progress is not None:
        run.progress("generate", run.finished, run.total)


def _write_sheet(saved: list[SavedImage], sheet: Path, out: Path) -> None:
    try:
        write_contact_sheet([(f"{s.job.shot_id} a{s.job.attempt}", s.path) for s in saved], sheet)
    except OSError as err:
        raise _write_error(err, sheet, out) from None


def _run_chunk(pipe, chunk: list[ImageJob], *, width, height, steps, guidance, accepted, model, progress, cancel,
               done_before: int, total: int):
    import torch

    generators = [torch.Generator(device="cpu").manual_seed(job.seed) for job in chunk]
    if chunk[0].reference:  # the real product conditions the image: the same components, image-to-image
        pipe = image_to_image(pipe, model)
        accepted = _call_parameters(pipe)

    def on_step_end(_pipe, step, _timestep, callback_kwargs):
        if progress is not None:
            # some schedulers (PNDM) run one step more than asked: never count past this chunk's share
            progress("generate", done_before + min(step + 1, steps) * len(chunk), total)
        if _cancelled(cancel):
            raise GenerationCancelled("generation cancelled between steps")
        return callback_kwargs

    kwargs: dict[str, Any] = {
        "prompt": [job.prompt for job in chunk],
        "negative_prompt": [job.negative for job in chunk],
        "num_inference_steps": steps,
        "guidance_scale": guidance,
        "width": width,
        "height": height,
        "generator": generators,
        "num_images_per_prompt": 1,
        "output_type": "pil",
        "callback_on_step_end": on_step_end,
    }
    if chunk[0].reference:
        kwargs["image"] = [reference_image(job.reference, width, height) for job in chunk]
        kwargs["strength"] = chunk[0].strength
    if "schnell" in model.lower():
        kwargs["max_sequence_length"] = 256
    if not any(job.negative for job in chunk):
        kwargs.pop("negative_prompt")
    if accepted is not None:
        kwargs = {k: v for k, v in kwargs.items() if k in accepted}
    with torch.inference_mode():
        result = pipe(**kwargs)
    images = getattr(result, "images", result)
    if len(images) != len(chunk):
        raise GenerateError(f"image model {model} returned {len(images)} images for {len(chunk)} prompts")
    return images


def image_to_image(pipe, model: str):
    """The loaded pipeline's image-to-image twin, built once from its own components (no second copy of the
    weights): diffusers' AutoPipelineForImage2Image.from_pipe picks the class (StableDiffusionImg2ImgPipeline,
    FluxImg2ImgPipeline, ...)."""
    twin = getattr(pipe, "_ecu_img2img", None)
    if twin is None:
        from diffusers import AutoPipelineForImage2Image

        try:
            twin = AutoPipelineForImage2Image.from_pipe(pipe)
        except (ValueError, KeyError) as err:
            raise GenerateError(f"image model {model} has no image-to-image pipeline for a reference photo "
                                f"({_first_line(err)})") from None
        if hasattr(twin, "set_progress_bar_config"):
            twin.set_progress_bar_config(disable=True)
        pipe._ecu_img2img = twin
    return twin


def reference_image(path: str, width: int, height: int):
    """The reference photo as RGB at the job's size (upright by its EXIF orientation)."""
    from PIL import Image, ImageOps

    try:
        with Image.open(path) as image:
            return ImageOps.exif_transpose(image).convert("RGB").resize((width, height), Image.Resampling.LANCZOS)
    except (OSError, ValueError) as err:
        raise GenerateError(f"cannot read reference photo {path}: {getattr(err, 'strerror', None) or err}") from None


# -- writing -----------------------------------------------------------------------------------------------


def _write_error(err: OSError, path: Path, out: Path) -> GenerateError:
    """One line that counts the images really on disk (with their record), not those this run meant to write."""
    written = images_on_disk(out)
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return GenerateError(f"disk full writing {path.name}; {written} image(s) already written stay in {out}")
    return GenerateError(f"cannot write {path}: {err.strerror or err}; {written} image(s) already written stay")


def prepare_output(out: Path) -> None:
    """Create the output folder, prove it is writable and repair a torn manifest: before the first render."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=out, prefix=".ecu-write-check-", delete=True)
        probe.close()
    except OSError as err:
        raise GenerateError(f"cannot write to output folder {out}: {err.strerror or err}") from None
    try:
        repair_manifest(out)
    except OSError as err:
        raise GenerateError(f"cannot repair {out / MANIFEST_NAME}: {err.strerror or err}") from None


def _write_png_atomically(image, path: Path, **save_options) -> None:
    """Encode in memory, then tools.storage's atomic write: a crash never leaves a half PNG."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **save_options)
    atomic_write_bytes(path, buffer.getvalue())


def write_png(image, path: str | Path, params: dict[str, Any]) -> Path:
    """Write `image` atomically as PNG with `params` as JSON in the `ecu` text chunk."""
    from PIL.PngImagePlugin import PngInfo

    path = Path(path)
    info = PngInfo()
    info.add_text(PARAMS_KEY, json.dumps(params, sort_keys=True, ensure_ascii=False))
    info.add_text("Software", "ecu-planner")
    a1111 = f"{params.get('prompt', '')}\nNegative prompt: {params.get('negative', '')}\n" \
            f"Steps: {params.get('steps')}, CFG scale: {params.get('guidance')}, Seed: {params.get('seed')}, " \
            f"Size: {params.get('width')}x{params.get('height')}, Model: {params.get('model')}"
    info.add_text("parameters", a1111)
    _write_png_atomically(image, path, pnginfo=info)
    return path


def append_manifest(out: Path, record: dict[str, Any]) -> None:
    """Append one record as a whole line or not at all: a short or failed write (disk full) is cut back
    to where the file ended, so the next run's record never lands on a torn line."""
    line = (json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
    path = out / MANIFEST_NAME
    repair_manifest(out)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
    try:
        end = os.fstat(fd).st_size
        try:
            written = os.write(fd, line)
            if written != len(line):
                raise OSError(errno.ENOSPC, "No space left on device (short write)")
            os.fsync(fd)
        except OSError:
            os.ftruncate(fd, end)
            raise
    finally:
        os.close(fd)


def repair_manifest(out: str | Path) -> bool:
    """Cut a torn last line (no newline: a write cut short) off the manifest; True when it had one."""
    path = Path(out) / MANIFEST_NAME
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return False
    if size == 0:
        return False
    with open(path, "rb+") as handle:
        handle.seek(max(0, size - 65536))
        tail = handle.read()
        if tail.endswith(b"\n"):
            return False
        cut = tail.rfind(b"\n")
        keep = size - len(tail) + cut + 1 if cut >= 0 else (0 if size <= 65536 else None)
        if keep is None:  # one line longer than the window: find its start the slow way
            handle.seek(0)
            keep = handle.read().rfind(b"\n") + 1
        handle.truncate(keep)
        handle.flush()
        os.fsync(handle.fileno())
    return True


def _save(image, path: Path, params: dict[str, Any], *, out: Path, run_id: str) -> None:
    try:
        write_png(image, path, params)
        append_manifest(out, {"file": path.name, "run": run_id, **params})
    except OSError as err:
        raise _write_error(err, path, out) from None


def store_encoded(out: Path, name: str, png: bytes, record: dict[str, Any]) -> Path:
    """An image encoded elsewhere (a Ray actor's write_png bytes) and its record, written as `_save` writes them."""
    path = out / name
    try:
        atomic_write_bytes(path, png)
        append_manifest(out, record)
    except OSError as err:
        raise _write_error(err, path, out) from None
    return path


def read_manifest(out_dir: str | Path) -> list[dict[str, Any]]:
    """The manifest's records; a torn last line (a write cut short) is left out, not an error."""
    path = Path(out_dir) / MANIFEST_NAME
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict):
            records.append(record)
    return records


def images_on_disk(out_dir: str | Path) -> int:
    """Images in the folder that have their manifest record: what a failure message may honestly count."""
    out = Path(out_dir)
    files = {r["file"] for r in read_manifest(out) if isinstance(r.get("file"), str)}
    return sum((out / name).is_file() for name in files)


_RESUME_KEYS = ("prompt", "negative", "seed", "width", "height", "attempt", "shot_id", "reference", "strength")


def already_made(out: Path, jobs: list[ImageJob], *, model: str, steps: int | None,
                  guidance: float | None) -> list[SavedImage]:
    """Jobs whose image and matching record are already in `out` (an interrupted run, made again)."""
    records = {r.get("file"): r for r in read_manifest(out)}
    kept = []
    for job in jobs:
        name = image_filename(job)
        record = records.get(name)
        if record is None or not (out / name).is_file():
            continue
        expected = {k: v for k, v in asdict(job).items() if k in _RESUME_KEYS}
        if job.reference:  # the record names it reference_strength, beside the reference
            expected["reference_strength"] = expected.pop("strength")
        else:
            expected.pop("strength")
        if any(record.get(k) != v for k, v in expected.items()) or record.get("model") != model:
            continue
        if (steps is not None and record.get("steps") != steps) or (
                guidance is not None and record.get("guidance") != guidance):
            continue
        params = {k: v for k, v in record.items() if k not in ("file", "run")}
        kept.append(SavedImage(job=job, path=out / name, params=params, resumed=True))
    return kept


def contact_sheet_path(out_dir: str | Path, run_id: str) -> Path:
    """Where a run's contact sheet goes: one per run, beside its images."""
    return Path(out_dir) / f"contact-sheet-{run_id}.png"


def write_contact_sheet(items: Iterable[tuple[str, str | Path]], path: str | Path, *, cell: int = 256,
                        columns: int | None = None) -> Path | None:
    """A PNG grid of thumbnails, each labelled (shot id, attempt), `columns` wide (default: near square);
    written atomically. None when empty."""
    from PIL import Image, ImageDraw, ImageFont, ImageOps

    items = list(items)
    if not items:
        return None
    path = Path(path)
    columns = max(1, columns or math.ceil(math.sqrt(len(items))))
    rows = math.ceil(len(items) / columns)
    label_h = 20
    sheet = Image.new("RGB", (columns * cell, rows * (cell + label_h)), (24, 24, 24))
    draw = ImageDraw.Draw(sheet)
    try:
        font = ImageFont.load_default(size=14)
    except (TypeError, OSError):  # an old Pillow, or no FreeType: the small bitmap font
        font = ImageFont.load_default()
    for index, (label, image_path) in enumerate(items):
        x, y = (index % columns) * cell, (index // columns) * (cell + label_h)
        try:
            with Image.open(image_path) as image:
                small = max(image.size) < cell - 8
                thumb = ImageOps.contain(image.convert("RGB"), (cell - 8, cell - 8),
                                         method=Image.Resampling.NEAREST if small else Image.Resampling.LANCZOS)
        except OSError:
            thumb = None
        if thumb is not None:
            sheet.paste(thumb, (x + (cell - thumb.width) // 2, y + (cell - thumb.height) // 2))
        draw.text((x + 6, y + cell + 3), str(label), fill=(235, 235, 235), font=font)
    _write_png_atomically(sheet, path)
    return path


class Renderer:
    """`generate` with its settings bound: `renderer(jobs, progress=..., on_saved=..., cancel=...)`."""

    def __init__(self, out_dir: str | Path, *, model: str | None = None, device: str | None = "auto",
                 steps: int | None = None, guidance: float | None = None, batch_size: int = 4,
                 compile: bool = False, fuse_qkv: bool = False, pipeline=None, resume: bool = True) -> None:
        self.out_dir = Path(out_dir)
        self.options = dict(model=model, device=device, steps=steps, guidance=guidance, batch_size=batch_size,
                            compile=compile, fuse_qkv=fuse_qkv, pipeline=pipeline, resume=resume)
        self.run_id = time.strftime("%Y%m%d-%H%M%S")
        self.sheet_path = contact_sheet_path(self.out_dir, self.run_id)  # written by the caller, once per run

    def __call__(self, jobs: Sequence[ImageJob], *, progress: ProgressFn | None = None,
                 on_saved: Callable[[SavedImage], None] | None = None, cancel: Cancel = None) -> list[SavedImage]:
        return generate(jobs, self.out_dir, progress=progress, on_saved=on_saved, cancel=cancel,
                        contact_sheet=False, run_id=self.run_id, **self.options)
