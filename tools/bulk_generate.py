"""Rendering a planned catalogue (`ecu generate DIR`): every SKU's `generate` shots, one job, resumable.

Each SKU renders into `RENDERS/<sku>/` exactly as `ecu generate PLAN` would (tools.generate: the PNGs with
their parameters, `manifest.jsonl`, seeds from the SKU's brief, shot and attempt), so one SKU can be made
again alone. A SKU with a reference photo renders image-to-image from it at `strength`. What an earlier run
left (image and record both there) is kept; the rest is rendered locally (one pipeline, loaded once) or on
Ray (tools.ray_backend). Then a contact sheet per SKU and one for the family: a row per SKU, a column per shot.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from agent.models import ShotPlan
from tools.catalog import Family
from tools.generate import (
    ImageJob,
    SavedImage,
    already_made,
    contact_sheet_path,
    generate,
    image_model,
    jobs_for_plan,
    to_be_shot,
    write_contact_sheet,
)

DEFAULT_STRENGTH = 0.6  # keeps the photo's colours and materials, leaves room for the planned framing
FAMILY_SHEET_MAX_SKUS = 100  # rows on the family sheet: past that it is too tall to open; each SKU has its own

BulkProgress = Callable[[float, int], None]  # (images done, images in the job): one bar for the whole job


@dataclass
class SkuWork:
    """One SKU's part of the job: its folder, its jobs, and what an earlier run already made."""

    sku: str
    out: Path
    jobs: list[ImageJob]
    kept: list[SavedImage] = field(default_factory=list)
    saved: list[SavedImage] = field(default_factory=list)

    @property
    def todo(self) -> list[ImageJob]:
        done = {item.job for item in self.kept}
        return [job for job in self.jobs if job not in done]


def family_work(family: Family, plans: dict[str, ShotPlan], out_root: str | Path, *,
                strength: float = DEFAULT_STRENGTH, seed_base: str | None = None, width: int | None = None,
                height: int | None = None, attempt: int = 1) -> list[SkuWork]:
    """Every SKU's jobs (its `generate` shots), a reference photo and its strength on each when the row has one."""
    work = []
    for entry in family.skus:
        jobs = jobs_for_plan(plans[entry.sku], attempt=attempt, seed_base=seed_base, width=width, height=height)
        if entry.row.reference:
            jobs = [replace(job, reference=entry.row.reference, strength=strength) for job in jobs]
        work.append(SkuWork(sku=entry.sku, out=Path(out_root) / entry.sku, jobs=jobs))
    return work


def not_generated(family: Family, plans: dict[str, ShotPlan]) -> list[tuple[str, str, str, str]]:
    """(sku, shot id, source, reason) for each shot to be photographed or screen-captured."""
    return [(entry.sku, *shot) for entry in family.skus for shot in to_be_shot(plans[entry.sku])]


def find_kept(work: list[SkuWork], *, model: str | None, steps: int | None, guidance: float | None) -> int:
    """Mark what an earlier run into the same folders made (image and matching record); how many."""
    name = image_model(model)
    for item in work:
        item.kept = already_made(item.out, item.jobs, model=name, steps=steps, guidance=guidance) \
            if item.out.is_dir() else []
    return sum(len(item.kept) for item in work)


def render_family(work: list[SkuWork], options: dict[str, Any], *, run_id: str, ray: dict[str, Any] | None = None,
                  progress: BulkProgress | None = None,
                  on_saved: Callable[[str, SavedImage], None] | None = None) -> int:
    """Render every SKU's remaining jobs (`options`: tools.generate.generate's model, device, steps, guidance,
    batch_size, compile, fuse_qkv); locally, or on Ray with `ray` ({"address", "actors"}). Returns how many
    images were made. Images are written as they come; a failure leaves them, each with its record."""
    total = sum(len(item.todo) for item in work)
    done = 0

    def saved(item: SkuWork, image: SavedImage) -> None:
        item.saved.append(image)
        if on_saved is not None:
            on_saved(item.sku, image)

    if ray is not None:
        from tools.ray_backend import render_on_ray

        def on_sku(item: SkuWork, images: list[SavedImage]) -> None:
            nonlocal done
            for image in images:
                saved(item, image)
            done += len(images)
            if progress is not None:
                progress(done, total)

        render_on_ray([item for item in work if item.todo], options, run_id=run_id, on_sku=on_sku, **ray)
        return done
    for item in work:
        todo = item.todo
        if not todo:
            continue

        def steps_done(_stage: str, finished: int, steps_total: int, _n: int = len(todo),  # noqa: B008
                       _done: float = done) -> None:  # bound now: the loop moves on before the callback runs
            if progress is not None and steps_total:
                progress(_done + _n * finished / steps_total, total)

        generate(todo, item.out, progress=steps_done, on_saved=lambda image, _item=item: saved(_item, image),
                 contact_sheet=False, run_id=run_id, resume=False, **options)
        done += len(todo)
        if progress is not None:
            progress(done, total)
    return done


def write_sheets(work: list[SkuWork], out_root: str | Path, run_id: str) -> tuple[list[Path], Path | None]:
    """A contact sheet per SKU (in its folder) and one for the family (a row per SKU, a column per shot, the
    first FAMILY_SHEET_MAX_SKUS SKUs); both in job order, kept and new images alike."""
    sheets = []
    rows = []
    for item in work:
        images = _in_job_order(item)
        if not images:
            continue
        labels = [(f"{s.job.shot_id} a{s.job.attempt}", s.path) for s in images]
        sheets.append(write_contact_sheet(labels, contact_sheet_path(item.out, run_id)))
        rows.append([(f"{item.sku} {s.job.shot_id}", s.path) for s in images])
    if not rows:
        return sheets, None
    columns = max(len(row) for row in rows)
    cells = []
    for row in rows[:FAMILY_SHEET_MAX_SKUS]:
        cells += row + [("", "")] * (columns - len(row))  # a short SKU keeps the next one on its own row
    family = write_contact_sheet(cells, Path(out_root) / f"contact-sheet-family-{run_id}.png", columns=columns)
    return sheets, family


def _in_job_order(item: SkuWork) -> list[SavedImage]:
    by_job = {image.job: image for image in [*item.kept, *item.saved]}
    return [by_job[job] for job in item.jobs if job in by_job]


def new_run_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S")
