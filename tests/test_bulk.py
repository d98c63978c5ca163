"""Bulk: a catalogue planned as one family, rendered as one job with the tiny pipeline, locally and on Ray."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest
from PIL import Image

from agent.models import ShotPlan
from cli.main import main
from tools.catalog import CatalogError, read_catalog

BRIEF = ("Leather weekender bag for frequent travellers, an Instagram carousel. Extreme close-ups of the saddle "
         "stitching on the handle and the brass zip pull. Keep it premium and calm.")
COLOURWAYS = {"WK-COG": "cognac", "WK-BLK": "black", "WK-OLV": "olive"}
SIZE = 32
STEPS = 2
FIXED_SHOT_FIELDS = ("id", "scale", "purpose", "placement", "deliverable", "aspect_ratio")


def write_catalog(folder: Path, extra_rows: str = "") -> Path:
    Image.new("RGB", (48, 40), (150, 80, 30)).save(folder / "cognac.png")
    path = folder / "skus.csv"
    path.write_text("sku,colorway,reference,season\n"
                    "WK-COG,cognac,cognac.png,AW26\n"
                    "WK-BLK,black,,AW26\n"
                    "WK-BLK,tan,,SS27\n"  # line 4: a duplicate
                    "WK-OLV,olive,,SS27\n" + extra_rows, encoding="utf-8")
    return path


@pytest.fixture
def planned(tmp_path, capsys) -> Path:
    brief = tmp_path / "brief.txt"
    brief.write_text(BRIEF, encoding="utf-8")
    out = tmp_path / "plans"
    assert main(["plan", str(brief), "--catalog", str(write_catalog(tmp_path)), "--out", str(out)]) == 0
    capsys.readouterr()
    return out


def load_plans(folder: Path) -> dict[str, ShotPlan]:
    return {sku: ShotPlan.model_validate_json((folder / f"{sku}.json").read_text()) for sku in COLOURWAYS}


# -- planning a catalogue ---------------------------------------------------------------------------------


def test_three_colourways_share_the_fixed_fields_and_each_ecu_names_its_colourway(tmp_path, capsys):
    brief = tmp_path / "brief.txt"
    brief.write_text(BRIEF, encoding="utf-8")
    out = tmp_path / "plans"
    assert main(["plan", str(brief), "--catalog", str(write_catalog(tmp_path)), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "skus.csv line 4: duplicate sku 'WK-BLK' (first on line 3); row skipped" in err
    plans = load_plans(out)
    assert sorted(p.name for p in out.iterdir()) == ["WK-BLK.json", "WK-COG.json", "WK-OLV.json", "catalog.json",
                                                     "shot-list.csv"]
    first = plans["WK-COG"]
    for sku, plan in plans.items():
        assert plan.matrix.fixed == first.matrix.fixed  # scale, lighting, aspect ratio, mood, background
        assert [[getattr(s, f) for f in FIXED_SHOT_FIELDS] for s in plan.shots] == \
            [[getattr(s, f) for f in FIXED_SHOT_FIELDS] for s in first.shots]
        assert [s.camera for s in plan.shots] == [s.camera for s in first.shots]
        colourway = COLOURWAYS[sku]
        assert plan.brief.colorways == [colourway]
        assert plan.ecu_shots() and all(colourway in s.prompt.text for s in plan.ecu_shots())
        others = set(COLOURWAYS.values()) - {colourway}
        assert not any(o in s.prompt.text for s in plan.shots for o in others)
        assert {row.colorway for row in plan.matrix.varied} == {colourway}
    family = json.loads((out / "catalog.json").read_text())
    assert [e["sku"] for e in family["skus"]] == ["WK-COG", "WK-BLK", "WK-OLV"]
    assert family["skipped"] == [{"line": 4, "sku": "WK-BLK", "reason": "duplicate sku 'WK-BLK' (first on line 3)"}]
    assert family["fixed"] == first.matrix.fixed.model_dump()
    assert [s["scale"] for s in family["shots"]] == [s.scale for s in first.shots]
    rows = {e["sku"]: e["row"] for e in family["skus"]}
    assert rows["WK-COG"]["reference"] == str((tmp_path / "cognac.png").resolve())
    assert rows["WK-BLK"]["reference"] is None and rows["WK-BLK"]["notes"] == {"season": "AW26"}
    with open(out / "shot-list.csv", newline="") as handle:
        shot_list = list(csv.DictReader(handle))
    assert len(shot_list) == sum(len(p.shots) for p in plans.values())
    assert [r["sku"] for r in shot_list if r["id"] == "s1"] == ["WK-COG", "WK-BLK", "WK-OLV"]
    assert shot_list[1]["prompt"] == first.shots[1].prompt.text


def test_a_rows_detail_material_and_theme_vary_only_that_sku(tmp_path):
    from agent.config import Config
    from agent.runner import plan_with_progress
    from tools.catalog import CatalogRow, plan_family

    base = plan_with_progress(BRIEF, Config.from_env(model=None))
    rows = [CatalogRow(line=2, sku="A", colorway="cognac"),
            CatalogRow(line=3, sku="B", colorway="black", material="pebbled leather", theme="durability",
                       detail="engraved initials on the clasp", angle="top-down")]
    family, plans = plan_family(BRIEF, base, rows)
    a, b = plans["A"], plans["B"]
    hero_a, hero_b = a.ecu_shots()[0], b.ecu_shots()[0]
    assert hero_a.detail.name == base.ecu_shots()[0].detail.name
    assert hero_b.detail.name == "engraved initials on the clasp"
    assert hero_b.source == "photograph"  # engraved lettering is photographed: the planner's own sources step
    assert [s.detail.name for s in a.ecu_shots()[1:]] == [s.detail.name for s in b.ecu_shots()[1:]]
    assert "pebbled leather" in b.shots[0].prompt.text and "pebbled leather" not in a.shots[0].prompt.text
    assert "selling durability" in b.shots[0].prompt.text
    assert {row.angle for row in b.matrix.varied} == {"top-down"}
    assert a.matrix.fixed == b.matrix.fixed == family.fixed


def test_bad_rows_are_reported_by_line_and_the_rest_planned(tmp_path):
    (tmp_path / "broken.png").write_bytes(b"not an image")
    path = tmp_path / "skus.yaml"
    path.write_text("skus:\n"
                    "  - sku: A1\n"
                    "    colorway: red\n"
                    "  - colorway: blue\n"  # line 4: no sku
                    "  - sku: B2\n"
                    "    reference: broken.png\n"  # line 5: unreadable
                    "  - sku: C3\n"
                    "    reference: missing.jpg\n"  # line 7: not there
                    "  - sku: ../x\n"  # line 9: would leave the folder
                    "  - sku: D4\n"
                    "    detail: one two three four five six seven eight nine ten eleven\n"
                    "  - sku: E5\n"
                    "    colourway: green\n", encoding="utf-8")
    rows, skipped = read_catalog(path)
    assert [(r.sku, r.colorway) for r in rows] == [("A1", "red"), ("E5", "green")]
    assert [(s.line, s.sku) for s in skipped] == [(4, ""), (5, "B2"), (7, "C3"), (9, "../x"), (10, "D4")]
    assert "cannot be read as an image" in skipped[1].reason and "not found" in skipped[2].reason


def test_a_catalogue_that_cannot_be_read_is_one_line_and_exit_2(tmp_path, capsys):
    brief = tmp_path / "brief.txt"
    brief.write_text(BRIEF, encoding="utf-8")
    no_sku = tmp_path / "no-sku.csv"
    no_sku.write_text("name,colorway\nA,red\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="no 'sku' column"):
        read_catalog(no_sku)
    cases = [
        (["--catalog", str(no_sku), "--out", str(tmp_path / "o")], "has no 'sku' column"),
        (["--catalog", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o")], "not found"),
        (["--catalog", str(no_sku)], "--catalog needs --out DIR"),
    ]
    for extra, message in cases:
        assert main(["plan", str(brief), *extra]) == 2
        err = capsys.readouterr().err
        assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "o").exists()


# -- rendering a catalogue folder -------------------------------------------------------------------------

torch = pytest.importorskip("torch")
pytest.importorskip("diffusers")

from tools import generate as gen  # noqa: E402

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def generate_args(folder: Path, tiny_model: Path, out: Path, *extra: str) -> list[str]:
    return ["generate", str(folder), "--image-model", str(tiny_model), "--out", str(out), "--device", "cpu",
            "--steps", str(STEPS), "--width", str(SIZE), "--height", str(SIZE), *extra]


def pngs(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.glob("*/*.png"))
            if not p.name.startswith("contact-sheet")}


def records(folder: Path) -> dict[str, list[dict]]:
    return {sku: gen.read_manifest(folder / sku) for sku in COLOURWAYS}


def test_generate_folder_renders_every_generate_shot_once_and_records_the_reference(planned, tiny_model, tmp_path,
                                                                                    capsys):
    # WK-OLV's hero becomes engraved initials: photographed, so not rendered
    plan = ShotPlan.model_validate_json((planned / "WK-OLV.json").read_text())
    plan.shots[1].source, plan.shots[1].source_reason = "photograph", "engraved initials are photographed"
    (planned / "WK-OLV.json").write_text(plan.model_dump_json())
    out = tmp_path / "renders"
    assert main(generate_args(planned, tiny_model, out)) == 0
    err = capsys.readouterr().err
    assert "to be shot: WK-OLV s2 (photograph): engraved initials are photographed" in err
    plans = load_plans(planned)
    first = pngs(out)
    for sku, plan in plans.items():
        wanted = {s.id for s in plan.shots if s.source == "generate"}
        made = records(out)[sku]
        assert {r["shot_id"] for r in made} == wanted and len(made) == len(wanted)
        assert len([name for name in first if name.startswith(sku + "/")]) == len(wanted)
        assert len(list((out / sku).glob("contact-sheet-*.png"))) == 1
        for name in (n for n in first if n.startswith(sku + "/")):
            params = json.loads(Image.open(out / name).text["ecu"])
            if sku == "WK-COG":
                assert params["reference"] == str((planned.parent / "cognac.png").resolve())
                assert params["reference_strength"] == 0.6
            else:
                assert "reference" not in params
    assert all(r["reference_strength"] == 0.6 for r in records(out)["WK-COG"])
    family_sheets = list(out.glob("contact-sheet-family-*.png"))
    assert len(family_sheets) == 1
    with Image.open(family_sheets[0]) as sheet:
        assert sheet.size == (256 * len(plans["WK-COG"].shots), 276 * 3)  # a row per SKU, a column per shot
    # a second run renders nothing new and adds no record
    before = records(out)
    assert main(generate_args(planned, tiny_model, out)) == 0
    assert "rendered 0 image(s) locally for 3 SKU(s); kept 11 already there" in capsys.readouterr().err
    assert records(out) == before and pngs(out) == first
    for made in before.values():
        assert len({r["file"] for r in made}) == len(made)


def test_a_reference_photo_conditions_the_image_through_the_pipelines_own_components(tiny_model, tmp_path):
    pipe = gen.load_pipeline(str(tiny_model), "cpu")
    for colour in ("red", "blue"):
        Image.new("RGB", (SIZE, SIZE), colour).save(tmp_path / f"{colour}.png")
    job = gen.ImageJob(shot_id="s1", prompt="extreme close up of stitching, leather", seed=7, width=SIZE, height=SIZE)
    made = {}
    for name, variant in (("none", job), ("red", gen.ImageJob(**{**gen.job_dict(job), "reference": str(tmp_path / "red.png"), "strength": 0.9})),
                          ("blue", gen.ImageJob(**{**gen.job_dict(job), "reference": str(tmp_path / "blue.png"), "strength": 0.9}))):
        saved = gen.generate([variant], tmp_path / name, pipeline=pipe, steps=STEPS, contact_sheet=False)
        made[name] = saved[0].path.read_bytes()
    assert len(set(made.values())) == 3  # the photo changes the image, and which photo matters
    twin = pipe._ecu_img2img
    assert type(twin).__name__ == "StableDiffusionImg2ImgPipeline"
    assert twin.unet is pipe.unet and twin.vae is pipe.vae  # no second copy of the weights
    # a resumed run keeps a referenced image only for the same reference and strength
    again = gen.generate([gen.ImageJob(**{**gen.job_dict(job), "reference": str(tmp_path / "red.png"), "strength": 0.9})],
                         tmp_path / "red", pipeline=pipe, steps=STEPS, contact_sheet=False)
    assert again[0].resumed
    weaker = gen.generate([gen.ImageJob(**{**gen.job_dict(job), "reference": str(tmp_path / "red.png"), "strength": 0.5})],
                          tmp_path / "red", pipeline=pipe, steps=STEPS, contact_sheet=False)
    assert not weaker[0].resumed


def test_one_progress_bar_counts_every_sku_of_the_job(planned, tiny_model, tmp_path):
    from tools.bulk_generate import family_work, find_kept, render_family
    from tools.catalog import read_family

    family, plans = read_family(planned)
    work = family_work(family, plans, tmp_path / "renders", width=SIZE, height=SIZE)
    assert find_kept(work, model=str(tiny_model), steps=STEPS, guidance=None) == 0
    seen: list[tuple[float, int]] = []
    options = dict(model=str(tiny_model), device="cpu", steps=STEPS, batch_size=4)
    made = render_family(work, options, run_id="r1", progress=lambda done, total: seen.append((done, total)))
    total = sum(len(item.jobs) for item in work)
    assert made == total == 12
    assert {t for _, t in seen} == {total}  # one bar: the whole job's total, never a SKU's
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and seen[-1][0] == total
    assert len({d for d, _ in seen}) > len(work)  # it moves within a SKU, not only between them


def test_bulk_options_are_checked_before_any_work(planned, tiny_model, tmp_path, capsys):
    plan_file = planned / "WK-COG.json"
    cases = [
        (generate_args(planned, tiny_model, tmp_path / "r", "--reference-strength", "0"), "--reference-strength"),
        (generate_args(planned, tiny_model, tmp_path / "r", "--shots", "s2"), "--shots names one plan's shots"),
        (generate_args(planned, tiny_model, tmp_path / "r", "--ray", "--actors", "0"), "--actors must be"),
        (generate_args(plan_file, tiny_model, tmp_path / "r", "--ray"), "--ray is for a catalogue folder"),
        (generate_args(tmp_path, tiny_model, tmp_path / "r"), "has no catalog.json"),
    ]
    for argv, message in cases:
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "r").exists()


def test_ray_missing_is_a_one_line_setting_error(planned, tiny_model, tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray raises ImportError
    assert main(generate_args(planned, tiny_model, tmp_path / "r", "--ray")) == 2
    assert "--ray needs Ray: pip install -e '.[generate,scale]'" in capsys.readouterr().err


def test_a_ray_address_nothing_answers_on_is_one_line(planned, tiny_model, tmp_path, capsys):
    pytest.importorskip("ray", reason="ray is not installed (the scale extra)")
    import socket

    with socket.socket() as probe:  # a loopback port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert main(generate_args(planned, tiny_model, tmp_path / "r", "--ray", f"127.0.0.1:{port}")) == 2
    err = capsys.readouterr().err
    assert f"cannot connect to Ray at 127.0.0.1:{port}" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "r").exists()


def test_the_actor_pool_holds_one_gpu_per_actor_on_cuda():
    from tools.generate import GenerateError
    from tools.ray_backend import MAX_RESTARTS, MAX_TASK_RETRIES, pool_shape

    size, each = pool_shape("auto", 4, None, skus=10_000)
    assert size == 4 and each == {"num_gpus": 1, "num_cpus": 1, "max_restarts": MAX_RESTARTS,
                                  "max_task_retries": MAX_TASK_RETRIES}
    assert pool_shape("cuda", 8, 2, skus=3)[0] == 2
    assert pool_shape("cuda", 8, None, skus=3)[0] == 3  # never more actors than SKUs
    assert pool_shape("cpu", 4, 2, skus=10)[1]["num_gpus"] == 0
    assert pool_shape("auto", 0, None, skus=10) == (1, {**each, "num_gpus": 0})
    with pytest.raises(GenerateError, match="no GPU"):
        pool_shape("cuda", 0, None, skus=10)


# -- on a local Ray -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def local_ray():
    ray = pytest.importorskip("ray", reason="ray is not installed (the scale extra: pip install -e '.[scale]')")
    try:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    except Exception as err:  # noqa: BLE001 - the reason is the skip's message
        pytest.skip(f"a local Ray cannot start on this machine: {type(err).__name__}: {err}")
    yield ray
    ray.shutdown()


@pytest.mark.parametrize("actors", [2])
def test_ray_writes_byte_identical_pngs_and_the_same_manifest_as_the_local_path(planned, tiny_model, tmp_path, capsys,
                                                                               local_ray, actors):
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    assert main(generate_args(planned, tiny_model, local)) == 0
    assert main(generate_args(planned, tiny_model, on_ray, "--ray", "--actors", str(actors))) == 0
    assert "rendered 12 image(s) on Ray for 3 SKU(s)" in capsys.readouterr().err
    assert pngs(on_ray) == pngs(local) and len(pngs(local)) == 12  # same seeds, same bytes

    def without_run(folder):
        return {sku: sorted(({k: v for k, v in r.items() if k != "run"} for r in made), key=lambda r: r["file"])
                for sku, made in records(folder).items()}

    assert without_run(on_ray) == without_run(local)
    assert len(list(on_ray.glob("*/contact-sheet-*.png"))) == 3 and len(list(on_ray.glob("contact-sheet-family-*"))) == 1
    # a re-run on Ray renders nothing: the manifest makes the restart cheap
    assert main(generate_args(planned, tiny_model, on_ray, "--ray")) == 0
    assert "rendered 0 image(s) on Ray for 3 SKU(s); kept 12 already there" in capsys.readouterr().err
    assert sum(len(m) for m in records(on_ray).values()) == 12


def test_a_missing_model_on_ray_is_one_line(planned, tmp_path, capsys, local_ray):
    argv = generate_args(planned, tmp_path / "no-model", tmp_path / "r", "--ray")
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "not found locally" in err and len(err.strip().splitlines()) == 1
