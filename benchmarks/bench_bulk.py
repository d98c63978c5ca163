"""Bulk generation throughput: a catalogue's images/s locally vs on a local Ray with 1 and 2 actors.

CPU section: the tiny random-weight pipeline of the tests, a 6-SKU family of the leather weekender brief
(4 shots each, 24 images) at 64x64 and 4 steps, rendered end to end as `ecu generate DIR` renders it
(tools.bulk_generate.render_family): the local path loads the pipeline once in this process; the Ray rows
run on a local Ray already started (`ray.init(num_cpus=2)`), so they include starting the actors and each
actor's pipeline load, not Ray's own start. GPU section: "needs a GPU" without CUDA; with CUDA, images/s on
one GPU locally and on Ray with one actor per GPU (ECU_BENCH_IMAGE_MODEL picks a real model; default the
tiny one, which says little about a real model's seconds per image).

Run: `python -m benchmarks.bench_bulk` (prints a table); `run()` returns the rows.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import row  # noqa: E402

SKUS = 6
SIZE = 64
STEPS = 4
BRIEF = ("Leather weekender bag for frequent travellers, an Instagram carousel. Extreme close-ups of the saddle "
         "stitching on the handle and the brass zip pull. Keep it premium and calm.")


def _family():
    from agent.config import Config
    from agent.runner import plan_with_progress
    from tools.catalog import CatalogRow, plan_family

    base = plan_with_progress(BRIEF, Config.from_env(model=None))
    rows = [CatalogRow(line=n + 2, sku=f"SKU-{n}", colorway=colour)
            for n, colour in enumerate(("cognac", "black", "olive", "navy", "tan", "sand")[:SKUS])]
    return plan_family(BRIEF, base, rows)


def _images_per_second(family, plans, out: Path, options: dict, ray: dict | None) -> tuple[float, int]:
    from tools.bulk_generate import family_work, render_family
    from tools.generate import clear_pipeline_cache

    clear_pipeline_cache()
    work = family_work(family, plans, out, width=SIZE, height=SIZE)
    start = time.perf_counter()
    made = render_family(work, options, run_id="bench", ray=ray)
    return made / (time.perf_counter() - start), made


def _section(label: str, model: str, device: str, folder: Path, ray_module) -> list[dict]:
    import torch

    family, plans = _family()
    options = dict(model=model, device=device, steps=STEPS, batch_size=4)
    threads = torch.get_num_threads()
    if device == "cpu":
        torch.set_num_threads(1)  # what each actor gets (num_cpus=1): the rows compare like with like
    try:
        _images_per_second(family, plans, folder / f"{label}-warmup", options, None)  # first-call costs
        local, made = _images_per_second(family, plans, folder / f"{label}-local", options, None)
    finally:
        torch.set_num_threads(threads)
    rows = [row(f"bulk-{label}", f"images/s, local ({made} images, {SKUS} SKUs)", local, "images/s",
                note="one pipeline in this process, loaded once (load included)" +
                ("; 1 torch thread, as each actor" if device == "cpu" else ""))]
    if ray_module is None:
        rows.append(row(f"bulk-{label}", "images/s, Ray", 0, "images/s", note="ray not installed (the scale extra)"))
        return rows
    gpus = max(1, int(ray_module.cluster_resources().get("GPU", 1))) if device != "cpu" else 0
    counts = (1, 2) if device == "cpu" else tuple(sorted({1, gpus}))
    previous = local
    for actors in counts:
        speed, _ = _images_per_second(family, plans, folder / f"{label}-ray{actors}", dict(options),
                                      {"address": None, "actors": actors})
        rows.append(row(f"bulk-{label}", f"images/s, Ray {actors} actor(s)", speed, "images/s", previous,
                        note=("baseline: local" if actors == 1 else "baseline: the row above") +
                        "; actor start and pipeline load included"))
        previous = speed
    return rows


def run() -> list[dict]:
    import torch

    from tests.fakes.tiny_pipeline import save_tiny_pipeline

    try:
        import ray
    except ImportError:
        ray = None
    rows = []
    with tempfile.TemporaryDirectory(prefix="ecu-bench-bulk-") as tmp:
        folder = Path(tmp)
        tiny = str(save_tiny_pipeline(folder / "tiny", layers_per_block=2))
        if ray is not None:
            ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
        try:
            rows += _section("cpu", tiny, "cpu", folder, ray)
            if torch.cuda.is_available():
                rows += _section("gpu", os.environ.get("ECU_BENCH_IMAGE_MODEL", tiny), "cuda", folder, ray)
            else:
                rows.append(row("bulk-gpu", "images/s, local and Ray (1 actor per GPU)", 0, "images/s",
                                note="needs a GPU: no CUDA device here"))
        finally:
            if ray is not None:
                ray.shutdown()
    return rows


if __name__ == "__main__":
    from benchmarks.common import print_table

    print_table(run())
