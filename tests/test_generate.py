"""Generation on a tiny random-weight Stable Diffusion pipeline, loaded through the product's own loader."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from agent.models import BriefSummary, Camera, Prompt, PromptFields, Shot, ShotPlan
from cli.main import main

torch = pytest.importorskip("torch")
pytest.importorskip("diffusers")

from tools import generate as gen  # noqa: E402

SIZE = 32
STEPS = 2


pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture
def pipe(tiny_model):
    return gen.load_pipeline(str(tiny_model), "cpu")


def make_plan(n: int = 3) -> ShotPlan:
    fields = PromptFields(subject_detail="the saddle stitching on the handle", shot_scale="extreme close up shot",
                          material_texture="waxed thread, leather", lighting="raking side light",
                          focus="razor sharp focus on the stitching", background="plain dark background",
                          intent="premium product photography")
    shots = []
    for i in range(1, n + 1):
        shots.append(Shot(
            id=f"s{i}", scale="extreme_close_up", purpose="punctuate", placement=f"slide {i}",
            prompt=Prompt(text=f"extreme close up of stitching number {i}, leather", fields=fields,
                          negative="blurry, plastic"),
            camera=Camera(lens="100mm macro", aperture="f/8", lighting="raking side light"),
        ))
    return ShotPlan(brief=BriefSummary(product="leather weekender bag", aspect_ratio="1:1"), shots=shots)


def jobs(plan=None, **kwargs):
    return gen.jobs_for_plan(plan or make_plan(), width=SIZE, height=SIZE, **kwargs)


def pixels(path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB")).copy()


def test_loader_caches_per_model_dtype_device(tiny_model):
    first = gen.load_pipeline(str(tiny_model), "cpu")
    assert gen.load_pipeline(str(tiny_model), "cpu") is first
    assert type(first).__name__ == "StableDiffusionPipeline"
    assert first.unet.dtype == torch.float32
    assert "AttnProcessor2_0" in first._ecu_info["unet_attention"]  # SDPA
    gen.clear_pipeline_cache()
    assert gen.load_pipeline(str(tiny_model), "cpu") is not first


def test_seeds_derive_from_brief_shot_and_attempt():
    plan = make_plan()
    base = gen.brief_seed_base(plan)
    assert gen.derive_seed(base, "s1", 1) == gen.derive_seed(base, "s1", 1)
    assert len({gen.derive_seed(base, s, a) for s in ("s1", "s2") for a in (1, 2)}) == 4
    first = jobs(plan)
    assert [j.seed for j in first] == [gen.derive_seed(base, j.shot_id, 1) for j in first]
    assert [j.seed for j in jobs(plan, shots=["s2"])] == [first[1].seed]
    assert jobs(plan, seed_base="42")[0].seed == gen.derive_seed("42", "s1", 1)
    assert jobs(plan, attempt={"s1": 3})[0].attempt == 3
    with pytest.raises(ValueError, match="no shot 's9'"):
        jobs(plan, shots=["s9"])
    assert gen.size_for_aspect("4:5") == (896, 1152) and gen.size_for_aspect("nonsense") == (1024, 1024)


def test_batched_images_are_reproducible_alone_and_on_a_second_run(pipe, tmp_path):
    batch = gen.generate(jobs(), tmp_path / "a", pipeline=pipe, steps=STEPS, batch_size=2)
    assert [s.job.shot_id for s in batch] == ["s1", "s2", "s3"]
    assert len({pixels(s.path).tobytes() for s in batch}) == 3  # different seeds, different images
    again = gen.generate(jobs(), tmp_path / "b", pipeline=pipe, steps=STEPS, batch_size=3)
    alone = gen.generate(jobs(shots=["s2"]), tmp_path / "c", pipeline=pipe, steps=STEPS, batch_size=1)
    for first, second in zip(batch, again):
        assert first.path.name == second.path.name
        assert np.array_equal(pixels(first.path), pixels(second.path))
        assert first.path.read_bytes() == second.path.read_bytes()
    assert np.array_equal(pixels(alone[0].path), pixels(batch[1].path))


def test_png_metadata_manifest_and_contact_sheet(pipe, tmp_path):
    saved = gen.generate(jobs(), tmp_path, pipeline=pipe, steps=STEPS, guidance=5.0, run_id="r1")
    for item in saved:
        with Image.open(item.path) as image:
            params = json.loads(image.info["ecu"])
            assert image.size == (SIZE, SIZE)
        assert params == item.params
        assert {"prompt", "negative", "seed", "model", "steps", "guidance", "width", "height", "shot_id",
                "attempt"} <= set(params)
        assert params["seed"] == item.job.seed and params["steps"] == STEPS and params["guidance"] == 5.0
        assert params["prompt"] == item.job.prompt and params["negative"] == "blurry, plastic"
    manifest = gen.read_manifest(tmp_path)
    assert [m["file"] for m in manifest] == [s.path.name for s in saved]
    assert all(m["run"] == "r1" and m["shot_id"] for m in manifest)
    sheet = tmp_path / "contact-sheet-r1.png"
    with Image.open(sheet) as image:
        assert image.format == "PNG" and image.width >= 2 * SIZE
    assert not list(tmp_path.glob(".*.tmp"))  # atomic writes leave no temp files


def test_progress_per_step_and_cancellation(pipe, tmp_path):
    seen = []
    gen.generate(jobs(), tmp_path / "p", pipeline=pipe, steps=STEPS, batch_size=2,
                 progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert seen[-1] == ("generate", 3 * STEPS, 3 * STEPS)
    assert [d for _, d, _ in seen] == sorted(d for _, d, _ in seen)
    assert len(seen) >= 2 * STEPS  # per step, not only per batch

    stop = threading.Event()
    with pytest.raises(gen.GenerationCancelled):
        gen.generate(jobs(), tmp_path / "c", pipeline=pipe, steps=STEPS, batch_size=1,
                     on_saved=lambda item: stop.set(), cancel=stop)
    assert len(list((tmp_path / "c").glob("*.png"))) == 1  # the image written before the cancel stays

    steps_seen = []
    with pytest.raises(gen.GenerationCancelled):  # a callable, checked between denoising steps
        gen.generate(jobs(), tmp_path / "d", pipeline=pipe, steps=STEPS, batch_size=3,
                     progress=lambda *a: steps_seen.append(a), cancel=lambda: len(steps_seen) >= 1)
    assert len(steps_seen) == 1 and not list((tmp_path / "d").glob("*.png"))


class OomOnce:
    """Wraps a pipeline; raises CUDA out-of-memory on the first call with more than one prompt."""

    def __init__(self, pipe, *, always=False):
        self.pipe, self.always, self.batches = pipe, always, []
        self._ecu_model = getattr(pipe, "_ecu_model", "tiny")

    def __call__(self, **kwargs):
        self.batches.append(len(kwargs["prompt"]))
        if self.always or (len(self.batches) == 1 and len(kwargs["prompt"]) > 1):
            raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return self.pipe(**kwargs)


def test_cuda_oom_halves_the_batch_and_keeps_the_seeds(pipe, tmp_path):
    reference = gen.generate(jobs(make_plan(4)), tmp_path / "ref", pipeline=pipe, steps=STEPS, batch_size=4)
    fake = OomOnce(pipe)
    saved = gen.generate(jobs(make_plan(4)), tmp_path / "oom", pipeline=fake, steps=STEPS, batch_size=4)
    assert fake.batches == [4, 2, 2]
    for a, b in zip(reference, saved):
        assert np.array_equal(pixels(a.path), pixels(b.path))
    with pytest.raises(gen.GenerateError, match="out of GPU memory even with batch 1"):
        gen.generate(jobs(), tmp_path / "never", pipeline=OomOnce(pipe, always=True), steps=STEPS, batch_size=2)


def test_configure_pipeline_for_cuda_settings_on_cpu(tiny_model, monkeypatch):
    from diffusers import DiffusionPipeline
    from diffusers.models.attention_processor import AttnProcessor

    fresh = DiffusionPipeline.from_pretrained(str(tiny_model))
    fresh.unet.set_attn_processor(AttnProcessor())  # the classic, non-SDPA processor
    compiled = []
    monkeypatch.setattr(type(fresh.unet), "compile", lambda self, **kw: compiled.append(kw), raising=False)
    info = gen.configure_pipeline(fresh, channels_last=True, compile=True)
    assert {type(p).__name__ for p in fresh.unet.attn_processors.values()} == {"AttnProcessor2_0"}
    assert info["unet_memory_format"] == "channels_last"
    conv = fresh.unet.conv_in.weight
    assert conv.is_contiguous(memory_format=torch.channels_last)
    assert compiled == [{"fullgraph": False}]



def processor_names(module) -> set[str]:
    return {type(p).__name__ for p in module.attn_processors.values()}


@pytest.fixture
def fused(tiny_model):
    return gen.load_pipeline(str(tiny_model), "cpu", fuse_qkv=True)


@pytest.fixture
def empty_cache():
    """A pipeline configured under a monkeypatch must not outlive the test in the loader's cache."""
    gen.clear_pipeline_cache()
    yield
    gen.clear_pipeline_cache()


def test_fuse_qkv_installs_fused_projections_in_unet_and_vae(tiny_model, fused, pipe):
    assert gen.load_pipeline(str(tiny_model), "cpu", fuse_qkv=True) is fused and fused is not pipe  # cache key
    assert fused._ecu_info["unet_qkv"] == fused._ecu_info["vae_qkv"] == "fused"
    assert fused._ecu_info["unet_attention"] == fused._ecu_info["vae_attention"] == "FusedAttnProcessor2_0"
    for name in ("unet", "vae"):
        assert processor_names(getattr(fused, name)) == {"FusedAttnProcessor2_0"}
        assert processor_names(getattr(pipe, name)) == {"AttnProcessor2_0"}
    blocks = [m for m in fused.unet.modules() if type(m).__name__ == "Attention"]
    assert any(hasattr(m, "to_qkv") for m in blocks) and any(hasattr(m, "to_kv") for m in blocks)  # self, cross
    assert "unet_qkv" not in pipe._ecu_info  # off by default


def test_fusion_runs_after_sdpa_so_its_processor_stays(tiny_model):
    from diffusers import DiffusionPipeline
    from diffusers.models.attention_processor import AttnProcessor

    fresh = DiffusionPipeline.from_pretrained(str(tiny_model))
    fresh.unet.set_attn_processor(AttnProcessor())  # the classic processor _ensure_sdpa replaces
    info = gen.configure_pipeline(fresh, channels_last=False, fuse_qkv=True)
    assert info["unet_qkv"] == "fused" and processor_names(fresh.unet) == {"FusedAttnProcessor2_0"}
    # unfusing goes back to SDPA, not to the classic processor
    assert {type(p).__name__ for p in fresh.unet.original_attn_processors.values()} == {"AttnProcessor2_0"}


def test_fused_and_unfused_images_match_for_the_same_seeds(pipe, fused, tmp_path):
    plain = gen.generate(jobs(), tmp_path / "plain", pipeline=pipe, steps=STEPS, batch_size=3)
    fast = gen.generate(jobs(), tmp_path / "fused", pipeline=fused, steps=STEPS, batch_size=3)
    assert [a.path.name for a in plain] == [b.path.name for b in fast]
    for a, b in zip(plain, fast):
        diff = np.abs(pixels(a.path).astype(int) - pixels(b.path).astype(int))
        assert diff.max() <= 2  # of 255: float rounding only, fusion is the same linear map
    # before the uint8 rounding: the decoded arrays agree to float32 precision
    kwargs = dict(prompt=["stitching on leather"], num_inference_steps=STEPS, width=SIZE, height=SIZE,
                  output_type="np")
    with torch.inference_mode():
        a = pipe(generator=torch.Generator().manual_seed(7), **kwargs).images
        b = fused(generator=torch.Generator().manual_seed(7), **kwargs).images
    assert a.std() > 0.01 and np.allclose(a, b, atol=1e-4)


def test_unsupported_fusion_is_reported_and_generation_still_works(tiny_model, monkeypatch, empty_cache, tmp_path):
    from diffusers import AutoencoderKL, UNet2DConditionModel

    def added_kv(self):
        raise ValueError("`fuse_qkv_projections()` is not supported for models having added KV projections.\n"
                         "second line")

    monkeypatch.setattr(AutoencoderKL, "fuse_qkv_projections", added_kv)
    partly = gen.load_pipeline(str(tiny_model), "cpu", fuse_qkv=True)
    assert partly._ecu_info["vae_qkv"] == ("not fused: `fuse_qkv_projections()` is not supported for models "
                                           "having added KV projections.")
    assert partly._ecu_info["unet_qkv"] == "fused"
    assert processor_names(partly.vae) == {"AttnProcessor2_0"}  # left on SDPA
    saved = gen.generate(jobs(), tmp_path / "partly", pipeline=partly, steps=STEPS)
    assert len(saved) == 3 and all(s.path.exists() for s in saved)

    gen.clear_pipeline_cache()
    monkeypatch.setattr(UNet2DConditionModel, "fuse_qkv_projections", None)  # a model without the method
    info = gen.load_pipeline(str(tiny_model), "cpu", fuse_qkv=True)._ecu_info
    assert info["unet_qkv"] == "not fused: UNet2DConditionModel has no fuse_qkv_projections"


def test_fuse_qkv_flag_reaches_the_loader(tiny_model, real_plan_file, tmp_path, monkeypatch, capsys):
    from cli.commands.generate import renderer_from_args
    from cli.main import build_parser

    parser = build_parser()
    for argv in (["generate", "plan.json"], ["plan", "brief.txt", "--generate"]):
        assert renderer_from_args(parser.parse_args(argv), tmp_path).options["fuse_qkv"] is False
        assert renderer_from_args(parser.parse_args([*argv, "--fuse-qkv"]), tmp_path).options["fuse_qkv"] is True

    real_load, calls = gen.load_pipeline, []

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(gen, "load_pipeline", spy)
    assert main(["generate", str(real_plan_file), "--image-model", str(tiny_model), "--steps", str(STEPS),
                 "--width", str(SIZE), "--height", str(SIZE), "--shots", "s1", "--device", "cpu", "--fuse-qkv",
                 "--out", str(tmp_path / "out")]) == 0
    capsys.readouterr()
    assert calls == [{"compile": False, "fuse_qkv": True}]
    assert [m["shot_id"] for m in gen.read_manifest(tmp_path / "out")] == ["s1"]

def test_failure_paths_are_one_line(tmp_path, monkeypatch, pipe):
    """The tool names the setting (image_model); each face writes its own word for it (the CLI: its flag)."""
    from agent.errors import ConfigError, generation_error
    from cli.main import flag_for
    from tui.controller import named_in_chat

    with pytest.raises(gen.GenerateError, match="not found locally; download it or pass image_model PATH"):
        gen.load_pipeline(str(tmp_path / "no-such-model"), "cpu")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    with pytest.raises(gen.GenerateError) as err:
        gen.load_pipeline("nobody/no-such-ecu-model", "cpu")
    assert str(err.value) == ("image model nobody/no-such-ecu-model not found locally; "
                              "download it or pass image_model PATH")
    mapped = generation_error(err.value)
    assert isinstance(mapped, ConfigError)
    assert mapped.told(flag_for) == ("image model nobody/no-such-ecu-model not found locally; "
                                     "download it or pass --image-model PATH")
    assert mapped.told(named_in_chat).endswith("download it or pass ECU_IMAGE_MODEL PATH")
    (tmp_path / "notapipe").mkdir()
    with pytest.raises(gen.GenerateError, match="not a diffusers pipeline folder"):
        gen.load_pipeline(str(tmp_path / "notapipe"), "cpu")
    if not torch.cuda.is_available():
        with pytest.raises(gen.GenerateError, match="no CUDA GPU is available"):
            gen.load_pipeline("whatever/model", "cuda")

    real_write = gen.write_png
    calls = []

    def full_disk(image, path, params):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(image, path, params)

    monkeypatch.setattr(gen, "write_png", full_disk)
    with pytest.raises(gen.GenerateError, match=r"disk full writing .*; 1 image\(s\) already written stay"):
        gen.generate(jobs(), tmp_path / "full", pipeline=pipe, steps=STEPS, batch_size=3)
    assert len(list((tmp_path / "full").glob("*.png"))) == 1


@pytest.fixture(scope="module")
def real_plan_file(tmp_path_factory) -> Path:
    from agent.api import Agent
    from tests.conftest import LEATHER_BRIEF

    plan = Agent().plan(LEATHER_BRIEF)
    path = tmp_path_factory.mktemp("plan") / "plan.json"
    path.write_text(plan.model_dump_json(indent=2))
    return path


def test_ecu_generate_end_to_end(tiny_model, real_plan_file, tmp_path, capsys):
    plan = ShotPlan.model_validate_json(real_plan_file.read_text())
    args = ["generate", str(real_plan_file), "--image-model", str(tiny_model), "--steps", str(STEPS),
            "--width", str(SIZE), "--height", str(SIZE), "--batch", "4", "--device", "cpu"]
    assert main([*args, "--out", str(tmp_path / "one")]) == 0
    captured = capsys.readouterr()
    written = [Path(line) for line in captured.out.split()]
    assert len(written) == len(plan.shots) and all(p.exists() for p in written)
    assert "contact-sheet-" in captured.err and "saved" in captured.err
    manifest = gen.read_manifest(tmp_path / "one")
    assert sorted(m["shot_id"] for m in manifest) == sorted(s.id for s in plan.shots)
    assert len(list((tmp_path / "one").glob("contact-sheet-*.png"))) == 1

    assert main([*args, "--out", str(tmp_path / "two")]) == 0
    assert main([*args, "--out", str(tmp_path / "three"), "--shots", "s2"]) == 0
    capsys.readouterr()
    for path in written:
        assert np.array_equal(pixels(path), pixels(tmp_path / "two" / path.name))
    s2 = next(p for p in written if p.name.startswith("s2-"))
    alone = list((tmp_path / "three").glob("*.png"))
    assert [p.name for p in alone if not p.name.startswith("contact")] == [s2.name]
    assert np.array_equal(pixels(s2), pixels(tmp_path / "three" / s2.name))

    assert main([*args, "--out", str(tmp_path / "x"), "--shots", "s99"]) == 2
    assert "no shot 's99'" in capsys.readouterr().err
    if not torch.cuda.is_available():
        assert main([*args[:-2], "--device", "cuda", "--out", str(tmp_path / "gpu")]) == 1
        err = capsys.readouterr().err
        assert err.startswith("ecu: error: --device cuda asked for, but no CUDA GPU") and err.count("\n") == 1


def test_ecu_generate_missing_model_is_one_line_without_traceback(real_plan_file, tmp_path):
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf"), "ECU_HOME": str(tmp_path / "h")}
    proc = subprocess.run(
        [sys.executable, "-m", "cli.main", "generate", str(real_plan_file), "--image-model", "nobody/missing-model",
         "--out", str(tmp_path / "out"), "--device", "cpu"],
        capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip() == ("ecu: error: image model nobody/missing-model not found locally; "
                                   "download it or pass --image-model PATH")
    assert not list((tmp_path / "out").glob("*.png"))


def test_ecu_generate_bad_plan_and_options(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"shots": []}')
    assert main(["generate", str(bad)]) == 2
    assert "not a valid plan JSON" in capsys.readouterr().err
    assert main(["generate", str(tmp_path / "none.json")]) == 2
    assert main(["generate", str(bad), "--width", "30"]) == 2
    assert "multiple of 8" in capsys.readouterr().err


def test_missing_image_model_exits_2_and_leaves_no_empty_folder(real_plan_file, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # the default output folder, out/plan, would be created here
    assert main(["generate", str(real_plan_file), "--image-model", "/missing", "--device", "cpu"]) == 2
    assert capsys.readouterr().err == ("ecu: error: image model /missing not found locally; "
                                       "download it or pass --image-model PATH\n")
    assert list(tmp_path.iterdir()) == []
    nested = tmp_path / "new" / "renders"
    assert main(["generate", str(real_plan_file), "--image-model", str(tmp_path / "nope"), "--out", str(nested),
                 "--device", "cpu"]) == 2
    assert not (tmp_path / "new").exists()
    kept = tmp_path / "kept"
    kept.mkdir()
    (tmp_path / "notapipe").mkdir()
    assert main(["generate", str(real_plan_file), "--image-model", str(tmp_path / "notapipe"), "--out", str(kept),
                 "--device", "cpu"]) == 2
    assert "not a diffusers pipeline folder" in capsys.readouterr().err
    assert kept.is_dir()  # a folder that was there before stays


def test_plan_generate_with_a_missing_model_exits_2(tmp_path, monkeypatch, capsys, leather_brief):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "brief.txt").write_text(leather_brief)
    assert main(["plan", "brief.txt", "--generate", "--image-model", "/missing", "--device", "cpu"]) == 2
    assert "image model /missing not found locally" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.txt"]


def test_compile_on_cpu_is_skipped_with_a_notice(tiny_model, real_plan_file, tmp_path, monkeypatch, capsys):
    real_load, calls = gen.load_pipeline, []

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(gen, "load_pipeline", spy)
    assert main(["generate", str(real_plan_file), "--image-model", str(tiny_model), "--steps", str(STEPS),
                 "--width", str(SIZE), "--height", str(SIZE), "--shots", "s1", "--device", "cpu", "--compile",
                 "--out", str(tmp_path / "out")]) == 0
    assert "ecu: --compile is meant for CUDA; skipped on CPU" in capsys.readouterr().err
    assert calls == [{"compile": False, "fuse_qkv": False}]


# -- plan contract v2: sources and per-shot ratios; reliability: torn manifests, resume --------------------


class CountingPipe:
    """Wraps a pipeline; records every call's prompts and size."""

    def __init__(self, pipe):
        self.pipe, self.calls = pipe, []
        self._ecu_model = getattr(pipe, "_ecu_model", "tiny")

    def __call__(self, **kwargs):
        self.calls.append((len(kwargs["prompt"]), kwargs["width"], kwargs["height"]))
        return self.pipe(**kwargs)


def image_size(path) -> tuple[int, int]:
    with Image.open(path) as image:
        return image.size


def test_ecu_generate_renders_each_shot_at_its_own_ratio(tiny_model, tmp_path, capsys):
    from agent.api import Agent
    from tests.test_contract_v2 import CAROUSEL_AND_STORIES

    plan = Agent().plan(CAROUSEL_AND_STORIES)
    path = tmp_path / "plan.json"
    path.write_text(plan.model_dump_json())
    assert main(["generate", str(path), "--image-model", str(tiny_model), "--steps", str(STEPS), "--width", "32",
                 "--device", "cpu", "--out", str(tmp_path / "out")]) == 0
    capsys.readouterr()
    manifest = {m["shot_id"]: m for m in gen.read_manifest(tmp_path / "out")}
    assert set(manifest) == {s.id for s in plan.shots}
    expected = {"4:5": (32, 40), "9:16": (32, 56)}
    for shot in plan.shots:
        record = manifest[shot.id]
        assert image_size(tmp_path / "out" / record["file"]) == expected[shot.aspect_ratio]
        assert (record["width"], record["height"]) == expected[shot.aspect_ratio]
    assert {s.aspect_ratio for s in plan.shots} == {"4:5", "9:16"}
    # without --width each size comes from the shot's ratio at the model's pixel budget
    sizes = {j.shot_id: (j.width, j.height) for j in gen.jobs_for_plan(plan)}
    assert {sizes[s.id] for s in plan.shots if s.aspect_ratio == "9:16"} == {gen.size_for_aspect("9:16")}
    assert {sizes[s.id] for s in plan.shots if s.aspect_ratio == "4:5"} == {gen.size_for_aspect("4:5")}


def sourced_plan() -> ShotPlan:
    plan = make_plan(4)
    plan.shots[1].source, plan.shots[1].source_reason = "photograph", "braille must be legible"
    plan.shots[3].source, plan.shots[3].source_reason = "screen_capture", "it shows a real interface (app)"
    return plan


def test_ecu_generate_renders_only_generate_shots_and_says_what_is_to_be_shot(tiny_model, tmp_path, capsys):
    path = tmp_path / "plan.json"
    path.write_text(sourced_plan().model_dump_json())
    args = ["generate", str(path), "--image-model", str(tiny_model), "--steps", str(STEPS), "--width", str(SIZE),
            "--height", str(SIZE), "--device", "cpu"]
    assert main([*args, "--out", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    assert sorted(m["shot_id"] for m in gen.read_manifest(tmp_path / "out")) == ["s1", "s3"]
    assert "to be shot: s2 (photograph): braille must be legible" in captured.err
    assert "to be shot: s4 (screen capture): it shows a real interface (app)" in captured.err
    assert len(captured.out.split()) == 2
    # naming only shots that are not generated renders nothing and says so
    assert main([*args, "--out", str(tmp_path / "none"), "--shots", "s2,s4"]) == 0
    assert "nothing to render: 2 shot(s) are photographed or screen-captured" in capsys.readouterr().err
    assert not (tmp_path / "none").exists()


def test_qc_and_revision_run_only_on_generated_images(pipe, tmp_path):
    from agent.iterate import refine

    checked = []

    def check(path, **kwargs):
        from agent.models import QCReport

        checked.append(path)
        return QCReport(image=path, passed=True, criteria={})

    renderer = gen.Renderer(tmp_path, pipeline=pipe, steps=STEPS)
    plan = refine(sourced_plan(), render=renderer, check=check, width=SIZE, height=SIZE)
    assert [s.id for s in plan.shots if s.renders] == ["s1", "s3"] and len(checked) == 2


def test_a_short_manifest_write_leaves_no_torn_line(pipe, tmp_path, monkeypatch):
    real_write, calls = os.write, []

    def disk_fills(fd, data):
        calls.append(len(data))
        if len(calls) == 2:  # the second record: half of it lands, then the disk is full
            return real_write(fd, data[: len(data) // 2])
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(gen.os, "write", disk_fills)
    with pytest.raises(gen.GenerateError) as err:
        gen.generate(jobs(), tmp_path, pipeline=pipe, steps=STEPS, batch_size=3)
    assert str(err.value).startswith("disk full writing s2-") and "1 image(s) already written" in str(err.value)
    raw = (tmp_path / gen.MANIFEST_NAME).read_bytes()
    assert raw.endswith(b"\n") and raw.count(b"\n") == 1  # the half line was cut back
    monkeypatch.setattr(gen.os, "write", real_write)
    saved = gen.generate(jobs(), tmp_path, pipeline=pipe, steps=STEPS, batch_size=3)
    assert [s.resumed for s in saved] == [True, False, False]
    assert [m["shot_id"] for m in gen.read_manifest(tmp_path)] == ["s1", "s2", "s3"]


def test_a_torn_last_line_is_repaired_and_the_next_record_is_readable(pipe, tmp_path):
    gen.generate(jobs(shots=["s1"]), tmp_path, pipeline=pipe, steps=STEPS)
    manifest = tmp_path / gen.MANIFEST_NAME
    whole = manifest.read_bytes()
    manifest.write_bytes(whole + b'{"file": "s2-a1-12.png", "pro')  # a crash mid-line, as a full disk leaves it
    assert [m["shot_id"] for m in gen.read_manifest(tmp_path)] == ["s1"]  # read tolerates it
    assert gen.images_on_disk(tmp_path) == 1
    gen.generate(jobs(shots=["s2"]), tmp_path, pipeline=pipe, steps=STEPS)
    assert [m["shot_id"] for m in gen.read_manifest(tmp_path)] == ["s1", "s2"]
    lines = manifest.read_bytes().splitlines()
    assert lines[0] == whole.rstrip(b"\n") and len(lines) == 2 and all(json.loads(line) for line in lines)


def test_a_full_tmpfs_tears_nothing(pipe, tmp_path):
    """The real probe: a tiny tmpfs fills up during a run (skipped where mounting is not allowed)."""
    mount = tmp_path / "small"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12k", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        with pytest.raises(gen.GenerateError, match="disk full") as err:
            gen.generate(jobs(make_plan(8)), mount, pipeline=pipe, steps=STEPS, batch_size=8, contact_sheet=False)
        on_disk = gen.images_on_disk(mount)
        assert f"{on_disk} image(s) already written" in str(err.value)
        raw = (mount / gen.MANIFEST_NAME).read_bytes() if (mount / gen.MANIFEST_NAME).exists() else b""
        assert raw == b"" or raw.endswith(b"\n")
        assert len(gen.read_manifest(mount)) == on_disk
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_resume_skips_what_is_already_there_and_renders_the_rest(pipe, tmp_path):
    stop = threading.Event()
    with pytest.raises(gen.GenerationCancelled):  # an interrupted first run: one image written
        gen.generate(jobs(), tmp_path, pipeline=pipe, steps=STEPS, batch_size=1, on_saved=lambda i: stop.set(),
                     cancel=stop)
    counting = CountingPipe(pipe)
    saved = gen.generate(jobs(), tmp_path, pipeline=counting, steps=STEPS, batch_size=3)
    assert [(s.job.shot_id, s.resumed) for s in saved] == [("s1", True), ("s2", False), ("s3", False)]
    assert counting.calls == [(2, SIZE, SIZE)]
    again = CountingPipe(pipe)
    assert all(s.resumed for s in gen.generate(jobs(), tmp_path, pipeline=again, steps=STEPS))
    assert again.calls == []
    assert [m["shot_id"] for m in gen.read_manifest(tmp_path)] == ["s1", "s2", "s3"]  # no duplicate lines
    # a changed prompt or step count is a different image: rendered, not resumed
    assert not gen.generate(jobs(), tmp_path, pipeline=again, steps=STEPS + 1)[0].resumed
    fresh = CountingPipe(pipe)
    gen.generate(jobs(), tmp_path, pipeline=fresh, steps=STEPS, resume=False)
    assert fresh.calls == [(3, SIZE, SIZE)]


def test_ecu_generate_resumes_by_default(tiny_model, real_plan_file, tmp_path, capsys):
    args = ["generate", str(real_plan_file), "--image-model", str(tiny_model), "--steps", str(STEPS),
            "--width", str(SIZE), "--height", str(SIZE), "--device", "cpu", "--out", str(tmp_path / "out")]
    assert main([*args, "--shots", "s1,s2"]) == 0
    capsys.readouterr()
    assert main(args) == 0
    captured = capsys.readouterr()
    n = len(gen.read_manifest(tmp_path / "out"))
    assert n == len(ShotPlan.model_validate_json(real_plan_file.read_text()).shots)
    assert "kept 2 already there" in captured.err and f"wrote {n - 2} image(s)" in captured.err
    assert main([*args, "--no-resume", "--shots", "s1"]) == 0
    assert len(gen.read_manifest(tmp_path / "out")) == n + 1


def test_an_unwritable_output_folder_is_found_before_the_model_loads(tmp_path, monkeypatch):
    loads = []
    monkeypatch.setattr(gen, "load_pipeline", lambda *a, **k: loads.append(a))
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    real = gen.tempfile.NamedTemporaryFile
    if os.geteuid() == 0:  # permissions do not stop root: a read-only bind of the folder does
        if subprocess.run(["mount", "--bind", "-o", "ro", str(blocked), str(blocked)],
                          capture_output=True).returncode != 0:
            monkeypatch.setattr(gen.tempfile, "NamedTemporaryFile", lambda **kw: real(**kw) if kw["dir"] != blocked
                                else (_ for _ in ()).throw(PermissionError(errno.EROFS, "Read-only file system")))
    else:
        blocked.chmod(0o500)
    try:
        with pytest.raises(gen.GenerateError, match=r"^cannot write to output folder .*blocked: "):
            gen.generate(jobs(), blocked, model="whatever/model", steps=STEPS)
    finally:
        subprocess.run(["umount", str(blocked)], capture_output=True)
        blocked.chmod(0o700)
    assert loads == [] and not list(blocked.iterdir())
