"""Rendering a catalogue on a Ray cluster: a pool of actors, one pipeline each, loaded once.

Each actor (`RenderWorker`) loads the pipeline in its constructor and renders one SKU's remaining jobs per
call with tools.generate.generate, into a scratch folder on its own node, with the driver's run id and the
same batch size, so the PNG bytes and manifest records are the ones the local path writes. It hands them
back; the driver writes each PNG atomically into `RENDERS/<sku>/` and appends its record, so no shared
filesystem is needed and one process appends to each manifest. On CUDA each actor holds one GPU
(`num_gpus=1`). A worker that dies mid-batch is restarted (its pipeline loaded again) and the SKU retried
(`max_restarts`, `max_task_retries`); nothing of a lost batch was written, and what other SKUs finished is
already on disk with its record, so a restart of the whole job renders only the rest.

Ray is imported inside the functions (the `scale` extra: `pip install -e '.[generate,scale]'`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tools.generate import GenerateError, ImageJob, SavedImage, image_filename, job_dict, prepare_output, store_encoded

MAX_RESTARTS = 2  # a dead actor is started again this many times (its pipeline reloaded) ...
MAX_TASK_RETRIES = 2  # ... and the SKU it was rendering sent again


class RenderWorker:
    """A Ray actor's state: one loaded pipeline. A load failure is kept and raised by `render` as one line."""

    def __init__(self, model: str | None, device: str, compile: bool = False, fuse_qkv: bool = False) -> None:
        from tools.generate import load_pipeline

        _quiet()
        self.error: GenerateError | None = None
        try:
            self.pipe = load_pipeline(model, device, compile=compile, fuse_qkv=fuse_qkv)
        except GenerateError as err:
            self.pipe, self.error = None, err

    def render(self, sku: str, jobs: list[dict], options: dict[str, Any], run_id: str):
        """One SKU's jobs, as (sku, [(file name, PNG bytes, manifest record)]) in the order written."""
        from tools.generate import generate, read_manifest

        if self.error is not None:
            raise self.error
        with tempfile.TemporaryDirectory(prefix="ecu-ray-") as scratch:
            generate([ImageJob(**job) for job in jobs], scratch, pipeline=self.pipe, contact_sheet=False,
                     run_id=run_id, resume=False, **options)
            return sku, [(r["file"], (Path(scratch) / r["file"]).read_bytes(), r) for r in read_manifest(scratch)]


def _quiet() -> None:
    import logging

    for name in ("diffusers", "transformers", "torch"):
        logging.getLogger(name).setLevel(logging.ERROR)


def import_ray():
    """Ray, or a one-line setting error saying how to install it."""
    try:
        import ray
    except ImportError:
        raise _SettingError("--ray needs Ray: pip install -e '.[generate,scale]'") from None
    return ray


class _SettingError(GenerateError):
    is_setting = True


def connect(address: str | None, num_cpus: int | None = None) -> bool:
    """Join the cluster at `address`, or start a local Ray; True when this call started it (and so stops it)."""
    ray = import_ray()
    if ray.is_initialized():
        return False
    kwargs: dict[str, Any] = {"log_to_driver": False, "logging_level": "ERROR"}  # failures come back as errors
    if address:
        _reachable(address)
        kwargs["address"] = address
    else:
        kwargs.update(num_cpus=num_cpus, include_dashboard=False)
    try:
        ray.init(**kwargs)
    except Exception as err:  # no cluster there, or Ray cannot start here
        reason = (str(err).strip().splitlines() or [type(err).__name__])[0][:200]
        where = f"connect to Ray at {address}" if address else "start a local Ray"
        raise _SettingError(f"cannot {where}: {reason}") from None
    return True


def _reachable(address: str, timeout_s: float = 5.0) -> None:
    """A host:port (or ray://host:port) that nothing answers on is one line now: ray.init would retry for minutes."""
    import socket

    host, sep, port = address.removeprefix("ray://").rpartition(":")
    if not sep or not port.isdigit():
        return  # "auto", or a form Ray resolves itself
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout_s).close()
    except OSError as err:
        raise _SettingError(f"cannot connect to Ray at {address}: {err.strerror or err}") from None


def render_on_ray(work: list, options: dict[str, Any], *, run_id: str, on_sku: Callable[[Any, list[SavedImage]], None],
                  address: str | None = None, actors: int | None = None) -> None:
    """Render each SKU's remaining jobs (tools.bulk_generate.SkuWork) on a pool of actors; `on_sku` gets each
    SKU's saved images as it finishes. Stops a Ray it started."""
    if not work:
        return
    ray = import_ray()
    started = connect(address)
    try:
        _render(ray, work, dict(options), run_id=run_id, on_sku=on_sku, actors=actors)
    finally:
        if started:
            ray.shutdown()


def _render(ray, work: list, options: dict[str, Any], *, run_id: str, on_sku, actors: int | None) -> None:
    from ray.util import ActorPool

    load = {name: options.pop(name, default) for name, default in
            (("model", None), ("device", "auto"), ("compile", False), ("fuse_qkv", False))}
    options.pop("pipeline", None)  # each actor loads its own
    size, resources = pool_shape(load["device"], int(ray.cluster_resources().get("GPU", 0)), actors, len(work))
    actor = ray.remote(RenderWorker).options(**resources)
    pool = ActorPool([actor.remote(load["model"], load["device"], load["compile"], load["fuse_qkv"])
                      for _ in range(size)])
    by_sku = {item.sku: item for item in work}
    for item in work:
        prepare_output(item.out)  # proved writable (and a torn manifest repaired) before anything renders
    tasks = [(item.sku, [job_dict(job) for job in item.todo]) for item in work]
    results = pool.map_unordered(lambda a, task: a.render.remote(task[0], task[1], options, run_id), tasks)
    try:
        for sku, images in results:
            item = by_sku[sku]
            jobs = {image_filename(job): job for job in item.todo}
            on_sku(item, [_write(item.out, name, data, record, jobs) for name, data, record in images])
    except ray.exceptions.RayTaskError as err:
        cause = getattr(err, "cause", None)
        if isinstance(cause, GenerateError):
            raise cause from None
        raise GenerateError(f"a Ray worker failed: {type(cause or err).__name__}: "
                            f"{(str(cause or err).strip().splitlines() or [''])[0][:200]}") from None
    except ray.exceptions.RayActorError as err:
        raise GenerateError(f"a Ray worker died and could not be restarted ({type(err).__name__})") from None


def pool_shape(device: str, cluster_gpus: int, actors: int | None, skus: int) -> tuple[int, dict[str, Any]]:
    """How many actors, and what each asks Ray for: one GPU each where the cluster has GPUs and the device is
    not cpu (default: one actor per GPU), else one CPU; never more actors than SKUs to render."""
    gpus = cluster_gpus if device != "cpu" else 0
    if device == "cuda" and not gpus:
        raise _SettingError("--device cuda, but the Ray cluster has no GPU")
    size = max(1, min(actors or gpus or 1, skus))
    return size, {"num_gpus": 1 if gpus else 0, "num_cpus": 1, "max_restarts": MAX_RESTARTS,
                  "max_task_retries": MAX_TASK_RETRIES}


def _write(out: Path, name: str, data: bytes, record: dict, jobs: dict[str, ImageJob]) -> SavedImage:
    """The actor's PNG and record, written where the local path writes them."""
    path = store_encoded(out, name, data, record)
    return SavedImage(job=jobs[name], path=path, params={k: v for k, v in record.items() if k not in ("file", "run")})
