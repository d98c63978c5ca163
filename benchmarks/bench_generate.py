"""Generation throughput: batched vs one-at-a-time images/s and warm vs cold pipeline load.

CPU section: the tiny random-weight Stable Diffusion pipeline of the tests
(built and saved to a temp folder), loaded through `tools.generate`, 64x64,
4 steps, images written as PNGs like a real run; also batched throughput with
fused Q/K/V projections (`--fuse-qkv`) vs without. GPU section: "no GPU present"
when torch.cuda is unavailable; otherwise images/s and peak memory on CUDA
(bf16, SDPA, channels_last) for each recipe: base, +fuse_qkv, and with
ECU_BENCH_COMPILE=1 also +compile and +fuse_qkv +compile.
ECU_BENCH_IMAGE_MODEL picks another model (e.g. a local FLUX.1-schnell) for
the GPU section.

Run: `python -m benchmarks.bench_generate` (prints a table); `run()` returns the rows.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

IMAGES = 8
SIZE = 64
STEPS = 4


def _plan(n: int):
    from agent.models import BriefSummary, Camera, Prompt, PromptFields, Shot, ShotPlan

    fields = PromptFields(subject_detail="the saddle stitching on the handle", shot_scale="extreme close up shot",
                          material_texture="waxed thread", lighting="raking light", focus="razor sharp focus",
                          background="plain dark background", intent="product photography")
    shots = [Shot(id=f"s{i}", scale="extreme_close_up", purpose="punctuate", placement=str(i),
                  prompt=Prompt(text=f"extreme close up of stitching {i}", fields=fields, negative="blurry"),
                  camera=Camera(lens="100mm macro", aperture="f/8", lighting="raking light"))
             for i in range(1, n + 1)]
    return ShotPlan(brief=BriefSummary(product="bag", aspect_ratio="1:1"), shots=shots)


def _images_per_second(pipe, jobs, out: Path, batch: int, steps: int, repeats: int = 2) -> float:
    from tools.generate import generate

    generate(jobs[:batch], out / "warmup", pipeline=pipe, steps=steps, batch_size=batch, contact_sheet=False)
    best = float("inf")
    for n in range(repeats):
        start = time.perf_counter()
        generate(jobs, out / f"b{batch}-{n}", pipeline=pipe, steps=steps, batch_size=batch, contact_sheet=False)
        best = min(best, time.perf_counter() - start)
    return len(jobs) / best


def _cpu_rows(folder: Path) -> list[dict]:
    import torch

    from tests.fakes.tiny_pipeline import save_tiny_pipeline
    from tools.generate import clear_pipeline_cache, jobs_for_plan, load_pipeline

    model = save_tiny_pipeline(folder / "tiny", layers_per_block=2)
    rows = []
    clear_pipeline_cache()
    start = time.perf_counter()
    pipe = load_pipeline(str(model), "cpu")
    cold = time.perf_counter() - start
    warm_times = []
    for _ in range(20):
        start = time.perf_counter()
        assert load_pipeline(str(model), "cpu") is pipe
        warm_times.append(time.perf_counter() - start)
    warm = min(warm_times)
    rows.append({"benchmark": "generate-cpu", "metric": "pipeline load, warm (cached)", "value": round(warm * 1e3, 4),
                 "unit": "ms", "baseline": round(cold * 1e3, 1), "ratio": round(cold / warm),
                 "note": "baseline: cold from_pretrained + configure of the tiny pipeline (imports already done)"})

    # A new process pays the imports too: what each `ecu generate` run costs before its first step.
    import subprocess

    code = ("import time; t = time.perf_counter(); from tools.generate import load_pipeline; "
            f"load_pipeline({str(model)!r}, 'cpu'); print(time.perf_counter() - t)")
    root = str(Path(__file__).resolve().parent.parent)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, timeout=300,
                          env={**os.environ, "PYTHONPATH": root})
    if proc.returncode == 0:
        process_cold = float(proc.stdout.strip().splitlines()[-1])
        rows.append({"benchmark": "generate-cpu", "metric": "pipeline load, warm vs new process",
                     "value": round(warm * 1e3, 4), "unit": "ms", "baseline": round(process_cold * 1e3),
                     "ratio": round(process_cold / warm),
                     "note": "baseline: import torch + diffusers and load in a fresh process"})

    jobs = jobs_for_plan(_plan(IMAGES), width=SIZE, height=SIZE)
    for threads in sorted({1, torch.get_num_threads()}):
        before = torch.get_num_threads()
        torch.set_num_threads(threads)
        try:
            batched = _images_per_second(pipe, jobs, folder / f"t{threads}", IMAGES, STEPS)
            single = _images_per_second(pipe, jobs, folder / f"t{threads}", 1, STEPS)
        finally:
            torch.set_num_threads(before)
        rows.append({"benchmark": "generate-cpu", "metric": f"batched x{IMAGES} vs one at a time, {threads} thread(s)",
                     "value": round(batched, 2), "unit": "images/s", "baseline": round(single, 2),
                     "ratio": round(batched / single, 2),
                     "note": f"tiny SD, {SIZE}x{SIZE}, {STEPS} steps, CFG on, PNG + manifest writes included"})
    rows.append(_fuse_qkv_row(model, jobs, folder))
    return rows


def _fuse_qkv_row(model: Path, jobs, folder: Path) -> dict:
    """Batched throughput of the tiny pipeline loaded with fused Q/K/V projections vs without."""
    import torch

    from tools.generate import load_pipeline

    rate = {fuse: _images_per_second(load_pipeline(str(model), "cpu", fuse_qkv=fuse), jobs, folder / f"qkv-{fuse}",
                                     IMAGES, STEPS, repeats=3)
            for fuse in (False, True)}
    return {"benchmark": "generate-cpu",
            "metric": f"batched x{IMAGES}, --fuse-qkv vs not, {torch.get_num_threads()} thread(s)",
            "value": round(rate[True], 2), "unit": "images/s", "baseline": round(rate[False], 2),
            "ratio": round(rate[True] / rate[False], 2),
            "note": f"tiny SD, {SIZE}x{SIZE}, {STEPS} steps, best of 3; baseline: the same pipeline unfused"}


def _gpu_recipes() -> list[dict[str, bool]]:
    """load_pipeline options per GPU row; compiling is slow, so only on request."""
    recipes = [{}, {"fuse_qkv": True}]
    if os.environ.get("ECU_BENCH_COMPILE") == "1":
        recipes += [{"compile": True}, {"fuse_qkv": True, "compile": True}]
    return recipes


def _gpu_rows(folder: Path) -> list[dict]:
    import torch

    if not torch.cuda.is_available():
        print("no GPU present", file=sys.stderr)
        return [{"benchmark": "generate-gpu", "metric": "images/s", "value": None, "unit": "images/s",
                 "baseline": None, "ratio": None, "note": "no GPU present"}]
    from tests.fakes.tiny_pipeline import save_tiny_pipeline
    from tools.generate import clear_pipeline_cache, jobs_for_plan, load_pipeline

    model = os.environ.get("ECU_BENCH_IMAGE_MODEL") or str(save_tiny_pipeline(folder / "tiny-gpu", layers_per_block=2))
    real = "ECU_BENCH_IMAGE_MODEL" in os.environ
    size, steps = (1024, 4) if real else (256, STEPS)
    jobs = jobs_for_plan(_plan(IMAGES if not real else 4), width=size, height=size)
    rows, base = [], None
    for recipe in _gpu_recipes():
        label = " ".join(f"+{name}" for name in recipe) or "base"
        clear_pipeline_cache()  # one recipe's pipeline in GPU memory at a time
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
        pipe = load_pipeline(model, "cuda", **recipe)
        info = getattr(pipe, "_ecu_info", {})
        tag = "-".join(recipe) or "base"
        batched = _images_per_second(pipe, jobs, folder / f"gpu-{tag}", len(jobs), steps)
        single = _images_per_second(pipe, jobs, folder / f"gpu1-{tag}", 1, steps)
        base = base or batched
        peak = torch.cuda.max_memory_allocated() / 2**20
        rows.append({"benchmark": "generate-gpu", "metric": f"batched vs one at a time ({label})",
                     "value": round(batched, 2), "unit": "images/s", "baseline": round(single, 2),
                     "ratio": round(batched / single, 2),
                     "note": f"{torch.cuda.get_device_name()}, {pipe.dtype}, {size}px, {steps} steps, "
                             f"batched x{batched / base:.2f} vs base, peak {peak:.0f} MiB, "
                             f"{', '.join(f'{k}={v}' for k, v in info.items())}"})
        del pipe
    return rows


def run() -> list[dict]:
    from agent.outputs import quiet_libraries

    quiet_libraries()
    with tempfile.TemporaryDirectory() as folder:
        return _cpu_rows(Path(folder)) + _gpu_rows(Path(folder))


if __name__ == "__main__":
    from benchmarks.common import print_table

    print_table(run())
